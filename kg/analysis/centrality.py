"""Centralities that equal networkx's, computed in igraph (and split across cores).

networkx is the graph model; the measures run in igraph, which is 20-80x faster on co-author
graphs of thousands of authors.  Values follow networkx's definitions:

* ``degree``: ``nx.degree_centrality`` (degree / (n-1));
* ``strength``: the sum of edge weights;
* ``betweenness``: ``nx.betweenness_centrality`` (unweighted, normalised); exact unless a
  ``sample`` of source nodes is asked for, in which case it is an estimate and says so;
* ``closeness``: ``nx.closeness_centrality`` (unweighted, Wasserman-Faust for disconnected graphs);
* ``eigenvector``: ``nx.eigenvector_centrality_numpy(weight="weight")`` computed per connected
  component (networkx refuses disconnected graphs), each component scaled to unit length;
* ``pagerank``: ``nx.pagerank(weight="weight")``, solved by PRPACK on one thread (so that every
  run gives the same bits) instead of iterated.

>>> import networkx as nx
>>> c = centralities(nx.path_graph(3), measures=("degree", "betweenness"))
>>> c["degree"][1], c["betweenness"][1]
(1.0, 1.0)
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import pickle
import random
import subprocess
import sys
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import igraph as ig
import networkx as nx

MEASURES = ("degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank")
PARALLEL_FROM = 2000  # nodes: below this, one process is faster than two
CHUNK = 64  # betweenness sources per igraph call (see path_measures)


@contextmanager
def seeded_igraph(seed: int):
    """igraph draws from Python's ``random`` module: within this block, from ``Random(seed)``."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)  # igraph's default


def to_igraph(G: nx.Graph) -> tuple[ig.Graph, list]:
    """An igraph copy of ``G`` (nodes in sorted order) and that node order."""
    nodes = sorted(G.nodes, key=str)
    index = {n: i for i, n in enumerate(nodes)}
    edges, weights = [], []
    for a, b, w in G.edges(data="weight", default=1.0):  # one pass: networkx's edge views are slow
        edges.append((index[a], index[b]))
        weights.append(float(w))
    g = ig.Graph(n=len(nodes), edges=edges, directed=False)
    g.es["weight"] = weights
    return g, nodes


def twin_classes(g: ig.Graph) -> list[list[int]]:
    """Vertices with the same closed neighbourhood (N[u] = N[v]: co-authors who only share one
    paper's clique) or the same open one (N(u) = N(v): leaves on one hub), grouped.

    Swapping two twins is an automorphism, so twins have equal betweenness and closeness, and a
    twin is never inside a shortest path from its twin: a source's dependencies are the same for
    every twin of it.  One breadth-first search per class, counted k times, is therefore exact.
    """
    adj = g.get_adjlist()
    closed: dict[tuple, list[int]] = {}
    for v, nbrs in enumerate(adj):
        closed.setdefault(tuple(sorted([*nbrs, v])), []).append(v)
    classes, single = [], []
    for members in closed.values():
        (classes if len(members) > 1 else single).append(members)
    opened: dict[tuple, list[int]] = {}
    for (v,) in single:
        opened.setdefault(tuple(sorted(adj[v])), []).append(v)
    classes.extend(opened.values())
    return classes


def _paths_part(n: int, edges: list, weighted_chunks: list[tuple[float, list[int]]], closeness_of: list[int],
                distance_jobs: list[tuple[list[int], list[int]]] = ()):
    """One worker's share: for each (k, sources) chunk, k * the dependencies on each vertex summed
    over those sources; closeness of its vertices; for each (component, sources) job the sums of
    distances from those sources."""
    g = ig.Graph(n=n, edges=edges)
    chunks = [[k * x for x in g.betweenness(directed=False, sources=sources)] for k, sources in weighted_chunks]
    return (chunks, (g.closeness(vertices=closeness_of, normalized=True) if closeness_of else []),
            [distance_sums(n, edges, comp, sources) for comp, sources in distance_jobs])


