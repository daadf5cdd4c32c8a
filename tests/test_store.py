"""``kg build --store DIR``: an on-disk store with the same results as the in-memory default."""

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import query as kq
from kg.build import build
from kg.cli import main
from kg.store import load, without_authorships
from kg.vocab import KG_NS

from .test_query import EXPECTED

FIX = Path(__file__).parent / "fixtures"


def rows(store, name, params):
    named = kq.get_named(name)
    return [tuple(None if v is None else v.value for v in row) for row in kq.run(store, named.text, kq.bind(named.params, params), name)]


def test_on_disk_store_answers_like_the_in_memory_one(tmp_path):
    disk = build([str(FIX / "queries")], out=tmp_path / "out", store_dir=tmp_path / "store")
    memory = build([str(FIX / "queries")], out=None)
    assert (tmp_path / "store").is_dir() and len(disk.store) == len(memory.store) > 300
    assert set(disk.store) == set(memory.store)
    reopened = load(tmp_path / "store")  # what kg query --graph DIR opens: read-only, nothing loaded
    for name, params in EXPECTED:
        expected = rows(memory.store, name, dict(params))
        assert rows(disk.store, name, dict(params)) == expected, name
        assert rows(reopened, name, dict(params)) == expected, name
    del reopened


def test_next_build_replaces_what_the_store_holds(tmp_path):
    build([str(FIX / "queries")], out=tmp_path / "out", store_dir=tmp_path / "store", fresh=True)
    again = build([str(FIX / "six.md")], out=tmp_path / "out", store_dir=tmp_path / "store")  # merged into out
    both = build([str(FIX / "queries"), str(FIX / "six.md")], out=None)
    assert set(again.store) == set(both.store)
    del again  # a store folder is open in one place at a time (RocksDB's lock)
    fresh = build([str(FIX / "six.md")], out=tmp_path / "out2", store_dir=tmp_path / "store", fresh=True)
    assert set(fresh.store) == set(build([str(FIX / "six.md")], out=None).store)


def test_cli_store_then_query_it(tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["build", str(FIX / "queries"), "-o", str(tmp_path / "out"), "--store", str(tmp_path / "st"), "-q"])
    assert r.exit_code == 0, r.output
    by_store = runner.invoke(main, ["query", "authors-by-papers", "-g", str(tmp_path / "st"), "--format", "csv"])
    by_export = runner.invoke(main, ["query", "authors-by-papers", "-g", str(tmp_path / "out"), "--format", "csv"])
    assert by_store.exit_code == 0 and by_store.output == by_export.output and by_store.output.count("\n") > 3


def test_refuses_a_folder_that_is_not_a_store(tmp_path):
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "todo.txt").write_text("mine")
    r = CliRunner().invoke(main, ["build", str(FIX / "six.md"), "-o", str(tmp_path / "out"), "--store", str(keep), "-q"])
    assert r.exit_code == 1 and "not an empty folder or a store" in r.stderr
    assert (keep / "todo.txt").read_text() == "mine" and not (tmp_path / "out").exists()  # nothing done


def test_store_survives_the_process(tmp_path):
    build([str(FIX / "six.md")], out=None, store_dir=tmp_path / "store")
    store = ox.Store.read_only(str(tmp_path / "store"))
    assert bool(store.query("ASK { ?p a <https://w3id.org/paperkg/ontology#Paper> }"))


def test_merged_graph_alone_answers_like_the_dataset(tmp_path):
    """Readers of the default graph load graph.nt: same rows, without the digests' graphs."""
    build([str(FIX / "queries")], out=tmp_path / "out", report=False, views=False)
    whole, merged = load(tmp_path / "out"), load(tmp_path / "out", named_graphs=False)
    assert list(merged.named_graphs()) == [] and len(list(whole.named_graphs())) > 1
    for name, params in EXPECTED:
        assert rows(merged, name, dict(params)) == rows(whole, name, dict(params)), name
    (tmp_path / "out" / "graph.nt").unlink()  # a folder without graph.nt: graph.trig, as before
    assert len(load(tmp_path / "out", named_graphs=False)) == len(whole)


