"""Projections, clusters, co-authors, paths, trends, report and network files."""

import gc
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg import netexport, projections
from kg.analysis.clusters import cluster_store, communities, distinctive_terms, modularity, tokens
from kg.analysis.coauthors import AmbiguousAuthor, coauthors, path
from kg.analysis.trends import rising, topic_counts
from kg.build import build
from kg.cli import main
from kg.report import markdown, report_data

FIX = Path(__file__).parent / "fixtures" / "queries"
ID = "https://w3id.org/paperkg/id/"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build([str(FIX)], out=None).store


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("g")
    build([str(FIX)], out=out)
    return out


def test_coauthor_projection_full_and_fractional(store):
    G = projections.coauthor_graph(store)
    assert G[ID + "author/annlee"][ID + "author/bobstone"]["weight"] == 2
    assert G.nodes[ID + "author/annlee"]["papers"] == 3
    F = projections.coauthor_graph(store, "fractional")
    # Alpha has 3 authors (1/2 each pair), Beta has 2 (1 for the pair)
    assert F[ID + "author/annlee"][ID + "author/bobstone"]["weight"] == pytest.approx(1.5)
    assert F[ID + "author/annlee"][ID + "author/evemoss"]["weight"] == 1.0
    assert sorted(G.nodes[n]["label"] for n in G) == ["Ann Lee", "Bob Stone", "Carl X", "Dee Fox", "Eve Moss"]


def test_topic_and_bipartite_projections(store):
    T = projections.topic_graph(store)
    assert T[ID + "topic/computer-vision"][ID + "topic/image-segmentation"]["weight"] == 1
    assert T.nodes[ID + "topic/text-generation"]["category"] == "Natural Language Processing"
    B = projections.paper_topic_graph(store)
    assert nx.is_bipartite(B) and B.number_of_edges() == 6
    A = projections.author_topic_graph(store)
    assert A[ID + "author/annlee"][ID + "topic/text-generation"]["weight"] == 2
    full = projections.full_graph(store)
    kinds = sorted({d["kind"] for _n, d in full.nodes(data=True)})
    assert kinds == ["artifact", "author", "digest", "paper", "repository", "topic"]


def test_clusters_are_reproducible_with_a_seed():
    G = nx.connected_caveman_graph(6, 5)
    for algorithm in ("louvain", "leiden"):
        first = communities(G, algorithm, seed=7)
        assert first == communities(G, algorithm, seed=7)
        assert len(first) == 6 and modularity(G, first) > 0.6


def test_cluster_labels_from_topics_and_terms(store):
    result = cluster_store(store, "authors", seed=0)
    assert sum(c.size for c in result.clusters) == 5
    biggest = result.clusters[0]
    assert biggest.top_members[0] == "Ann Lee"
    assert "Text Generation" in biggest.top_topics
    assert result.modularity == pytest.approx(modularity(projections.coauthor_graph(store), [c.members for c in result.clusters]))


def test_distinctive_terms_prefer_what_sets_a_cluster_apart():
    docs = ["diffusion images diffusion pixels shared", "tokens language tokens grammar shared"]
    assert distinctive_terms([Counter(tokens(d)) for d in docs], top=1) == [["diffusion"], ["tokens"]]


def test_coauthors_and_ambiguous_names(store):
    author, rows = coauthors(store, "ann-lee")
    assert author == ID + "author/annlee"
    assert [(c.name, c.shared) for c in rows] == [("Bob Stone", 2), ("Carl X", 1), ("Eve Moss", 1)]
    assert rows[0].papers == [ID + "paper/2501.00101", ID + "paper/2501.00102"]
    with pytest.raises(AmbiguousAuthor, match="candidates: Ann Lee"):
        coauthors(store, "Ann")


def test_path_with_the_paper_behind_each_hop(store):
    hops = path(store, "Eve Moss", "Carl X")
    assert [(h.source_name, h.target_name, h.title) for h in hops] == [
        ("Eve Moss", "Ann Lee", "Delta"), ("Ann Lee", "Carl X", "Alpha")]
    with pytest.raises(Exception, match="not connected"):
        path(store, "Dee Fox", "Ann Lee")


def test_trends_per_week_and_month(store):
    weeks = topic_counts(store, "week")
    assert list(weeks) == ["2025-W02", "2025-W03"]
    assert weeks["2025-W03"]["Text Generation"] == 2
    assert topic_counts(store, "month")["2025-01"]["Computer Vision"] == 2
    top = rising(weeks, 1)[0]
    assert (top.topic, top.last, top.before, top.change) == ("Text Generation", 2, 1.0, 1.0)


