"""kg validate: the built graphs conform; a graph broken in each way the shapes check fails."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.validate import validate

from .conftest import need_shared

FIX = Path(__file__).parent / "fixtures"
ID = "https://w3id.org/paperkg/id/"
KG = "https://w3id.org/paperkg/ontology#"
DC = "http://purl.org/dc/terms/"
P = ID + "paper/2501.00101"


@pytest.fixture
def store():
    return build([str(FIX / "queries")], out=None).store


def test_fixture_graph_conforms(store):
    report = validate(store)
    assert report.conforms and report.findings == []


def test_label_outside_the_scheme_is_a_warning_not_a_violation():
    report = validate(build([str(FIX / "six.md")], out=None).store)
    assert report.conforms
    assert [(f.severity, f.node) for f in report.findings] == [("Warning", ID + "topic/quantum-vibes")]


def test_dev_graph_conforms():
    shared = need_shared()
    report = validate(build([str(shared / "seed"), str(shared / "dev")], out=None).store)
    assert report.conforms and report.findings == []


def _triple(s, p, o):
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o)


def _break(store, remove=(), add=()):
    for s, p in remove:
        for q in list(store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, ox.DefaultGraph())):
            store.remove(q)
    for s, p, o in add:
        store.add(_triple(s, p, o))
    return validate(store)


BROKEN = {
    "no arXiv id": (((P, KG + "arxivId"),), (), "a paper has exactly one arXiv id"),
    "arXiv id with a version": (((P, KG + "arxivId"),), ((P, KG + "arxivId", ox.Literal("2501.00101v2")),), "a paper has exactly one arXiv id"),
    "two arXiv ids": ((), ((P, KG + "arxivId", ox.Literal("2501.00999")),), "a paper has exactly one arXiv id"),
    "no title": (((P, DC + "title"),), (), "a paper has exactly one title"),
    "no digest": (((P, KG + "listedIn"),), (), "a paper is listed in at least one digest"),
    "repeated position": (((P + "/authorship/2", KG + "position"),),
                          ((P + "/authorship/2", KG + "position", ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),),
                          "authorship positions repeat: 1 is used twice"),
    "gap in positions": (((P + "/authorship/3", KG + "position"),),
                         ((P + "/authorship/3", KG + "position", ox.Literal("4", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),),
                         "authorship positions are not 1..n: 3 authorships, positions 1 to 4"),
    "creator without authorship": ((), ((P, DC + "creator", ox.NamedNode(ID + "author/deefox")),),
                                   f"creator {ID}author/deefox has no authorship"),
    "authorship without creator": ((), ((P + "/authorship/3", KG + "author", ox.NamedNode(ID + "author/evemoss")),),
                                   "an authorship has exactly one author"),
    "topic with two categories": ((), ((ID + "topic/text-generation", "http://www.w3.org/2004/02/skos/core#broader",
                                        ox.NamedNode(ID + "topic/computer-vision")),),
                                  "a topic in the scheme has one broader category, or is a top concept"),
    "repository off GitHub": (((ID + "repo/github/dee/gamma", KG + "url"),),
                              ((ID + "repo/github/dee/gamma", KG + "url", ox.NamedNode("https://gitlab.com/dee/gamma")),),
                              "a repository has one URL, on github.com/OWNER/REPO"),
    "node without label": (((ID + "author/deefox", "http://www.w3.org/2000/01/rdf-schema#label"),), (), "a node without a label"),
    "node without type": (((ID + "digest/2025-01-06", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),), (), "a node without a type"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_graph_fails_with_a_readable_finding(store, case):
    remove, add, message = BROKEN[case]
    report = _break(store, remove, add)
    assert not report.conforms
    assert any(message in f.message and f.severity == "Violation" for f in report.findings), report.text()


def test_cli_validate_exit_codes(tmp_path):
    build([str(FIX / "queries")], out=tmp_path)
    r = CliRunner().invoke(main, ["validate", "--graph", str(tmp_path)])
    assert r.exit_code == 0 and r.stdout == "Conforms: 0 violations, 0 warnings\n"
    text = (tmp_path / "graph.ttl").read_text().replace('kg:arxivId "2501.00101"', 'kg:arxivId "nope"')
    (tmp_path / "broken.ttl").write_text(text)
    r = CliRunner().invoke(main, ["validate", "--graph", str(tmp_path / "broken.ttl")])
    assert r.exit_code == 1
    assert r.stdout.splitlines()[0] == "Does not conform: 1 violations, 0 warnings"
    assert f"Violation  {P}  [arxivId Pattern]  a paper has exactly one arXiv id" in r.stdout
    r = CliRunner().invoke(main, ["build", str(FIX / "queries"), "-o", str(tmp_path / "v"), "--validate", "--no-views", "--no-report"])
    assert r.exit_code == 0 and "Conforms: 0 violations" in r.stdout
