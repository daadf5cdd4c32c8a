"""Author identity beyond the key rule: probable same-person pairs (reported with their
evidence, never merged), and an aliases file by which a user merges or splits by hand.

Aliases file (CSV, header ``spelling,canonical``): each row gives a spelling as listed (or
an author key) and the key that spelling should have.  Pointing two spellings at one key
merges them (``kpzhang996,kpzhang``); pointing a spelling at a new key splits it off
(``Y. Zang,yzang-physics``).  Applied the same way on every build, so results stay
deterministic.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .mapping import MergedIndex, Terms, display_name
from .normalize import author_key
from .store import query


def read_aliases(path: str | Path) -> dict[str, str]:
    """``{spelling or key: canonical key}`` from an aliases CSV; InputError names a bad line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read the aliases file: {exc.strerror}") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["spelling", "canonical"]:
        raise InputError(str(path), 1, "an aliases file starts with the header 'spelling,canonical'")
    out = {}
    for lineno, row in enumerate(rows[1:], 2):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) < 2 or not row[0].strip() or not author_key(row[1]):
            raise InputError(str(path), lineno, "expected 'spelling,canonical' with a canonical key of letters or digits")
        out[row[0].strip()] = author_key(row[1])
    return out


@dataclass(frozen=True, order=True)
class ProbableDuplicate:
    a: str
    b: str
    a_name: str
    b_name: str
    evidence: str


def _authors(store) -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    labels = {r["a"].value: r["n"].value for r in query(store, "SELECT ?a ?n WHERE { ?a a kg:Author ; rdfs:label ?n }")}
    variants: dict[str, set[str]] = defaultdict(set)
    for r in query(store, "SELECT ?a ?v WHERE { ?a a kg:Author ; kg:nameVariant ?v }"):
        variants[r["a"].value].add(r["v"].value)
    users: dict[str, set[str]] = defaultdict(set)
    for r in query(store, "SELECT ?a ?u WHERE { ?a a kg:Author ; kg:hubUsername ?u }"):
        users[r["a"].value].add(r["u"].value)
    return labels, variants, users


def _coauthors(store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r in query(store, "SELECT DISTINCT ?a ?b WHERE { ?p dcterms:creator ?a, ?b FILTER(?a != ?b) }"):
        out[r["a"].value].add(r["b"].value)
    return out


def probable_duplicates(store, base: str) -> list[ProbableDuplicate]:
    """:func:`find_duplicates` over the authors of a graph in a store."""
    labels, _variants, users = _authors(store)
    return find_duplicates(labels, users, _coauthors(store), base)


def duplicates_in_index(ix: MergedIndex, t: Terms) -> list[ProbableDuplicate]:
    """:func:`find_duplicates` over the authors a build is about to write (no store needed)."""
    labels: dict[str, str] = {}
    users: dict[str, set[str]] = {}
    co: dict[str, set[str]] = defaultdict(set)
    for listings in ix.by_paper.values():
        people = {t.author(t.author_key(name)): t.author_key(name) for name, _u in ix.chosen(listings).authors}
        for a, key in people.items():
            if a not in labels:  # once per author, not once per paper
                labels[a] = display_name(ix.spellings[key])
                if ix.hub_users.get(key):
                    users[a] = ix.hub_users[key]
            co[a].update(b for b in people if b != a)
    return find_duplicates(labels, users, co, t.base)


def find_duplicates(labels: dict[str, str], users: dict[str, set[str]], co: dict[str, set[str]], base: str,
                    ) -> list[ProbableDuplicate]:
    """Pairs of authors the key rule keeps apart but that are probably one person:

    * a username with a number added (``kpzhang`` / ``kpzhang996``);
    * an initial for the first name, same last name, and a co-author in common
      (``Y. Zang`` / ``Yuhang Zang``);
    * a Hub username (from the HF daily-papers API) that is another author's name.

    ``labels``: author IRI -> display name; ``users``: author IRI -> Hub usernames; ``co``:
    author IRI -> co-author IRIs.
    """
    key_of = {a: a[len(base + "author/"):] for a in labels}
    by_key = {k: a for a, k in key_of.items()}
    found: set[ProbableDuplicate] = set()

    def pair(x: str, y: str, evidence: str) -> None:
        a, b = sorted((x, y))
        found.add(ProbableDuplicate(a, b, labels[a], labels[b], evidence))

    for a, key in key_of.items():
        m = re.fullmatch(r"(.*\D)(\d+)", key)
        if m and len(m.group(1)) >= 4 and m.group(1) in by_key:
            pair(a, by_key[m.group(1)], f"{labels[a]!r} is {labels[by_key[m.group(1)]]!r} with a number added")
    by_last: dict[str, list[str]] = defaultdict(list)
    for a, name in labels.items():
        parts = name.replace(".", ". ").split()
        if len(parts) >= 2:
            by_last[author_key(parts[-1])].append(a)
    for last, people in by_last.items():
        for x in people:
            first_x = labels[x].replace(".", ". ").split()[0]
            if not re.fullmatch(r"[A-Za-z]\.?", first_x):
                continue
            for y in people:
                first_y = labels[y].split()[0]
                if x == y or len(first_y.rstrip(".")) < 2 or first_y[0].lower() != first_x[0].lower():
                    continue
                shared = sorted(labels[c] for c in co.get(x, set()) & co.get(y, set()))
                if shared:
                    pair(x, y, f"{labels[x]!r} abbreviates {labels[y]!r} and they share co-author {shared[0]!r}")
    for a, names in users.items():
        for user in names:
            other = by_key.get(author_key(user))
            if other and other != a:
                pair(a, other, f"the Hugging Face API links {labels[a]!r} to the Hub user {user!r}, an author name here")
    return sorted(found)
