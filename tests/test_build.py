"""The graph a build makes, its exports, determinism and incremental builds."""

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.build import build
from kg.store import EXPORTS, load

FIX = Path(__file__).parent / "fixtures"
ID = "https://w3id.org/paperkg/id/"


def rows(result, sparql, **bind):
    return [tuple(None if v is None else v.value for v in row) for row in result.query(sparql, **bind)]


@pytest.fixture(scope="module")
def six():
    return build([str(FIX / "six.md")], out=None)


def test_authors_in_order_with_positions(six):
    got = rows(six, """SELECT ?pos ?name ?author WHERE {
        <https://w3id.org/paperkg/id/paper/2502.01456> kg:authorship ?s .
        ?s kg:position ?pos ; kg:nameAsListed ?name ; kg:author ?author } ORDER BY ?pos""")
    assert got == [
        ("1", "Wendi Li", ID + "author/wendili"),
        ("2", "Zefan Wang", ID + "author/zefanwang"),
        ("3", "Lifan Yuan", ID + "author/lifanyuan"),
        ("4", "hanbin", ID + "author/hanbin"),
        ("5", "ganqu", ID + "author/ganqu"),
    ]


def test_author_spellings_merge_and_display_name_prefers_a_real_name(six):
    got = rows(six, """SELECT ?label (GROUP_CONCAT(?v; separator="|") AS ?vs) WHERE {
        <https://w3id.org/paperkg/id/author/franckdernoncourt> rdfs:label ?label ; kg:nameVariant ?v } GROUP BY ?label""")
    assert got[0][0] == "Franck Dernoncourt"
    assert sorted(got[0][1].split("|")) == ["Franck Dernoncourt", "Franck-Dernoncourt", "franckdernoncourt"]


def test_topics_under_hf_categories_and_unknown_labels_reported(six):
    got = rows(six, """SELECT ?label ?broader WHERE { ?t a skos:Concept ; skos:prefLabel ?label .
        OPTIONAL { ?t skos:broader/skos:prefLabel ?broader } } ORDER BY ?label""")
    d = dict(got)
    assert d["Text Generation"] == "Natural Language Processing"
    assert d["Image Segmentation"] == "Computer Vision"
    assert d["Reinforcement Learning"] is None and d["Quantum Vibes"] is None
    assert six.summary.unknown_topics == {"Quantum Vibes": 1}
    assert rows(six, "SELECT ?t WHERE { ?t skos:topConceptOf ?s } ORDER BY ?t") == [
        (ID + "topic/audio",), (ID + "topic/computer-vision",), (ID + "topic/multimodal",),
        (ID + "topic/natural-language-processing",), (ID + "topic/reinforcement-learning",),
    ]


def test_links_become_repositories_artefacts_pages_and_agents(six):
    got = set(rows(six, """SELECT ?id ?p ?o WHERE { ?paper kg:arxivId ?id ; ?p ?o .
        FILTER(?p IN (kg:repository, kg:artifact, kg:projectPage, kg:linkedAgent)) }"""))
    kg = "https://w3id.org/paperkg/ontology#"
    assert got == {
        ("2502.01456", kg + "repository", ID + "repo/github/prime-rl/prime"),
        ("2502.01456", kg + "artifact", ID + "hf/model/prime-rl/eurus-2-7b-prime"),
        ("2502.01456", kg + "artifact", ID + "hf/dataset/prime-rl/eurus-2-rl-data"),
        ("2502.00001", kg + "repository", ID + "repo/github/owner-x/fast-serve"),  # GitHub in the HF column
        ("2502.00002", kg + "repository", ID + "repo/github/deep/link"),
        ("2502.00002", kg + "repository", ID + "repo/github/noscheme/repo"),
        ("2502.00002", kg + "repository", ID + "repo/github/oneslash/repo"),
        ("2502.00002", kg + "artifact", ID + "hf/space/team/demo"),
        ("2502.00003", kg + "linkedAgent", ID + "hf/just-a-user"),
        ("2502.00003", kg + "projectPage", "https://proj.github.io/site/"),
        ("2502.00004", kg + "repository", ID + "repo/github/split/url-repo"),
        ("2502.00004", kg + "projectPage", "https://www.modelscope.com/models/swift/X"),
    }
    assert rows(six, """SELECT ?label ?url ?owner WHERE { <https://w3id.org/paperkg/id/repo/github/prime-rl/prime>
        rdfs:label ?label ; kg:url ?url ; kg:owner/foaf:nick ?owner }""") == [
        ("PRIME-RL/PRIME", "https://github.com/PRIME-RL/PRIME", "PRIME-RL")]
    assert six.summary.junk_dropped == {"placeholder": 3}
    assert six.summary.links_reclassified == {
        "GitHub link in the huggingface column": 1,
        "project page in the huggingface column": 2,
    }


