"""The data-quality report every build writes: ``quality.md`` and ``quality.json``.

What was rejected, dropped or reclassified in this build's inputs, and, over the whole graph:
topic labels outside the scheme, papers whose fields differ between days (and which value
won), authors with several spellings, rows without authors, probable duplicate people.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path

from .identity import duplicates_in_index
from .mapping import Listing, MappingStats, MergedIndex, Terms, display_name
from .store import write_atomic


def differing_fields(days: dict[str, list[Listing]]) -> list[dict]:
    """Papers listed on several days whose title, authors, topics or links differ."""
    by_paper: dict[str, list[Listing]] = defaultdict(list)
    for date in sorted(days):
        for x in days[date]:
            by_paper[x.arxiv_id].append(x)
    out = []
    for pid, listings in sorted(by_paper.items()):
        if len(listings) < 2:
            continue
        latest = listings[-1]
        chosen = max(listings, key=lambda x: (len(x.authors), x.date))
        checks = {
            "title": ([x.title for x in listings], latest.title, "the latest listing"),
            "authors": ([", ".join(n for n, _u in x.authors) for x in listings],
                        ", ".join(n for n, _u in chosen.authors), "the longest list, then the latest"),
            "topics": ([", ".join(x.topics) for x in listings], "all of them", "the union"),
            "links": ([", ".join(link.url for link in x.links) for x in listings], "all of them", "the union"),
        }
        for fieldname, (values, won, rule) in checks.items():
            if len(set(values)) > 1:
                out.append({"paper": pid, "field": fieldname, "values": dict(zip((x.date for x in listings), values)),
                            "won": won, "rule": rule})
    return out


def quality_data(summary, stats: MappingStats, days: dict[str, list[Listing]], terms: Terms, index: MergedIndex) -> dict:
    spellings: dict[str, Counter] = defaultdict(Counter)
    for listings in days.values():
        for x in listings:
            for name, _u in x.authors:
                spellings[terms.author_key(name)][name] += 1
    several = [{"key": k, "name": display_name(c), "spellings": dict(sorted(c.items()))}
               for k, c in sorted(spellings.items()) if len(c) > 1]
    return {
        "note": "rejected rows, junk values, reclassified URLs and rows without authors are about the inputs "
                "of this build; the other sections are about the whole graph",
        "rows_rejected": [{"file": r.source, "line": r.line, "reason": r.reason} for r in summary.rows_rejected],
        "junk_dropped": {k: {"count": n, "example": stats.junk_examples.get(k, "")} for k, n in sorted(stats.junk.items())},
        "urls_reclassified": {k: {"count": n, "example": stats.reclassified_examples.get(k, "")}
                              for k, n in sorted(stats.reclassified.items())},
        "topics_not_in_scheme": dict(sorted(stats.unknown_topics.items())),
        "fields_differing_across_days": differing_fields(days),
        "authors_with_several_spellings": several,
        "rows_without_authors": [{"file": f, "line": line, "paper": pid} for f, line, pid in sorted(stats.no_authors)],
        "probable_duplicate_people": [asdict(d) for d in duplicates_in_index(index, terms)],
    }


def _md_escape(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def markdown(q: dict) -> str:
    lines = ["# paperkg data-quality report", "", f"_{q['note']}._", ""]

    def section(title, rows, header, fmt):
        lines.extend([f"## {title} ({len(rows)})", ""])
        if rows:
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines.extend("| " + " | ".join(_md_escape(c) for c in fmt(r)) + " |" for r in rows)
        else:
            lines.append("None.")
        lines.append("")

    section("Rows rejected", q["rows_rejected"], ["file:line", "reason"], lambda r: [f"{r['file']}:{r['line']}", r["reason"]])
    section("Junk values dropped", list(q["junk_dropped"].items()), ["kind", "count", "example"],
            lambda kv: [kv[0], kv[1]["count"], kv[1]["example"]])
    section("URLs reclassified", list(q["urls_reclassified"].items()), ["what", "count", "example"],
            lambda kv: [kv[0], kv[1]["count"], kv[1]["example"]])
    section("Topic labels not in the scheme", list(q["topics_not_in_scheme"].items()), ["label", "times"], lambda kv: list(kv))
    section("Papers whose fields differ across days", q["fields_differing_across_days"], ["paper", "field", "values by day", "kept"],
            lambda r: [r["paper"], r["field"], "; ".join(f"{d}: {v}" for d, v in r["values"].items()), f"{r['won']} ({r['rule']})"])
    section("Authors with several spellings", q["authors_with_several_spellings"], ["key", "shown as", "spellings (times)"],
            lambda r: [r["key"], r["name"], ", ".join(f"{s} ({n})" for s, n in r["spellings"].items())])
    section("Rows without authors", q["rows_without_authors"], ["file:line", "paper"], lambda r: [f"{r['file']}:{r['line']}", r["paper"]])
    section("Probable duplicate people (not merged)", q["probable_duplicate_people"], ["one", "other", "evidence"],
            lambda r: [r["a_name"], r["b_name"], r["evidence"]])
    lines.append("Merge or split people by hand with `kg build --aliases FILE` (CSV: spelling,canonical).")
    return "\n".join(lines) + "\n"


def write_quality(q: dict, out: str | Path) -> list[Path]:
    out = Path(out)
    paths = [out / "quality.md", out / "quality.json"]
    write_atomic(paths[0], markdown(q).encode())
    write_atomic(paths[1], (json.dumps(q, ensure_ascii=False, indent=1) + "\n").encode())
    return paths