def distance_sums(n: int, edges, comp: list[int], sources: list[int]) -> list[int]:
    """For each vertex of ``comp``, a connected component of the graph of ``n`` vertices and
    ``edges``, the sum of its distances from ``sources`` (all in ``comp``).

    Bit-parallel breadth-first search (Then et al., "The More the Merrier", VLDB 2014): 64
    searches at once, each a bit of a word per vertex, so one pass over the edges moves all 64
    one step on, and the pass reads the edges in order instead of jumping from vertex to vertex
    once per search.  On the 141k-author co-author graph of 100k synthetic papers, 256 sources
    took 0.22 s against 4.9 s for igraph's distances (which grew 11x from the 10k graph's 0.44
    s; this grows 10x from 0.022 s).  The sums are integers, the same as igraph's.
    """
    import numpy as np  # here: only sampled closeness needs it, and importing it takes 0.1 s

    comp_ids = np.asarray(comp, dtype=np.int64)
    local = np.full(n, -1, dtype=np.int64)
    local[comp_ids] = np.arange(len(comp_ids))
    e = local[np.asarray(edges, dtype=np.int64).reshape(-1, 2)]
    e = e[e[:, 0] >= 0]  # the component's edges (both ends are in it or neither is)
    tail, head = np.concatenate([e[:, 0], e[:, 1]]), np.concatenate([e[:, 1], e[:, 0]])
    order = np.argsort(tail, kind="stable")
    heads, linked = head[order], np.flatnonzero(np.bincount(tail, minlength=len(comp_ids)))
    starts = np.searchsorted(tail[order], linked)  # where each linked vertex's neighbours begin
    totals = np.zeros(len(comp_ids), dtype=np.int64)
    for first in range(0, len(sources), 64):
        batch = local[np.asarray(sources[first : first + 64], dtype=np.int64)]
        frontier = np.zeros(len(comp_ids), dtype=np.uint64)
        frontier[batch] = np.left_shift(np.uint64(1), np.arange(len(batch), dtype=np.uint64))
        seen, step = frontier.copy(), 0
        while True:
            step += 1
            reached = np.zeros_like(frontier)
            if len(heads):
                reached[linked] = np.bitwise_or.reduceat(frontier[heads], starts)  # OR of the neighbours' bits
            reached &= ~seen
            if not reached.any():
                break
            seen |= reached
            totals += step * np.bitwise_count(reached).astype(np.int64)
            frontier = reached
    return totals.tolist()


def renumbered(g: ig.Graph) -> tuple[list[int], list[tuple[int, int]]]:
    """(``perm``, edges): ``perm[v]`` is a new id for each vertex, in Cuthill-McKee order (each
    component breadth first from a vertex of least degree, neighbours by degree), so that
    neighbours get nearby ids; the edges are ``g``'s renumbered, grouped by their lower end.

    A breadth-first search then reads nearby memory: on the co-author graph of 100k synthetic
    papers (141k authors) igraph's betweenness took 33-46 ms per source in this order against
    83-123 ms in the IRI order, 1.2-1.3 against 1.9-2.4 ms at 10k (same run, 4 repeats each).
    scipy's reverse_cuthill_mckee gave 26-33 ms at 100k, but importing scipy costs 0.5-0.7 s,
    more than its order saves below ~50k papers.
    """
    adj = g.get_adjlist()
    degree = [len(nbrs) for nbrs in adj].__getitem__
    order: list[int] = []
    seen = bytearray(g.vcount())
    for start in sorted(range(g.vcount()), key=degree):
        if seen[start]:
            continue
        seen[start] = 1
        order.append(start)
        i = len(order) - 1
        while i < len(order):
            for u in sorted(adj[order[i]], key=degree):
                if not seen[u]:
                    seen[u] = 1
                    order.append(u)
            i += 1
    perm = [0] * len(order)
    for new, old in enumerate(order):
        perm[old] = new
    edges = [(a, b) for a, old in enumerate(order) for b in sorted(perm[u] for u in adj[old]) if b > a]
    return perm, edges


def path_measures(g: ig.Graph, want_betweenness: bool = True, want_closeness: bool = True,
                  sample: int | None = None, seed: int = 0, workers: int | None = None):
    """(betweenness, closeness) as networkx defines them, from one pool of workers.

    Exact: one source per twin class, weighted by the class size, split over the cores.
    With ``sample``: that many sources chosen with ``seed`` and the sum scaled up (an estimate).
    From :data:`PARALLEL_FROM` nodes the workers search a copy renumbered by :func:`renumbered`
    (sources and results are translated; the values differ in the last bits of rounding only,
    by 3e-15 at most on the 100k co-author graph).
    """
    return PathSearch(g, want_betweenness, want_closeness, sample, seed, workers).result()