def test_every_node_has_a_type_and_a_label(six):
    untyped = rows(six, """SELECT DISTINCT ?s WHERE { ?s ?p ?o . FILTER NOT EXISTS { ?s a ?t } }""")
    unlabelled = rows(six, """SELECT DISTINCT ?s WHERE { ?s ?p ?o . FILTER NOT EXISTS { ?s rdfs:label ?l } }""")
    assert untyped == [] and unlabelled == []
    assert rows(six, "SELECT ?s WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }") == []


def test_same_paper_on_several_days(tmp_path):
    result = build([str(FIX / "aggregate")], out=None)
    got = rows(result, """SELECT ?first ?summary (COUNT(?d) AS ?n) WHERE {
        <https://w3id.org/paperkg/id/paper/2501.00003> kg:firstListed ?first ; kg:summary ?summary ; kg:listedIn ?d }
        GROUP BY ?first ?summary""")
    assert got == [("2025-01-01", "Newest.", "2")]  # summary from the latest listing
    assert result.summary.digests_in_graph == 3  # the empty day is a digest too


def test_named_graph_holds_what_each_digest_said():
    result = build([str(FIX / "aggregate")], out=None)
    got = rows(result, """SELECT ?g ?summary WHERE { GRAPH ?g {
        <https://w3id.org/paperkg/id/paper/2501.00003> kg:summary ?summary } } ORDER BY ?g""")
    assert got == [(ID + "digest/2025-01-01", "Older summary."), (ID + "digest/2025-01-03", "Newest.")]


def test_hub_usernames_are_kept():
    result = build([str(FIX / "hf_api.json")], out=None)
    assert rows(result, "SELECT ?a ?u WHERE { ?a a kg:Author ; kg:hubUsername ?u } ORDER BY ?u") == [
        (ID + "author/ganqucui", "ganqu"), (ID + "author/wendili", "wendili")]