def test_report_holds_every_section(store):
    data = report_data(store, top=3)
    text = markdown(data, top=3)
    for heading in ("## Co-authorship network", "## Topic co-occurrence network", "## Authors by papers",
                    "## Repositories by papers", "## Owners by papers", "## Clusters of authors", "## Trends"):
        assert heading in text
    assert "5 nodes, 4 edges, 2 components" in text
    assert data["top_authors_by_papers"][0]["label"] == "Ann Lee"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_read_back_with_attributes(store, tmp_path, fmt):
    G = projections.coauthor_graph(store)
    (path_,) = netexport.write(G, fmt, tmp_path / f"g.{fmt}")
    H = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path_)
    assert H.number_of_nodes() == 5 and H.number_of_edges() == 4
    ann = H.nodes[ID + "author/annlee"]
    assert ann["label"] == "Ann Lee" and ann["kind"] == "author" and ann["papers"] == 3
    assert ann["degree"] == pytest.approx(0.75) and ann["cluster"] >= 1
    for measure in ("strength", "betweenness", "closeness", "eigenvector", "pagerank"):
        assert measure in ann
    assert H[ID + "author/annlee"][ID + "author/bobstone"]["weight"] == 2


def test_csv_and_vosviewer(store, tmp_path):
    G = projections.coauthor_graph(store)
    nodes, edges = netexport.write(G, "csv", tmp_path / "co.csv")
    assert nodes.read_text().splitlines()[0].startswith("id,betweenness,closeness,cluster,degree")
    assert len(edges.read_text().splitlines()) == 5
    (vos,) = netexport.write(G, "vosviewer", tmp_path / "co.json")
    data = json.loads(vos.read_text())["network"]
    assert len(data["items"]) == 5 and len(data["links"]) == 4
    item = next(i for i in data["items"] if i["label"] == "Ann Lee")
    assert item["weights"] == {"Links": 3, "Total link strength": 4.0, "Documents": 3}
    assert {"x", "y", "cluster"} <= set(item)
    # same seed, same bytes
    (again,) = netexport.write(G, "vosviewer", tmp_path / "co2.json")
    assert again.read_bytes() == vos.read_bytes()


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_analysis_commands(graph_dir):
    g = ["--graph", str(graph_dir)]
    r = run("coauthors", "Ann Lee", *g)
    assert r.exit_code == 0 and r.stdout.splitlines()[2].startswith("Bob Stone  2       2501.00101, 2501.00102")
    assert json.loads(run("path", "Eve Moss", "Carl X", *g, "--format", "json").stdout)[1]["title"] == "Alpha"
    r = run("clusters", "--of", "topics", *g)
    assert r.exit_code == 0 and "modularity" in r.stdout.splitlines()[-1]
    r = run("centrality", "--of", "authors", "--format", "csv", *g)
    assert r.stdout.splitlines()[0] == "name,degree,strength,betweenness,closeness,eigenvector,pagerank"
    assert r.stdout.splitlines()[1].startswith("Ann Lee,0.75,4.0,")
    r = run("centrality", "--of", "repositories", "--sample", "5", *g)
    assert "betweenness and closeness estimated from 5 sampled sources" in r.stdout
    assert json.loads(run("trends", "--format", "json", *g).stdout)["rising"][0]["topic"] == "Text Generation"
    assert run("report", *g).stdout.startswith("# paperkg report")
    r = run("coauthors", "Nobody Here", *g)
    assert r.exit_code == 1 and r.stderr.startswith("Error: no author named 'Nobody Here'")


def test_read_once_shares_what_a_store_gives_inside_the_block_only(store):
    assert projections.labels(store) is not projections.labels(store)  # outside: read each time
    with projections.read_once():
        names = projections.labels(store)
        assert projections.labels(store) is names
        assert projections.paper_members(store, "dcterms:creator") is projections.paper_members(store, "dcterms:creator")
        assert projections.paper_members(store, "dcterms:subject") != projections.paper_members(store, "dcterms:creator")
        other = build([str(FIX)], out=None).store  # another store: its own values
        assert projections.labels(other) is not names and projections.labels(other) == names
    assert projections.labels(store) is not names and projections._read is None


def test_paused_gc_pauses_inside_and_leaves_the_collector_as_it_found_it():
    assert gc.isenabled()
    with projections.paused_gc():
        assert not gc.isenabled()
        with projections.paused_gc():  # nested: the inner block does not turn it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with projections.paused_gc():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()
