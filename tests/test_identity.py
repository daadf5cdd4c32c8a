"""Probable same-person pairs (reported, not merged), the aliases file, the quality report."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.errors import InputError
from kg.identity import probable_duplicates, read_aliases

FIX = Path(__file__).parent / "fixtures"
ID = "https://w3id.org/paperkg/id/"


def names(result, sparql):
    return sorted(r[0].value for r in result.query(sparql))


def test_probable_duplicates_with_evidence():
    result = build([str(FIX / "identity")], out=None)
    found = [(d.a_name, d.b_name, d.evidence) for d in probable_duplicates(result.store, ID)]
    assert found == [
        ("Carol Wu", "cwu-ml", "the Hugging Face API links 'Carol Wu' to the Hub user 'cwu-ml', an author name here"),
        ("kpzhang", "kpzhang996", "'kpzhang996' is 'kpzhang' with a number added"),
        ("Yuhang Zang", "Y. Zang", "'Y. Zang' abbreviates 'Yuhang Zang' and they share co-author 'Ann Lee'"),
    ]
    # reported, not merged
    assert len(names(result, "SELECT ?a WHERE { ?a a kg:Author }")) == 9


def test_aliases_merge_and_split(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("spelling,canonical\nkpzhang996,kpzhang\nY. Zang,Yuhang Zang\ncwu-ml,Carol Wu\nAnn Lee,ann-lee-2\n")
    result = build([str(FIX / "identity")], out=None, aliases=read_aliases(aliases))
    assert names(result, "SELECT ?v WHERE { <https://w3id.org/paperkg/id/author/kpzhang> kg:nameVariant ?v }") == [
        "kpzhang", "kpzhang996"]
    assert names(result, "SELECT ?p WHERE { ?p dcterms:creator <https://w3id.org/paperkg/id/author/yuhangzang> }") == [
        ID + "paper/2502.10003", ID + "paper/2502.10004"]
    assert names(result, "SELECT ?p WHERE { ?p dcterms:creator <https://w3id.org/paperkg/id/author/annlee2> }") == [
        ID + "paper/2502.10001", ID + "paper/2502.10003", ID + "paper/2502.10004"]
    assert probable_duplicates(result.store, ID) == []
    again = build([str(FIX / "identity")], out=None, aliases=read_aliases(aliases))
    assert sorted(map(str, again.store)) == sorted(map(str, result.store))  # deterministic


def test_quality_report_does_not_depend_on_the_order_of_the_inputs(tmp_path):
    build([str(FIX / "six.md"), str(FIX / "queries")], out=tmp_path / "a")
    build([str(FIX / "queries"), str(FIX / "six.md")], out=tmp_path / "b")
    for name in ("quality.json", "quality.md", "graph.trig"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_bad_aliases_file(tmp_path):
    bad = tmp_path / "a.csv"
    bad.write_text("name,key\nx,y\n")
    with pytest.raises(InputError, match="header 'spelling,canonical'"):
        read_aliases(bad)
    bad.write_text("spelling,canonical\nx,---\n")
    with pytest.raises(InputError, match=r"a.csv:2: expected"):
        read_aliases(bad)
    r = CliRunner().invoke(main, ["build", str(FIX / "identity"), "-o", str(tmp_path / "o"), "--aliases", str(bad)])
    assert r.exit_code == 1 and "a.csv:2: expected 'spelling,canonical'" in r.stderr


def test_quality_report_sections(tmp_path):
    build([str(FIX / "six.md"), str(FIX / "queries")], out=tmp_path)
    q = json.loads((tmp_path / "quality.json").read_text())
    assert [(r["line"], r["reason"]) for r in q["rows_rejected"]] == [
        (14, "row has 3 cells, header has 6"), (15, "no arXiv or Hugging Face paper link in the title or link cell")]
    assert q["junk_dropped"] == {"placeholder": {"count": 3, "example": "None"}}  # the smallest value of the kind
    assert q["urls_reclassified"]["GitHub link in the huggingface column"] == {
        "count": 1, "example": "https://github.com/Owner-X/Fast-Serve"}
    assert q["topics_not_in_scheme"] == {"Quantum Vibes": 1}
    assert [r["paper"] for r in q["rows_without_authors"]] == ["2502.00003"]
    differing = {(r["paper"], r["field"]) for r in q["fields_differing_across_days"]}
    assert differing == {("2501.00101", "authors"), ("2501.00101", "topics"), ("2501.00101", "links")}
    authors = next(r for r in q["fields_differing_across_days"] if r["field"] == "authors")
    assert authors["values"] == {"2025-01-06": "Ann Lee, Bob Stone, carl-x", "2025-01-13": "Ann Lee, Bob Stone, Carl X"}
    assert authors["won"] == "Ann Lee, Bob Stone, Carl X"
    several = {r["key"]: r["spellings"] for r in q["authors_with_several_spellings"]}
    assert several["franckdernoncourt"] == {"Franck Dernoncourt": 1, "Franck-Dernoncourt": 1}
    md = (tmp_path / "quality.md").read_text()
    assert "## Rows rejected (2)" in md and "## Probable duplicate people (not merged) (0)" in md
