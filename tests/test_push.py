"""kg push against a real Oxigraph server that the test starts and stops."""

import json
import shutil
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import query as kq
from kg.build import build
from kg.cli import main
from kg.store import load

from .conftest import IN_CI
from .test_query import EXPECTED, FIX


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if found:
        return found
    if IN_CI:
        pytest.fail("the oxigraph server (pip install oxigraph) is missing in CI")
    pytest.skip("the oxigraph server is not installed (pip install oxigraph)")


@pytest.fixture
def server(tmp_path):
    binary = oxigraph_binary()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        line = proc.stdout.readline()  # "Listening for requests at http://..." once it is up
        assert "Listening" in line, line
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def remote(base: str, sparql: str, accept: str = "application/sparql-results+json"):
    data = urllib.parse.urlencode({"query": sparql}).encode()
    req = urllib.request.Request(base + "/query", data=data, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read()


PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in kq.PREFIXES.items())


def remote_rows(base: str, text: str, bindings: dict) -> list[tuple]:
    """A named query through the server: the protocol has no bindings, so (in this test only)
    the bound terms go in as a VALUES block opening the WHERE clause, serialised by pyoxigraph;
    like a substitution, it binds them before anything else is evaluated."""
    if bindings:
        names = " ".join(f"?{k}" for k in bindings)
        terms = " ".join(str(v) for v in bindings.values())
        head, sep, tail = text.partition("WHERE {")
        assert sep, "every parameterised named query has a WHERE clause"
        text = f"{head}WHERE {{ VALUES ({names}) {{ ({terms}) }}{tail}"
    data = json.loads(remote(base, PREFIXES + text))
    names = data["head"]["vars"]
    return [tuple(row.get(n, {}).get("value") for n in names) for row in data["results"]["bindings"]]


def test_push_then_named_queries_give_the_same_rows_through_the_server(server, tmp_path):
    build([str(FIX)], out=tmp_path)
    r = CliRunner().invoke(main, ["push", "--endpoint", server + "/store", "--graph", str(tmp_path), "--chunk", "100"])
    assert r.exit_code == 0, r.output
    local_store = load(tmp_path)
    assert r.stdout.startswith(f"Sent {len(local_store)} triples in 3 graphs (")
    count = json.loads(remote(server, "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"))
    assert int(count["results"]["bindings"][0]["n"]["value"]) == len(local_store)

    for name, params in EXPECTED:
        named = kq.get_named(name)
        bindings = kq.bind(named.params, dict(params))
        local = [tuple(None if v is None else v.value for v in row) for row in kq.run(local_store, named.text, bindings)]
        assert remote_rows(server, named.text, bindings) == local, name

    named = kq.get_named("paper")
    bindings = kq.bind(named.params, {"id": "2501.00101"})
    head, _, tail = named.text.partition("WHERE {")
    served = remote(server, PREFIXES + f'{head}WHERE {{ VALUES ?id {{ "2501.00101" }}{tail}', "application/n-triples")
    local = {str(t) for t in kq.run(local_store, named.text, bindings)}
    assert {str(t) for t in ox.parse(served, format=ox.RdfFormat.N_TRIPLES)} == local and len(local) > 20

    # pushing again with --replace changes nothing
    r = CliRunner().invoke(main, ["push", "--endpoint", server + "/store", "--graph", str(tmp_path), "--replace"])
    assert r.exit_code == 0, r.output
    count = json.loads(remote(server, "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"))
    assert int(count["results"]["bindings"][0]["n"]["value"]) == len(local_store)


def test_push_to_a_named_target_graph(server, tmp_path):
    build([str(FIX / "2025-01-06.md")], out=tmp_path)
    r = CliRunner().invoke(main, ["push", "--endpoint", server + "/store", "-g", str(tmp_path),
                                  "--target-graph", "http://example.org/kg"])
    assert r.exit_code == 0, r.output
    ask = remote(server, "ASK { GRAPH <http://example.org/kg> { ?p a <https://w3id.org/paperkg/ontology#Paper> } }")
    assert json.loads(ask)["boolean"] is True
    assert json.loads(remote(server, "ASK { ?s ?p ?o }"))["boolean"] is False


def test_push_to_nowhere_is_a_clear_error(tmp_path):
    build([str(FIX / "2025-01-06.md")], out=tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = CliRunner().invoke(main, ["push", "--endpoint", f"http://127.0.0.1:{port}/store", "-g", str(tmp_path)])
    assert r.exit_code == 1 and "cannot reach the endpoint" in r.stderr
    assert CliRunner().invoke(main, ["push", "--endpoint", "ftp://x", "-g", str(tmp_path)]).exit_code == 2
