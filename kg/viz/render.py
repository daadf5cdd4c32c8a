"""Lay a view out in Python and render it into one self-contained HTML file."""

from __future__ import annotations

import heapq
import json
import math
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from ..analysis.centrality import centralities, to_igraph
from ..analysis.layout import layout
from ..analysis.clusters import communities
from ..store import write_atomic

# Views are trimmed to this many nodes, the largest by the size measure, unless asked otherwise:
# a page of ~25,000 nodes draws in 6.5 s and pans smoothly (benchmarks/views.py); the whole
# graph of 100k synthetic papers (290,723 nodes) made a 242 MiB page that took 169 s to write.
MAX_NODES = 25_000
# The views `kg build --views` writes: (view, title, size by, colour by).
BUILD_VIEWS = (("graph", "The whole graph", "degree", "kind"), ("coauthors", "Co-authorship", "papers", "cluster"),
               ("topics", "Topic map", "papers", "category"))
SIZE_BY = ("papers", "degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank")
COLOR_BY = ("kind", "cluster", "category")
KIND_COLORS = {
    "paper": "#4e79a7", "author": "#f28e2b", "topic": "#59a14f", "repository": "#e15759",
    "artifact": "#b07aa1", "digest": "#9c755f",
}
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf"]


def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from pyvis's bundled copy."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = (lib / "vis-network.css").read_text(encoding="utf-8").replace("</style", "<\\/style")
    return js, css


def json_for_script(data) -> Markup:
    """JSON that is safe inside <script type="application/json">: no '<', '>' or '&' survive."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return Markup(text)


def _measure(G: nx.Graph, size_by: str, seed: int) -> dict:
    if size_by == "papers":
        return {n: float(G.nodes[n].get("papers", G.degree(n))) for n in G}
    return centralities(G, measures=(size_by,), seed=seed)[size_by]


def _induced(G: nx.Graph, keep: set) -> nx.Graph:
    """``G.subgraph(keep).copy()`` with nodes and edges in ``G``'s order: a subgraph of less than
    half the graph iterates ``keep``, a set, so the layout's input and with it the page's bytes
    changed with PYTHONHASHSEED.  (Not slower: the 25,000 largest nodes of 100k papers' whole
    graph in 1.6-2.4 s against 2.4-2.7 s.)"""
    H = G.__class__()
    H.graph.update(G.graph)
    nodes = [n for n in G if n in keep]
    H.add_nodes_from((n, G.nodes[n]) for n in nodes)
    done = set()
    for u in nodes:
        H.add_edges_from((u, v, d) for v, d in G.adj[u].items() if v in keep and v not in done)
        done.add(u)
    return H


def trim(G: nx.Graph, values: dict, top: int | None, min_degree: int | None) -> tuple[nx.Graph, list[str]]:
    """Drop nodes below ``min_degree``, then keep the ``top`` by the size measure; say what went."""
    notes = []
    keep = set(G)
    if min_degree:
        keep = {n for n, d in G.degree() if d >= min_degree}
        if len(keep) < G.number_of_nodes():
            notes.append(f"{G.number_of_nodes() - len(keep)} nodes with fewer than {min_degree} links")
    if top and len(keep) > top:
        notes.append(f"{len(keep) - top} nodes outside the top {top}")
        keep = set(heapq.nsmallest(top, keep, key=lambda n: (-values.get(n, 0.0), str(n))))  # = sorted()[:top]
    return (G if len(keep) == G.number_of_nodes() else _induced(G, keep)), notes


def page_data(G: nx.Graph, title: str, size_by: str = "degree", color_by: str = "kind", top: int | None = None,
              min_degree: int | None = None, seed: int = 0) -> dict:
    """Everything the page needs, as plain data (nodes, edges, legend, what was left out)."""
    total_nodes, total_edges = G.number_of_nodes(), G.number_of_edges()
    values = _measure(G, size_by, seed)
    H, notes = trim(G, values, top, min_degree)
    copy = to_igraph(H)  # one copy for the layout and the clusters
    pos = layout(H, seed, copy)
    # Leiden's first two passes (igraph's default) colour the page: the graph view of 10k papers
    # took 0.22 s for modularity 0.374; passes until no node moves took 3.4 s for 0.383
    cluster_of = ({n: i + 1 for i, part in enumerate(communities(H, "leiden", seed=seed, copy=copy, iterations=2))
                   for n in part} if H.number_of_nodes() else {})
    biggest = max((values[n] for n in H), default=1.0) or 1.0
    max_w = max((d.get("weight", 1.0) for _a, _b, d in H.edges(data=True)), default=1.0) or 1.0
    categories = sorted({H.nodes[n].get("category", "") for n in H} - {""})
    net = Network(directed=False)  # pyvis holds the node and edge lists; our template renders them
    for n in sorted(H, key=str):
        d = H.nodes[n]
        x, y = pos[n]
        net.nodes.append({
            "id": n, "label": str(d.get("label", n)), "kind": d.get("kind", ""), "x": x, "y": y,
            "size": round(6 + 30 * math.sqrt(max(values[n], 0.0) / biggest), 2),
            "value": values[n], "cluster": cluster_of.get(n, 0), "category": d.get("category", ""),
            "topics": d.get("topics", []), "details": d.get("details", []),
        })
    for a, b, d in sorted(H.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        w = float(d.get("weight", 1.0))
        net.edges.append({"from": a, "to": b, "width": round(1 + 5 * w / max_w, 2), "weight": w})
    kinds = sorted({n["kind"] for n in net.nodes})
    topic_labels = sorted({t for n in net.nodes for t in n["topics"]})
    return {
        "title": title,
        "nodes": net.nodes,
        "edges": net.edges,
        "sizeBy": size_by,
        "colorBy": color_by,
        "kindColors": {k: KIND_COLORS.get(k, "#888888") for k in kinds},
        "palette": PALETTE,
        "categories": categories,
        "topics": topic_labels,
        "shown": [H.number_of_nodes(), H.number_of_edges()],
        "total": [total_nodes, total_edges],
        "leftOut": notes,
        "focus": G.graph.get("focus") if G.graph.get("focus") in H else None,
    }


def render(G: nx.Graph, title: str, **options) -> str:
    """The HTML of a view (see :func:`page_data` for the options)."""
    data = page_data(G, title, **options)
    js, css = _vis_assets()
    env = jinja2.Environment(loader=jinja2.PackageLoader("kg", "viz"), autoescape=True)
    template = env.get_template("template.html.j2")
    return template.render(title=title, data=json_for_script(data), vis_js=Markup(js), vis_css=Markup(css),
                           shown=data["shown"], total=data["total"], left_out=data["leftOut"])


def write_view(G: nx.Graph, path: str | Path, title: str, **options) -> Path:
    path = Path(path)
    write_atomic(path, render(G, title, **options).encode("utf-8"))
    return path


def write_views(store, out_dir: Path, top: int | None = MAX_NODES, stage=lambda name: None) -> list[Path]:
    """The :data:`BUILD_VIEWS` of ``store`` as ``<view>.html`` in ``out_dir``; ``stage(name)`` is
    called as each starts."""
    from .data import node_info, view_graph

    stage("reading node details")
    info = node_info(store)  # what every node's panel shows: asked once, for all views
    written = []
    for view, title, size_by, color_by in BUILD_VIEWS:
        stage(f"writing {view}.html")
        G = view_graph(store, view, info=info)
        written.append(write_view(G, out_dir / f"{view}.html", title, size_by=size_by, color_by=color_by, top=top))
    return written