class _Worker:
    """``_paths_part(*args)`` in a fresh Python (``python -c``), started now; :meth:`result` waits.

    For a caller that goes on working meanwhile.  A forked worker shares the caller's memory,
    and each page the caller then writes to is copied: the report of 100k papers took the
    machine's memory to +2,790-2,830 MiB with a forked worker (+2,590-2,610 forked before the
    report began), +1,850 MiB with this one, in the same time (65-73 s).  multiprocessing's
    "spawn" shared nothing too (+1,970 MiB), but it runs the caller's main script again in the
    worker, which breaks any script without an ``if __name__ == "__main__"`` guard.
    """

    def __init__(self, args: tuple):
        fd, self._path = tempfile.mkstemp(prefix="kg-paths-", suffix=".pickle")
        with os.fdopen(fd, "wb") as f:
            pickle.dump((sys.path, args), f, protocol=pickle.HIGHEST_PROTOCOL)
        self._proc = subprocess.Popen([sys.executable, "-c", _WORKER_MAIN, self._path],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def result(self):
        out, err = self._proc.communicate()
        self.close()
        if self._proc.returncode != 0:
            raise RuntimeError(f"a path search worker failed (exit {self._proc.returncode}): {err.decode(errors='replace')[-2000:]}")
        return pickle.loads(out)

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.communicate()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path)


_WORKER_MAIN = """import pickle, sys
path, args = pickle.load(open(sys.argv[1], "rb"))
sys.path[:] = path
from kg.analysis.centrality import _paths_part
sys.stdout.buffer.write(pickle.dumps(_paths_part(*args), protocol=pickle.HIGHEST_PROTOCOL))
"""


