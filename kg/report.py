"""``kg report``: one Markdown report of the graph, with JSON and CSV companions.

Statistics, the top authors/topics/repositories/owners by each measure, clusters with their
labels, and trends.  Every number comes from the RDF graph through SPARQL and the projections,
so each can be traced back with a query.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
from contextlib import ExitStack
from dataclasses import asdict, fields
from pathlib import Path

from . import projections
from .analysis.centrality import MEASURES, PathSearch, centralities, graph_stats, to_igraph
from .analysis.clusters import cluster_store
from .analysis.trends import rising, top_items, topic_counts
from .store import query, write_atomic

EXACT_UP_TO = 5_000  # nodes: exact betweenness and closeness up to here, sampled estimates above (linear cost)
SAMPLE = 500


def _count(store, cls: str) -> int:
    return int(next(iter(query(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {cls} }}")))["n"].value)


def _ranked(store, sparql: str) -> list[dict]:
    return [{k: (None if v is None else v.value) for k, v in zip(("iri", "label", "papers"), row)}
            for row in query(store, sparql)]


def _table_of(G, measures: dict, top: int) -> dict[str, list[dict]]:
    out = {}
    for m, values in measures.items():
        ranked = heapq.nsmallest(top, values.items(), key=lambda kv: (-kv[1], str(kv[0])))  # = sorted()[:top]
        out[m] = [{"iri": n, "label": G.nodes[n].get("label", n), "value": v} for n, v in ranked]
    return out


def report_data(store, top: int = 10, seed: int = 0, exact_up_to: int = EXACT_UP_TO, sample: int = SAMPLE) -> dict:
    """Everything in the report as plain data."""
    counts = {
        "papers": _count(store, "kg:Paper"), "authors": _count(store, "kg:Author"),
        "topics": _count(store, "skos:Concept"), "repositories": _count(store, "kg:Repository"),
        "artefacts": sum(_count(store, c) for c in ("kg:Model", "kg:Dataset", "kg:Space", "kg:Collection")),
        "digests": _count(store, "kg:Digest"),
    }
    graphs = {"authors": projections.coauthor_graph(store), "topics": projections.topic_graph(store)}
    copies = {of: to_igraph(G) for of, G in graphs.items()}  # one igraph copy each for the measures, statistics and clusters
    sampled = {of: sample if G.number_of_nodes() > exact_up_to else None for of, G in graphs.items()}
    with ExitStack() as searches:
        # betweenness and closeness search in worker processes (leaving this one a core) while the
        # rest is read and clustered: at 100k papers they took 16-23 s with this process waiting
        paths = {of: searches.enter_context(PathSearch(copies[of][0], sample=sampled[of], seed=seed, background=True))
                 for of in graphs}
        ranked = _rankings(store, top)
        # the co-author and topic graphs built above are the ones these clusters are found in
        clusters = {of: cluster_store(store, of, seed=seed, graph=graphs[of], copy=copies[of]) for of in graphs}
        weekly = topic_counts(store, "week")
        measures = {of: centralities(G, sample=sampled[of], seed=seed, copy=copies[of], paths=paths[of])
                    for of, G in graphs.items()}
    data: dict = {"counts": counts}
    for of, G in graphs.items():
        est = sampled[of] is not None
        data[of] = {
            "stats": asdict(graph_stats(G, copies[of])),
            "betweenness": f"estimate from {sample} sampled sources (seed {seed})" if est else "exact",
            "closeness": f"estimate from {sample} sampled sources per large component (seed {seed})" if est else "exact",
            "eigenvector": "per connected component",
            "top": _table_of(G, measures[of], top),
            "values": measures[of],
            "graph": G,
        }
    data.update(ranked)
    data["clusters"] = clusters
    data["trends"] = {"weeks": {w: dict(top_items(c, top)) for w, c in weekly.items()},
                      "rising": [asdict(r) for r in rising(weekly, top)]}
    return data


def _rankings(store, top: int) -> dict[str, list[dict]]:
    # counted first, labelled after, with the class named: pyoxigraph then looks each label up
    # instead of joining all of them (10k papers: top topics 7.5 s -> well under a second)
    return {
        "top_authors_by_papers": _ranked(store, """SELECT ?a ?l ?n WHERE {
            { SELECT ?a (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p dcterms:creator ?a } GROUP BY ?a }
            ?a a kg:Author ; rdfs:label ?l } ORDER BY DESC(?n) ?l LIMIT %d""" % top),
        "top_topics_by_papers": _ranked(store, """SELECT ?t ?l ?n WHERE {
            { SELECT ?t (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p dcterms:subject ?t } GROUP BY ?t }
            ?t a skos:Concept ; rdfs:label ?l } ORDER BY DESC(?n) ?l LIMIT %d""" % top),
        "top_repositories": _ranked(store, """SELECT ?r ?l ?n WHERE {
            { SELECT ?r (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:repository ?r } GROUP BY ?r }
            ?r a kg:Repository ; rdfs:label ?l } ORDER BY DESC(?n) ?l LIMIT %d""" % top),
        "top_owners": _ranked(store, """SELECT ?o ?l ?n WHERE {
            { SELECT ?o (COUNT(DISTINCT ?p) AS ?n) WHERE {
                ?x kg:owner ?o . { ?p kg:repository ?x } UNION { ?p kg:artifact ?x } } GROUP BY ?o }
            ?o a foaf:Agent ; rdfs:label ?l } ORDER BY DESC(?n) ?l LIMIT %d""" % top),
    }


def _fmt(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def markdown(data: dict, top: int = 10) -> str:
    c = data["counts"]
    lines = ["# paperkg report", "",
             f"{c['papers']} papers, {c['authors']} authors, {c['topics']} topics, {c['repositories']} repositories, "
             f"{c['artefacts']} Hugging Face artefacts, {c['digests']} digests.", ""]
    for of, title in (("authors", "Co-authorship network"), ("topics", "Topic co-occurrence network")):
        s = data[of]["stats"]
        lines += [f"## {title}", "",
                  f"{s['nodes']} nodes, {s['edges']} edges, {s['components']} components; the largest holds "
                  f"{s['largest_component']} ({s['largest_share']:.1%}). Density {s['density']:.5f}, average clustering "
                  f"{s['average_clustering']:.4f}, transitivity {s['transitivity']:.4f}. Betweenness: {data[of]['betweenness']}; "
                  f"eigenvector: {data[of]['eigenvector']}.", ""]
        for m in MEASURES:
            rows = data[of]["top"][m]
            lines += [f"**Top {of} by {m}**", "", "| # | name | value |", "|---|---|---|"]
            lines += [f"| {i} | {r['label'].replace('|', '/')} | {_fmt(r['value'])} |" for i, r in enumerate(rows, 1)]
            lines.append("")
    for key, title in (("top_authors_by_papers", "Authors by papers"), ("top_topics_by_papers", "Topics by papers"),
                       ("top_repositories", "Repositories by papers"), ("top_owners", "Owners by papers")):
        lines += [f"## {title}", "", "| # | name | papers |", "|---|---|---|"]
        lines += [f"| {i} | {r['label'].replace('|', '/')} | {r['papers']} |" for i, r in enumerate(data[key], 1)]
        lines.append("")
    for of, cl in data["clusters"].items():
        lines += [f"## Clusters of {of}", "",
                  f"{len(cl.clusters)} clusters ({cl.algorithm}, resolution {cl.resolution}, seed {cl.seed}), "
                  f"modularity {cl.modularity:.4f}. The {min(top, len(cl.clusters))} largest:", "",
                  "| # | size | top members | top topics | distinctive terms |", "|---|---|---|---|---|"]
        for k in cl.clusters[:top]:
            lines.append(f"| {k.id} | {k.size} | {', '.join(k.top_members)} | {', '.join(k.top_topics)} | {', '.join(k.terms)} |".replace("\n", " "))
        lines.append("")
    lines += ["## Trends", "", "Rising topics (last week against the mean of the weeks before):", "",
              "| topic | last week | mean before | change |", "|---|---|---|---|"]
    lines += [f"| {r['topic']} | {r['last']} | {r['before']} | {r['change']:+} |" for r in data["trends"]["rising"]]
    lines += ["", "Papers per topic and week (top topics of each week):", ""]
    for week, counts in data["trends"]["weeks"].items():
        lines.append(f"- **{week}**: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    return "\n".join(lines) + "\n"


def _fields(obj, but: str) -> dict:
    """A dataclass's fields but one, as they are (asdict would deep-copy the one left out too:
    every cluster's members, 0.13 of the 0.88 s report of the seed and dev month)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj) if f.name != but}