def test_exports_parse_back_isomorphic_in_rdflib_and_pyoxigraph(tmp_path):
    result = build([str(FIX)], out=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([e.filename for e in EXPORTS] + ["quality.json", "quality.md"])
    reference = result.rdflib_graph()
    assert len(reference) == result.summary.triples
    merged = {str(q.triple) for q in result.store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    for name, fmt in (("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")):
        g = rdflib.Graph().parse(tmp_path / name, format=fmt)
        assert isomorphic(g, reference), name
        parsed = {str(q.triple) for q in load(tmp_path / name)}
        assert parsed == merged, name
    ds = rdflib.Dataset().parse(tmp_path / "graph.trig", format="trig")
    assert len(list(ds.quads())) == result.summary.quads
    assert len(load(tmp_path)) == result.summary.quads


def _build_in_process(args, out, hashseed):
    code = "import sys; from kg.build import build; build(sys.argv[2:], out=sys.argv[1], fresh=True, report=True)"
    env = {**os.environ, "PYTHONHASHSEED": str(hashseed)}
    subprocess.run([sys.executable, "-c", code, str(out), *args], check=True, env=env)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_rebuilding_gives_identical_bytes(tmp_path):
    """Two processes with different string hashing: every export and report file is the same."""
    first = _build_in_process([str(FIX)], tmp_path / "a", 1)
    second = _build_in_process([str(FIX)], tmp_path / "b", 2)
    assert sorted(first) == sorted([e.filename for e in EXPORTS] + ["quality.json", "quality.md", "report-authors.csv", "report-topics.csv", "report.json", "report.md"])
    assert first == second


def test_incremental_equals_all_at_once_and_reingest_is_idempotent(tmp_path):
    parts = [str(FIX / "six.md"), str(FIX / "aggregate"), str(FIX / "days"), str(FIX / "three.md")]
    build(parts, out=tmp_path / "all")
    build(parts[:2], out=tmp_path / "inc")
    build(parts[2:], out=tmp_path / "inc")
    again = build([str(FIX / "six.md")], out=tmp_path / "inc")  # a day read again replaces itself
    assert again.summary.papers_new == 0 and again.summary.papers_updated == 5
    for e in EXPORTS:
        assert (tmp_path / "all" / e.filename).read_bytes() == (tmp_path / "inc" / e.filename).read_bytes(), e.filename


def test_reading_back_a_trig_whose_graphs_are_interleaved(tmp_path):
    import random

    from kg.mapping import Interleaved, Terms, listings_from_quads
    from kg.vocab import DEFAULT_BASE

    parts = [str(FIX / "six.md"), str(FIX / "aggregate"), str(FIX / "days")]
    build(parts, out=tmp_path / "a")
    quads = list(ox.parse(path=str(tmp_path / "a" / "graph.trig"), format=ox.RdfFormat.TRIG))
    t = Terms(DEFAULT_BASE)
    whole = listings_from_quads(quads, t)
    assert listings_from_quads(iter(quads), t, contiguous=True) == whole and len(whole) > 3
    random.Random(1).shuffle(quads)
    with pytest.raises(Interleaved):
        listings_from_quads(iter(quads), t, contiguous=True)
    assert listings_from_quads(quads, t) == whole
    # a TriG written by another tool, graphs in pieces: the next build still reads it right
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "graph.trig").write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    build([str(FIX / "three.md")], out=tmp_path / "a")
    build([str(FIX / "three.md")], out=tmp_path / "b")
    for e in EXPORTS:
        assert (tmp_path / "a" / e.filename).read_bytes() == (tmp_path / "b" / e.filename).read_bytes(), e.filename


def test_fresh_starts_over(tmp_path):
    build([str(FIX / "six.md")], out=tmp_path)
    result = build([str(FIX / "three.md")], out=tmp_path, fresh=True)
    assert result.summary.papers == 2


def test_rereading_a_day_replaces_it(tmp_path):
    day = tmp_path / "in" / "2025-01-05.md"
    day.parent.mkdir()
    row = "| T{n} (Read more on [arXiv](https://arxiv.org/abs/2501.0000{n}) or [HF](x))| A | S |\n"
    head = "## Papers for 2025-01-05\n\n| Title | Authors | Summary |\n|---|---|---|\n"
    day.write_text(head + row.format(n=1) + row.format(n=2))
    build([str(day)], out=tmp_path / "out")
    day.write_text(head + row.format(n=1))
    result = build([str(day)], out=tmp_path / "out")
    assert result.summary.papers == 1


def test_library_api_store_and_rdflib_views():
    result = build([str(FIX / "three_old.md")], out=None)
    assert isinstance(result.store, ox.Store)
    assert bool(result.query("ASK { ?p kg:arxivId ?id }", id=ox.Literal("2409.03810")))
    assert not bool(result.query("ASK { ?p kg:arxivId ?id }", id=ox.Literal('x" } ; DROP ALL ; {')))
    ds = result.rdflib_dataset()
    assert len(list(ds.quads())) == result.summary.quads
