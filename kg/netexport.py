"""Network files for other tools: GraphML and GEXF (Gephi), CSV node and edge lists, and
VOSviewer JSON (the map: items with coordinates (the views' layout) and clusters; the network: weighted links).

Every node carries its kind, label, cluster (Louvain, seed 0) and centralities.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx

from .analysis.centrality import centralities
from .analysis.layout import layout
from .analysis.clusters import communities
from .store import write_atomic

FORMATS = ("graphml", "gexf", "csv", "vosviewer")
EXACT_BETWEENNESS_UP_TO = 20_000  # nodes; above, a 500-source estimate (labelled as such)


def annotate(G: nx.Graph, seed: int = 0) -> nx.Graph:
    """A copy of ``G`` with scalar attributes only: kind, label, cluster and centralities."""
    H = nx.Graph(name=G.graph.get("name", ""))
    sample = None if G.number_of_nodes() <= EXACT_BETWEENNESS_UP_TO else 500
    measures = centralities(G, sample=sample, seed=seed)
    cluster_of = {n: i + 1 for i, part in enumerate(communities(G, seed=seed)) for n in part}
    for n in sorted(G.nodes, key=str):
        d = G.nodes[n]
        attrs = {"label": str(d.get("label", n)), "kind": str(d.get("kind", "")), "cluster": cluster_of.get(n, 0)}
        for key in ("papers", "category"):
            if key in d:
                attrs[key] = d[key]
        attrs.update({m: float(values[n]) for m, values in measures.items()})
        H.add_node(n, **attrs)
    for a, b, d in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        H.add_edge(a, b, weight=float(d.get("weight", 1.0)))
    if sample:
        H.graph["betweenness"] = f"estimate from {sample} sampled sources (seed {seed})"
    return H


def vosviewer(H: nx.Graph, seed: int = 0) -> dict:
    ids = {n: i + 1 for i, n in enumerate(H.nodes)}
    pos = layout(H, seed)
    items = []
    for n, d in H.nodes(data=True):
        item = {"id": ids[n], "label": d["label"], "x": pos[n][0], "y": pos[n][1], "cluster": d["cluster"],
                "weights": {"Links": H.degree(n), "Total link strength": round(H.degree(n, weight="weight"), 6)},
                "scores": {k: d[k] for k in ("degree", "betweenness", "closeness", "eigenvector", "pagerank")}}
        if "papers" in d:
            item["weights"]["Documents"] = d["papers"]
        items.append(item)
    links = [{"source_id": ids[a], "target_id": ids[b], "strength": d["weight"]} for a, b, d in H.edges(data=True)]
    return {"network": {"items": items, "links": links}}


def write(G: nx.Graph, fmt: str, path: str | Path, seed: int = 0) -> list[Path]:
    """Write ``G`` (annotated) as ``fmt``; csv writes PATH-nodes.csv and PATH-edges.csv."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    path = Path(path)
    H = annotate(G, seed)
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(H, buf)
        write_atomic(path, buf.getvalue())
        return [path]
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(H, buf)
        write_atomic(path, buf.getvalue())
        return [path]
    if fmt == "vosviewer":
        write_atomic(path, json.dumps(vosviewer(H, seed), ensure_ascii=False, indent=1).encode())
        return [path]
    stem = path.with_suffix("") if path.suffix == ".csv" else path
    nodes_path, edges_path = Path(f"{stem}-nodes.csv"), Path(f"{stem}-edges.csv")
    columns = sorted({k for _n, d in H.nodes(data=True) for k in d})
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", *columns])
    for n, d in H.nodes(data=True):
        w.writerow([n, *(d.get(c, "") for c in columns)])
    write_atomic(nodes_path, buf.getvalue().encode())
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["source", "target", "weight"])
    for a, b, d in H.edges(data=True):
        w.writerow([a, b, d["weight"]])
    write_atomic(edges_path, buf.getvalue().encode())
    return [nodes_path, edges_path]