def write_report(store, out: str | Path, top: int = 10, seed: int = 0) -> list[Path]:
    """``report.md``, ``report.json`` and ``report-authors.csv`` / ``report-topics.csv`` in ``out``."""
    # the collector stays paused while the files are written too: at 100k papers its first pass
    # over the report's objects made writing them take 7.1-7.8 s instead of 4.3-4.6 s
    with projections.read_once():
        return _write(report_data(store, top=top, seed=seed), Path(out), top)


def _write(data: dict, out: Path, top: int) -> list[Path]:
    written = [out / "report.md", out / "report.json"]
    write_atomic(written[0], markdown(data, top).encode())
    plain = {k: v for k, v in data.items() if k not in ("authors", "topics", "clusters")}
    for of in ("authors", "topics"):
        plain[of] = {k: v for k, v in data[of].items() if k not in ("values", "graph")}
    plain["clusters"] = {of: {**_fields(cl, but="clusters"), "clusters": [_fields(x, but="members") for x in cl.clusters]}
                         for of, cl in data["clusters"].items()}
    write_atomic(written[1], json.dumps(plain, ensure_ascii=False, indent=1).encode())
    for of in ("authors", "topics"):
        G, values = data[of]["graph"], data[of]["values"]
        cluster_of = {n: k.id for k in data["clusters"][of].clusters for n in k.members}
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["iri", "label", "papers", "cluster", *values])
        for n in sorted(G.nodes, key=lambda n: (-values["pagerank"][n], str(n))):
            w.writerow([n, G.nodes[n].get("label", n), G.nodes[n].get("papers", ""), cluster_of.get(n, ""),
                        *(values[m][n] for m in values)])
        path = out / f"report-{of}.csv"
        write_atomic(path, buf.getvalue().encode())
        written.append(path)
    return written
