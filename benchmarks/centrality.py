"""Centrality speed on a synthetic co-author graph the size of two years of digests.

    python benchmarks/centrality.py [--papers 4900] [--seed 0]

Generates a co-author graph (fixed seed) of about 4,900 papers: 1-5 authors each (mean ~3.4)
drawn Zipf-like from a pool, like the real one in issue 4 (15,023 authors, 38,469 edges,
largest component 9,483).  Then, in one run:

* networkx exact betweenness and closeness, timed on a sample of sources and extrapolated
  (the full runs take minutes); exactness checked on a 1,500-node piece where networkx finishes;
* plain igraph, single thread: every measure of the report;
* ours (kg.analysis.centrality.centralities, betweenness split over the cores);

and prints times and ratios.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time

import networkx as nx

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from kg.analysis.centrality import centralities, graph_stats, to_igraph, twin_classes  # noqa: E402


def synthetic_coauthors(papers: int, seed: int, pool: int = 60_000, exponent: float = 1.0,
                        returning: float = 0.22) -> nx.Graph:
    """Each author slot is, with probability ``returning``, someone drawn Zipf-like from the
    pool (prolific people recur), else a newcomer drawn uniformly (most appear once)."""
    rng = random.Random(seed)
    cum = list(itertools.accumulate(1.0 / (i + 1) ** exponent for i in range(pool)))
    G = nx.Graph()
    for _ in range(papers):
        k = rng.choices([1, 2, 3, 4, 5], weights=[4, 8, 18, 30, 40])[0]
        authors = set()
        while len(authors) < k:
            authors.add(rng.choices(range(pool), cum_weights=cum)[0] if rng.random() < returning else rng.randrange(pool))
        G.add_nodes_from(authors)
        for a, b in itertools.combinations(sorted(authors), 2):
            G.add_edge(a, b, weight=G[a][b]["weight"] + 1 if G.has_edge(a, b) else 1)
    return G


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=4900)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sample", type=int, default=150, help="sources for the networkx extrapolation")
    args = ap.parse_args()

    G, t_gen = timed(synthetic_coauthors, args.papers, args.seed)
    s = graph_stats(G)
    print(f"synthetic co-author graph: {args.papers} papers, {s.nodes} authors, {s.edges} edges, "
          f"{s.components} components, largest {s.largest_component} ({t_gen:.1f} s to generate)")
    n = G.number_of_nodes()

    # networkx: a sample of sources, scaled to all n (betweenness and closeness are sums over sources)
    nodes = sorted(G)
    sample = random.Random(args.seed).sample(nodes, args.sample)
    _b, t = timed(nx.betweenness_centrality, G, k=args.sample, seed=args.seed)
    nx_betw = t * n / args.sample
    _c, t = timed(lambda: [nx.closeness_centrality(G, u=u) for u in sample])
    nx_clos = t * n / args.sample

    g, _order = to_igraph(G)
    ig_times = {}
    _, ig_times["degree"] = timed(g.degree)
    _, ig_times["strength"] = timed(g.strength, weights="weight")
    _, ig_times["betweenness"] = timed(g.betweenness, directed=False)
    _, ig_times["closeness"] = timed(g.closeness, normalized=True)
    _, ig_times["eigenvector"] = timed(g.eigenvector_centrality, weights="weight")
    _, ig_times["pagerank"] = timed(g.pagerank, weights="weight")
    ig_total = sum(ig_times.values())

    ours, t_ours = timed(centralities, G)
    classes = twin_classes(g)
    print(f"twin classes: {len(classes)} for {n} vertices ({len(classes) / n:.0%} of the searches)")

    # exactness where networkx finishes: a 1,500-node piece of the largest component
    big = max(nx.connected_components(G), key=len)
    start = min(big)
    piece = list(itertools.islice(nx.bfs_tree(G, start), 1500))
    H = G.subgraph(piece).copy()
    ref_b = nx.betweenness_centrality(H)
    ref_c = nx.closeness_centrality(H)
    ref_p = nx.pagerank(H, weight="weight", tol=1e-14, max_iter=10_000)
    mine = centralities(H)
    diff = max(
        max(abs(mine["betweenness"][v] - ref_b[v]) for v in H),
        max(abs(mine["closeness"][v] - ref_c[v]) for v in H),
        max(abs(mine["pagerank"][v] - ref_p[v]) for v in H),
    )

    print()
    print(f"{'':34}{'seconds':>10}{'vs igraph':>11}")
    print(f"{'networkx betweenness (extrapolated)':34}{nx_betw:10.1f}{nx_betw / ig_times['betweenness']:10.1f}x")
    print(f"{'networkx closeness (extrapolated)':34}{nx_clos:10.1f}{nx_clos / ig_times['closeness']:10.1f}x")
    for name, t in ig_times.items():
        print(f"{'igraph ' + name:34}{t:10.2f}")
    print(f"{'igraph, all six, one thread':34}{ig_total:10.2f}{1.0:10.2f}x")
    print(f"{'ours, all six (' + str(os.cpu_count()) + ' cores)':34}{t_ours:10.2f}{t_ours / ig_total:10.2f}x")
    print()
    print(f"largest difference from networkx on a {H.number_of_nodes()}-node piece "
          f"(betweenness, closeness, PageRank): {diff:.2e}")


if __name__ == "__main__":
    main()