class PathSearch:
    """:func:`path_measures` started: from :data:`PARALLEL_FROM` nodes the searches run in worker
    processes while the caller goes on, and :meth:`result` waits for them.

    ``background=True`` leaves the caller a core (``workers`` defaults to one fewer than the
    cores) and runs each worker in a fresh interpreter (:class:`_Worker`) instead of forking
    the caller.  The values are the same bits either way.  Use it as a context manager, so that
    the workers stop if the caller fails before asking for the result.
    """

    def __init__(self, g: ig.Graph, want_betweenness: bool = True, want_closeness: bool = True,
                 sample: int | None = None, seed: int = 0, workers: int | None = None, background: bool = False):
        n = g.vcount()
        sampled = sample is not None and sample < n
        classes = [] if sampled else twin_classes(g)
        if sampled:
            chosen = sorted(random.Random(seed).sample(range(n), sample))
            weighted = {1.0 * n / sample: chosen}
        else:
            weighted = {}
            for members in classes:
                weighted.setdefault(float(len(members)), []).append(members[0])
        reps = [members[0] for members in classes]
        cores = os.cpu_count() or 1
        workers = max(1, workers or (cores - 1 if background else cores))
        if n < PARALLEL_FROM:
            workers, background = 1, False
            perm, edges = list(range(n)), g.get_edgelist()
        else:
            perm, edges = renumbered(g)
        plan = closeness_plan(g, sample, seed) if want_closeness and sampled else None
        moved = perm.__getitem__
        # betweenness sums fixed chunks of sources, whichever worker searches them: one igraph call
        # per worker summed its sources in another order for each number of workers, and so the
        # last bits of 3,811 of the 14,602 authors of 10k papers differed between one and two cores
        ordered = [(k, sorted(map(moved, srcs))) for k, srcs in sorted(weighted.items())] if want_betweenness else []
        chunks = [(k, srcs[i : i + CHUNK]) for k, srcs in ordered for i in range(0, len(srcs), CHUNK)]
        shares = [
            (chunks[i::workers],
             list(map(moved, reps[i::workers])) if want_closeness and not sampled else [],
             [(list(map(moved, comp)), list(map(moved, sources[i::workers]))) for comp, sources in plan[0]] if plan else [])
            for i in range(workers)
        ]
        self._g, self._n, self._perm, self._plan, self._classes, self._reps = g, n, perm, plan, classes, reps
        self._want = (want_betweenness, want_closeness, sampled, sample)
        self._chunks, self._workers, self._pool, self._parts = len(chunks), workers, None, None
        self._pending: list = []  # each worker's part to come: a _Worker or a pool's future
        if background:
            self._pending = [_Worker((n, edges, *share)) for share in shares]
        elif workers == 1:
            self._parts = [_paths_part(n, edges, *shares[0])]
        else:
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
            self._pending = [self._pool.submit(_paths_part, n, edges, *share) for share in shares]

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def close(self) -> None:
        """Stop the workers (after :meth:`result`, they have stopped already)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        for worker in self._pending:
            if isinstance(worker, _Worker):
                worker.close()

    def result(self):
        """(betweenness, closeness), each None if not asked for."""
        if self._parts is None:
            try:
                self._parts = [part.result() for part in self._pending]
            finally:
                self.close()
        g, n, perm, parts, workers = self._g, self._n, self._perm, self._parts, self._workers
        want_betweenness, want_closeness, sampled, sample = self._want
        betw = None
        if want_betweenness:
            done = [part[0] for part in parts]  # worker i searched chunks i, i + workers, ...
            in_order = [done[j % workers][j // workers] for j in range(self._chunks)]
            raw = [math.fsum(vals) for vals in zip(*in_order)] if in_order else [0.0] * n
            norm = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
            betw = [raw[perm[v]] * norm for v in range(n)]
        clos = None
        if want_closeness and sampled:  # the workers summed the distances (integers: any order gives the same sums)
            plan = self._plan
            sums = [[sum(col) for col in zip(*(p[2][j] for p in parts))] for j in range(len(plan[0]))]
            clos = sampled_closeness(g, sample, plan, sums)
        elif want_closeness:
            per_rep = {}
            for i, (_b, vals, _s) in enumerate(parts):
                per_rep.update(zip(self._reps[i::workers], vals))
            sizes = {}
            for comp in g.connected_components():
                for v in comp:
                    sizes[v] = len(comp)
            clos = [0.0] * n
            for members in self._classes:
                c = per_rep[members[0]]
                value = 0.0 if n < 2 or math.isnan(c) else c * (sizes[members[0]] - 1) / (n - 1)
                for v in members:
                    clos[v] = value
        return betw, clos


def closeness_plan(g: ig.Graph, sample: int, seed: int = 0):
    """(the components bigger than ``sample`` with the sources drawn in each, the vertices of
    the smaller ones, their component sizes) for :func:`sampled_closeness`."""
    rng = random.Random(seed)
    big: list[tuple[list[int], list[int]]] = []
    small: list[int] = []
    sizes: dict[int, int] = {}
    for comp in sorted(g.connected_components(), key=lambda c: (-len(c), c[0])):
        if len(comp) <= sample:
            small.extend(comp)
            sizes.update((v, len(comp)) for v in comp)
        else:
            big.append((list(comp), sorted(rng.sample(comp, sample))))
    return big, small, sizes


def sampled_closeness(g: ig.Graph, sample: int, plan, sums: list[list[int]]) -> list[float]:
    """Closeness as networkx defines it, estimated: exact in components of at most ``sample``
    nodes; in a bigger one, each node's distance sum is estimated from the distances to
    ``sample`` sources drawn from that component (Eppstein and Wang 2004), so the cost is
    ``sample`` searches per big component, linear in the graph's size.  ``plan``:
    :func:`closeness_plan`; ``sums``: the :func:`distance_sums` of its big components (made in
    :func:`path_measures`'s workers)."""
    n = g.vcount()
    out = [0.0] * n
    if n < 2:
        return out
    big, small, sizes = plan
    for (comp, _sources), totals in zip(big, sums):
        r = len(comp)
        for v, total in zip(comp, totals):
            estimate = total * r / sample
            out[v] = (r - 1) ** 2 / ((n - 1) * estimate) if estimate > 0 else 0.0
    if small:
        for v, c in zip(small, g.closeness(vertices=small)):
            out[v] = 0.0 if math.isnan(c) else c * (sizes[v] - 1) / (n - 1)
    return out


def eigenvector(g: ig.Graph) -> list[float]:
    """Per connected component, unit length within it (networkx's scaling on each component)."""
    out = [0.0] * g.vcount()
    # ARPACK starts from a random vector: seed it, or the last bits differ between runs.
    with seeded_igraph(0):
        _eigenvector_into(g, out)
    return out


def _eigenvector_into(g: ig.Graph, out: list[float]) -> None:
    for comp in g.connected_components():
        if len(comp) == 1:
            out[comp[0]] = 1.0
            continue
        sub = g.induced_subgraph(comp)
        with warnings.catch_warnings():  # said of big components with a long tail; one component is connected
            warnings.filterwarnings("ignore", message="Some eigenvector centralities are nearly zero")
            vals = sub.eigenvector_centrality(weights="weight", scale=True)
        length = math.sqrt(math.fsum(v * v for v in vals)) or 1.0
        for v, val in zip(comp, vals):
            out[v] = val / length


def centralities(G: nx.Graph, measures=MEASURES, sample: int | None = None, seed: int = 0,
                 workers: int | None = None, copy: tuple | None = None, paths: PathSearch | None = None) -> dict[str, dict]:
    """``{measure: {node: value}}`` for the chosen measures (see the module doc).
    ``copy``: :func:`to_igraph` of ``G``, when the caller has made it already; ``paths``: the
    betweenness and closeness searches, when the caller has started them (on that copy, for
    these measures, ``sample`` and ``seed``)."""
    unknown = set(measures) - set(MEASURES)
    if unknown:
        raise ValueError(f"unknown measures {sorted(unknown)}; known: {', '.join(MEASURES)}")
    if copy is None and set(measures) <= {"degree"}:  # no igraph copy for this (the views size by it)
        n, degree = G.number_of_nodes(), dict(G.degree())
        return {m: {v: degree[v] / (n - 1) if n > 1 else 0.0 for v in sorted(G, key=str)} for m in measures}
    g, nodes = copy or to_igraph(G)
    n = g.vcount()
    out: dict[str, list[float]] = {}
    if "degree" in measures:
        out["degree"] = [d / (n - 1) if n > 1 else 0.0 for d in g.degree()]
    if "strength" in measures:
        out["strength"] = g.strength(weights="weight")
    if "betweenness" in measures or "closeness" in measures:
        if paths is None:
            paths = PathSearch(g, "betweenness" in measures, "closeness" in measures, sample, seed, workers)
        betw, clos = paths.result()
        if betw is not None:
            out["betweenness"] = betw
        if clos is not None:
            out["closeness"] = clos
    if "eigenvector" in measures:
        out["eigenvector"] = eigenvector(g)
    if "pagerank" in measures:
        # PRPACK on one thread: on igraph's OpenMP threads its last bits differ from run to run
        # (10k papers: 14,595 of 14,602 authors, by up to 3e-12), which reordered ties in
        # report-authors.csv.  ARPACK from a seeded start was stable too, but 9x slower at 100k
        # papers (3.0 s against 0.34 s), and 30x slower there than at 10k.
        from threadpoolctl import threadpool_limits  # imported here: only PageRank needs it

        with threadpool_limits(limits=1, user_api="openmp"):
            out["pagerank"] = g.pagerank(weights="weight", damping=0.85, implementation="prpack") if n else []
    return {m: dict(zip(nodes, vals)) for m, vals in out.items()}


@dataclass(frozen=True)
class GraphStats:
    nodes: int
    edges: int
    components: int
    largest_component: int
    largest_share: float
    density: float
    average_clustering: float
    transitivity: float


def graph_stats(G: nx.Graph, copy: tuple | None = None) -> GraphStats:
    """Size, components, density and clustering (``nx.average_clustering`` and ``nx.transitivity``);
    ``copy`` as for :func:`centralities`."""
    g, _nodes = copy or to_igraph(G)
    n = g.vcount()
    comps = g.connected_components() if n else []
    largest = max((len(c) for c in comps), default=0)
    return GraphStats(
        nodes=n,
        edges=g.ecount(),
        components=len(comps),
        largest_component=largest,
        largest_share=largest / n if n else 0.0,
        density=nx.density(G),
        average_clustering=g.transitivity_avglocal_undirected(mode="zero") if n else 0.0,
        transitivity=g.transitivity_undirected(mode="zero") if n else 0.0,
    )
