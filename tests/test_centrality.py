"""Centralities equal networkx's (within 1e-9) on known graphs and on a disconnected one."""

import itertools
import random
import subprocess
import sys

import igraph as ig
import networkx as nx
import pytest

from kg.analysis.centrality import (
    PathSearch,
    centralities,
    distance_sums,
    graph_stats,
    path_measures,
    renumbered,
    to_igraph,
    twin_classes,
)


def disconnected():
    G = nx.disjoint_union(nx.karate_club_graph(), nx.krackhardt_kite_graph())
    G.add_edges_from([(100, 101), (102, 103), (103, 104)])
    G.add_node(200)
    for a, b in G.edges:
        G[a][b]["weight"] = 1 + (a * 7 + b * 3) % 4
    return G


def coauthor_like():
    """Cliques of 1-5 authors drawn unevenly from 80 people, plus hangers-on: many twins."""
    rng = random.Random(5)
    G = nx.Graph()
    for paper in range(60):
        people = {min(int(rng.paretovariate(1.2)) - 1, 79) for _ in range(rng.randint(1, 5))}
        people |= {100 + paper * 3 + i for i in range(rng.randint(0, 2))}  # one-paper authors
        G.add_nodes_from(people)
        for a, b in itertools.combinations(sorted(people), 2):
            G.add_edge(a, b, weight=G[a][b]["weight"] + 1 if G.has_edge(a, b) else 1)
    return G


GRAPHS = {
    "coauthor-like": coauthor_like,
    "kite": nx.krackhardt_kite_graph,
    "florentine": nx.florentine_families_graph,
    "karate": nx.karate_club_graph,
    "disconnected": disconnected,
}


def reference(G):
    eig = {}
    for comp in nx.connected_components(G):
        sub = G.subgraph(comp)
        if len(comp) == 1:
            eig.update({n: 1.0 for n in comp})
        elif len(comp) <= 3:  # scipy's sparse eigensolver needs k < N - 1: iterate instead
            eig.update(nx.eigenvector_centrality(sub, weight="weight", tol=1e-15, max_iter=100_000))
        else:
            eig.update(nx.eigenvector_centrality_numpy(sub, weight="weight"))
    return {
        "degree": nx.degree_centrality(G),
        "strength": dict(G.degree(weight="weight")),
        "betweenness": nx.betweenness_centrality(G),
        "closeness": nx.closeness_centrality(G),
        "eigenvector": eig,
        "pagerank": nx.pagerank(G, weight="weight", tol=1e-14, max_iter=10_000),
    }


@pytest.mark.parametrize("name", GRAPHS)
@pytest.mark.parametrize("workers", [1, 2])
def test_equal_to_networkx(name, workers, monkeypatch):
    monkeypatch.setattr("kg.analysis.centrality.PARALLEL_FROM", 0)  # force the split path too
    G = GRAPHS[name]()
    ours, ref = centralities(G, workers=workers), reference(G)
    for measure, values in ref.items():
        for node, value in values.items():
            assert ours[measure][node] == pytest.approx(value, abs=1e-9), (measure, node)


def test_sampled_betweenness_is_reproducible_and_close():
    G = nx.karate_club_graph()
    a = centralities(G, measures=("betweenness",), sample=20, seed=3)["betweenness"]
    b = centralities(G, measures=("betweenness",), sample=20, seed=3)["betweenness"]
    exact = nx.betweenness_centrality(G)
    assert a == b
    assert max(exact, key=exact.get) == max(a, key=a.get) == 0


def test_graph_stats_of_a_disconnected_graph():
    G = disconnected()
    s = graph_stats(G)
    assert (s.nodes, s.edges, s.components, s.largest_component) == (50, 99, 5, 34)
    assert s.average_clustering == pytest.approx(nx.average_clustering(G), abs=1e-12)
    assert s.transitivity == pytest.approx(nx.transitivity(G), abs=1e-12)
    assert s.density == pytest.approx(nx.density(G))


def test_twin_classes_shrink_a_coauthor_graph():
    g, _nodes = to_igraph(coauthor_like())
    classes = twin_classes(g)
    assert sum(len(c) for c in classes) == g.vcount()
    assert len(classes) < 0.8 * g.vcount()  # the work saved, exactly


def test_sampled_closeness_is_exact_in_small_components_and_close_in_big_ones():
    big = nx.connected_watts_strogatz_graph(3000, 6, 0.1, seed=3)
    G = nx.disjoint_union(big, disconnected())  # small components beside one big one
    expected = nx.closeness_centrality(G)
    got = centralities(G, measures=("closeness",), sample=300, seed=1)["closeness"]
    small = [v for v in G if v >= 3000]
    assert max(abs(got[v] - expected[v]) for v in small) < 1e-12  # components under the sample size: exact
    rel = [abs(got[v] - expected[v]) / expected[v] for v in range(3000)]
    assert sum(rel) / len(rel) < 0.02 and max(rel) < 0.1  # an estimate, and a good one
    top = lambda d: set(sorted(range(3000), key=lambda v: -d[v])[:30])  # noqa: E731
    assert len(top(got) & top(expected)) >= 20
    assert got == centralities(G, measures=("closeness",), sample=300, seed=1)["closeness"]  # seeded


