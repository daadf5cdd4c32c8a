"""The real digests in ../shared/data: every row accounted for, the graph as expected-dev.json says."""

import json
import re
from pathlib import Path

import pytest

from kg import readers
from kg.build import build
from kg.records import Record, Rejection

from .conftest import need_shared


@pytest.fixture(scope="module")
def shared():
    return need_shared()


@pytest.fixture(scope="module")
def graph(shared):
    return build([str(shared / "seed"), str(shared / "dev")], out=None)


def test_every_markdown_row_and_json_record_is_read_or_rejected(shared):
    for path in readers.expand_inputs([str(shared / "seed"), str(shared / "dev")]):
        text = Path(path).read_text(encoding="utf-8")
        if path.endswith(".json"):
            expected = len(json.loads(text))
        else:
            expected = sum(
                1 for line in text.splitlines()
                if line.startswith("|") and not re.match(r"^\|\s*(Title|-)", line)
            )
        events = [e for e in readers.read_digest(path) if isinstance(e, (Record, Rejection))]
        assert len(events) == expected, path
        assert not [e for e in events if isinstance(e, Rejection)], path


def test_seed_papers_authors_topics_and_repair(shared):
    result = build([str(shared / "seed")], out=None)
    assert result.summary.papers == 13
    summaries = [r[0].value for r in result.query("SELECT ?s WHERE { ?p kg:summary ?s }")]
    assert any("1.40× improvement" in s for s in summaries)
    assert not any("Ã" in s for s in summaries)
    # the seed's GitHub link in its HF column becomes a repository
    assert result.summary.links_reclassified.get("GitHub link in the huggingface column", 0) >= 1


def test_graph_matches_expected_dev(shared, graph):
    expected = json.loads((shared / "expected-dev.json").read_text())
    got: dict[str, dict] = {}
    q = """SELECT ?id ?title WHERE { ?p a kg:Paper ; kg:arxivId ?id ; dcterms:title ?title }"""
    for row in graph.query(q):
        got[row["id"].value] = {"title": row["title"].value, "authors": {}, "topics": set(), "repos": set(), "dates": set()}
    for row in graph.query("SELECT ?id ?pos ?name WHERE { ?p kg:arxivId ?id ; kg:authorship [ kg:position ?pos ; kg:nameAsListed ?name ] }"):
        got[row["id"].value]["authors"][int(row["pos"].value)] = row["name"].value
    for row in graph.query("SELECT ?id ?t WHERE { ?p kg:arxivId ?id ; dcterms:subject/skos:prefLabel ?t }"):
        got[row["id"].value]["topics"].add(row["t"].value)
    for row in graph.query("SELECT ?id ?r WHERE { ?p kg:arxivId ?id ; kg:repository/rdfs:label ?r }"):
        got[row["id"].value]["repos"].add(row["r"].value.lower())
    for row in graph.query("SELECT ?id ?d WHERE { ?p kg:arxivId ?id ; kg:listedIn/dcterms:date ?d }"):
        got[row["id"].value]["dates"].add(row["d"].value)
    assert set(got) == set(expected)
    for pid, exp in expected.items():
        g = got[pid]
        assert g["title"] == exp["title"], pid
        assert [g["authors"][i] for i in sorted(g["authors"])] in exp["author_lists"], pid
        assert g["topics"] == set(exp["topics"]), pid
        assert g["repos"] == set(exp["github_repos"]), pid
        assert sorted(g["dates"]) == exp["dates"], pid
