"""``kg build --store DIR``: an on-disk store with the same results as the in-memory default."""

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from kg import query as kq
from kg.build import build
from kg.cli import main
from kg.store import load

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