def test_pagerank_gives_the_same_bits_every_run():
    """PRPACK did not (3,000 nodes: the last bits moved between runs), so reports were not byte-stable."""
    G = nx.gnm_random_graph(3000, 12000, seed=1)
    rnd = random.Random(1)
    for a, b in G.edges:
        G[a][b]["weight"] = rnd.choice([0.5, 1.0, 1.5, 2.0, 3.0])
    runs = [centralities(G, measures=("pagerank",))["pagerank"] for _ in range(4)]
    assert all(r == runs[0] for r in runs)
    assert runs[0] == pytest.approx(nx.pagerank(G, weight="weight", tol=1e-14, max_iter=10_000), rel=1e-6)


def test_renumbering_keeps_the_graph_and_puts_neighbours_close():
    """A path whose vertices are numbered at random comes back numbered along the path."""
    n = 500
    labels = list(range(n))
    random.Random(2).shuffle(labels)
    g = ig.Graph(n=n, edges=[(labels[i], labels[i + 1]) for i in range(n - 1)])
    perm, edges = renumbered(g)
    assert sorted(perm) == list(range(n))
    assert edges == sorted(tuple(sorted((perm[a], perm[b]))) for a, b in g.get_edgelist())
    assert max(b - a for a, b in edges) == 1  # bandwidth 1, from ~n/3 in the random numbering


def test_degree_alone_needs_no_igraph_copy_and_gives_the_same_values():
    G = nx.relabel_nodes(nx.barabasi_albert_graph(80, 2, seed=3), lambda i: f"n{(i * 29) % 80:02d}")
    G.add_node("alone")
    alone = centralities(G, measures=("degree",))
    with_copy = centralities(G, measures=("degree",), copy=to_igraph(G))
    assert alone == with_copy and list(alone["degree"]) == list(with_copy["degree"])
    assert alone["degree"]["alone"] == 0.0 and alone["degree"] == pytest.approx(nx.degree_centrality(G), rel=1e-15)


def test_distance_sums_match_the_shortest_paths_in_each_component():
    G = nx.disjoint_union(nx.connected_watts_strogatz_graph(300, 4, 0.2, seed=1), nx.path_graph(200))
    g = ig.Graph(n=501, edges=list(G.edges))  # vertex i is node i
    G.add_node(500)  # alone, after the others
    for comp in (list(range(300)), list(range(300, 500)), [500]):
        sources = comp[::3]  # more than one batch of 64
        expected = [sum(nx.shortest_path_length(G, s, v) for s in sources) for v in comp]
        assert distance_sums(501, g.get_edgelist(), comp, sources) == expected


@pytest.mark.parametrize("sample", [None, 300])
def test_path_measures_give_the_same_bits_on_any_number_of_cores(sample):
    """The report's bytes must not depend on the machine: each worker once summed its own sources."""
    G = nx.connected_watts_strogatz_graph(2500, 6, 0.3, seed=2)  # over PARALLEL_FROM: split over workers
    g = ig.Graph(n=2500, edges=list(G.edges))
    one = path_measures(g, sample=sample, seed=1, workers=1)
    assert path_measures(g, sample=sample, seed=1, workers=2) == one
    assert path_measures(g, sample=sample, seed=1, workers=3) == one
    with PathSearch(g, sample=sample, seed=1, background=True) as search:  # fresh interpreters, while this one goes on
        assert search.result() == one


def test_background_search_runs_from_a_script_without_a_main_guard(tmp_path):
    """multiprocessing's spawn would run such a script again in each worker."""
    script = tmp_path / "mine.py"
    script.write_text("import igraph as ig\n"
                      "from kg.analysis.centrality import PathSearch\n"
                      "print('started')\n"
                      "g = ig.Graph.Lattice([50, 50], circular=False)\n"
                      "with PathSearch(g, sample=40, seed=0, background=True, workers=2) as s:\n"
                      "    b, c = s.result()\n"
                      "print(len(b), len(c))\n")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "started\n2500 2500\n"


def test_background_search_stops_its_workers_when_left():
    G = nx.connected_watts_strogatz_graph(2500, 6, 0.3, seed=2)
    search = PathSearch(ig.Graph(n=2500, edges=list(G.edges)), sample=100, background=True)
    procs = [w._proc for w in search._pending]
    search.close()  # the caller failed before asking for the result
    assert all(p.poll() is not None for p in procs)
