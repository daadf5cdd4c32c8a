"""Node positions computed in Python with a fixed seed (used by the HTML views and by the
VOSviewer map), so pictures are the same every run and browsers need no physics."""

from __future__ import annotations

import math

import networkx as nx

from .centrality import seeded_igraph, to_igraph


def layout(G: nx.Graph, seed: int = 0, copy: tuple | None = None) -> dict:
    """Positions in pixels: each connected component laid out on its own (igraph's
    Fruchterman-Reingold, grid-accelerated on big ones, seeded), scaled to its size, and the
    components packed in rows, largest first, so that no lone pair drifts off to a corner.
    ``copy``: :func:`to_igraph` of ``G``, when the caller has made it already."""
    g, nodes = copy or to_igraph(G)
    if not nodes:
        return {}
    with seeded_igraph(seed):
        boxes = []
        for comp in sorted(g.connected_components(), key=lambda c: (-len(c), c[0])):
            if len(comp) == 1:
                coords = [(0.0, 0.0)]
            elif len(comp) <= 300:  # Kamada-Kawai spreads small dense graphs (the topic map) better
                coords = g.induced_subgraph(comp).layout_kamada_kawai().coords
            else:
                coords = g.induced_subgraph(comp).layout_fruchterman_reingold(niter=300, grid="auto").coords
            xs, ys = [c[0] for c in coords], [c[1] for c in coords]
            x0, y0 = min(xs), min(ys)
            span = max(max(xs) - x0, max(ys) - y0) or 1.0
            side = (110.0 if len(comp) <= 300 else 60.0) * math.sqrt(len(comp)) if len(comp) > 1 else 0.0
            pts = [((x - x0) / span * side, (y - y0) / span * side) for x, y in coords]
            boxes.append((comp, pts, side))
    # shelf packing: rows as wide as the largest component (or a square of the total area)
    width = max(boxes[0][2], math.sqrt(sum((b[2] + 40) ** 2 for b in boxes)))
    out, x, y, row_h, gap = {}, 0.0, 0.0, 0.0, 40.0
    for comp, pts, side in boxes:
        if x > 0 and x + side > width:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        for v, (px, py) in zip(comp, pts):
            out[nodes[v]] = (round(x + px, 1), round(y + py, 1))
        x += side + gap
        row_h = max(row_h, side)
    return out
