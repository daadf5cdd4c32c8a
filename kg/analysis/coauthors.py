"""Who works with whom: an author's co-authors, and collaboration paths between two authors."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from ..errors import KGError
from ..normalize import author_key
from ..projections import coauthor_graph, labels
from ..store import query


class AmbiguousAuthor(KGError):
    """A name that matches no author key; the message lists the closest candidates."""


def find_author(store, name: str) -> str:
    """The author IRI whose key equals ``name``'s key (any spelling); else AmbiguousAuthor."""
    key = author_key(name)
    rows = list(query(store, "SELECT DISTINCT ?a ?k WHERE { ?a a kg:Author ; kg:nameVariant ?k }", k=ox.Literal(key))) if key else []
    if len(rows) == 1:
        return rows[0]["a"].value
    names = {v["n"].value: v["a"].value for v in query(store, "SELECT ?a ?n WHERE { ?a a kg:Author ; rdfs:label ?n }")}
    close = [n for n in names if key and key in author_key(n)]
    close += difflib.get_close_matches(name, list(names), n=5, cutoff=0.6)
    close = sorted(dict.fromkeys(close))[:10]
    hint = f"; candidates: {', '.join(close)}" if close else ""
    raise AmbiguousAuthor(f"no author named {name!r}{hint}")


@dataclass
class Coauthor:
    author: str
    name: str
    shared: float
    papers: list[str]
    titles: list[str]


def coauthors(store, name: str, counting: str = "full") -> tuple[str, list[Coauthor]]:
    """(the author's IRI, their co-authors by shared papers, most first)."""
    author = find_author(store, name)
    G = coauthor_graph(store, counting)
    titles = labels(store)
    out = [
        Coauthor(other, G.nodes[other]["label"], d["weight"], d["papers"], [titles.get(p, p) for p in d["papers"]])
        for other, d in G[author].items()
    ] if author in G else []
    return author, sorted(out, key=lambda c: (-c.shared, c.name, c.author))


@dataclass
class Hop:
    source: str
    source_name: str
    target: str
    target_name: str
    paper: str
    title: str


def path(store, a: str, b: str) -> list[Hop]:
    """The shortest collaboration path from author ``a`` to ``b``, each hop with a paper
    that links it (the first by IRI).  Raises KGError when they are not connected."""
    start, end = find_author(store, a), find_author(store, b)
    G = coauthor_graph(store)
    titles = labels(store)
    try:
        nodes = nx.shortest_path(G, start, end) if start in G and end in G else None
    except nx.NetworkXNoPath:
        nodes = None
    if nodes is None:
        raise KGError(f"{a!r} and {b!r} are not connected by co-authorship")
    hops = []
    for u, v in zip(nodes, nodes[1:]):
        paper = sorted(G[u][v]["papers"])[0]
        hops.append(Hop(u, G.nodes[u]["label"], v, G.nodes[v]["label"], paper, titles.get(paper, paper)))
    return hops