def test_cli_query_loads_the_digest_graphs_when_it_names_them(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(FIX / "queries"), "-o", str(tmp_path / "out"), "-q"]).exit_code == 0
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    r = runner.invoke(main, ["query", "-e", per_graph, "-g", str(tmp_path / "out"), "--format", "csv"])
    assert r.exit_code == 0 and r.output.count("digest/") == 2, r.output
    r = runner.invoke(main, ["query", "-e", "SELECT (COUNT(*) AS ?n) FROM NAMED <https://w3id.org/paperkg/id/digest/2025-01-06> WHERE { GRAPH ?g { ?s ?p ?o } }",
                             "-g", str(tmp_path / "out"), "--format", "csv"])
    assert r.exit_code == 0 and int(r.output.split()[1]) > 10, r.output


def test_readers_without_authorships_get_the_rest_of_the_graph(tmp_path):
    """load(..., authorships=False): graph.nt without kg:Authorship nodes and kg:authorship links, nothing else."""
    build([str(FIX / "queries")], out=tmp_path / "out", report=False, views=False)
    expected = load(tmp_path / "out", named_graphs=False)
    expected.update("DELETE { ?s ?p ?o } WHERE { ?s a kg:Authorship ; ?p ?o }", prefixes={"kg": KG_NS})
    expected.update("DELETE WHERE { ?s kg:authorship ?o }", prefixes={"kg": KG_NS})
    left = load(tmp_path / "out", named_graphs=False, authorships=False)
    assert set(left) == set(expected) and 0 < len(left) < len(load(tmp_path / "out", named_graphs=False))
    # a file given by path, or the digests' graphs, are loaded whole
    assert set(load(tmp_path / "out" / "graph.nt", authorships=False)) == set(load(tmp_path / "out", named_graphs=False))
    assert set(load(tmp_path / "out", authorships=False)) == set(load(tmp_path / "out"))


def test_without_authorships_keeps_every_other_line_across_blocks():
    kg = KG_NS.encode()
    paper = b"<https://example.org/paper/1"
    lines = [paper + b"> <http://purl.org/dc/terms/title> \"On /authorship/ in titles\" .\n",  # kept: the text is not an authorship
             *(paper + b"> <" + kg + b"authorship> " + paper + b"/authorship/%d> .\n" % i for i in (1, 2)),
             paper + b"> <" + kg + b"summary> \"s\" .\n",
             *(paper + b"/authorship/%d> <" % i + kg + b"position> \"%d\" .\n" % i for i in (1, 2)),
             b"<https://example.org/paper/2> <http://purl.org/dc/terms/creator> <https://example.org/author/x> ."]  # no newline
    text = b"".join(lines)
    kept = lines[0] + lines[3] + lines[6]
    for size in (7, 64, 100, 1 << 20):  # blocks ending inside runs and inside kept lines
        assert b"".join(without_authorships(io.BytesIO(text), size)) == kept, size


@pytest.mark.parametrize("args", [["report"], ["clusters", "--of", "topics"], ["centrality", "--of", "papers"], ["trends"],
                                  ["export", "--of", "full", "--format", "csv", "-o", "{out}/net"]])
def test_analysis_commands_answer_the_same_without_authorships(tmp_path, args):
    """They read the export folder without the authorships; graph.nt by path is read whole."""
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(FIX / "queries"), "-o", str(tmp_path / "out"), "-q"]).exit_code == 0
    outputs = []
    for graph in ("out", "out/graph.nt"):
        (tmp_path / graph.replace("/", "-") / "x").mkdir(parents=True)
        used = [a.format(out=tmp_path / graph.replace("/", "-") / "x") for a in args]
        r = runner.invoke(main, [*used, "-g", str(tmp_path / graph)])
        assert r.exit_code == 0, r.output
        files = sorted((tmp_path / graph.replace("/", "-") / "x").iterdir())
        outputs.append((r.output.replace(str(tmp_path / graph.replace("/", "-") / "x"), ""), [f.read_bytes() for f in files]))
    assert outputs[0] == outputs[1] and len(outputs[0][0]) > 50
