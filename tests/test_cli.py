"""The kg command: exact output, exit codes (0 ok, 1 error, 2 usage)."""

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

FIX = Path(__file__).parent / "fixtures"


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_build_prints_a_summary_and_reports_rejected_rows(tmp_path):
    r = run("build", str(FIX / "six.md"), "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Built 5 papers from 1 files (1 digests) in ")
    assert lines[1:11] == [
        "  rows read          7  (rejected 2)",
        "  papers             5  (5 new, 0 updated)",
        "  authors            9",
        "  topics             8  (not in the scheme: Quantum Vibes 1)",
        "  repositories       6",
        "  artefacts          3",
        "  digests            1",
        "  junk dropped       3  (placeholder 3)",
        "  links reclassified 3  (GitHub link in the huggingface column 1, project page in the huggingface column 2)",
        "  triples            302  (569 quads with the digest graphs)",
    ]
    assert "six.md:14: row has 3 cells, header has 6" in r.stderr
    assert (tmp_path / "graph.ttl").exists()


def test_strict_turns_rejected_rows_into_exit_1(tmp_path):
    assert run("build", str(FIX / "six.md"), "-o", str(tmp_path), "--strict").exit_code == 1
    assert run("build", str(FIX / "three.md"), "-o", str(tmp_path), "--strict", "--fresh").exit_code == 0


def test_json_summary(tmp_path):
    r = run("build", str(FIX / "six.md"), "-o", str(tmp_path), "--format", "json")
    data = json.loads(r.stdout)
    assert data["papers"] == 5 and data["junk_dropped"] == {"placeholder": 3}
    assert data["rows_rejected"][0] == {"file": str(FIX / "six.md"), "line": 14, "reason": "row has 3 cells, header has 6"}


def test_unknown_format_is_an_error_naming_the_known_ones(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    r = run("build", str(bad), str(FIX / "three.md"), "-o", str(tmp_path / "out"))
    assert r.exit_code == 1
    assert f"Error: {bad}: not a digest in any known format (known: hf-daily-papers, json-records, markdown)" in r.stderr
    assert "Built 2 papers" in r.stdout  # the good file still went in


def test_usage_errors_exit_2(tmp_path):
    assert run("build").exit_code == 2
    r = run("build", str(tmp_path / "missing.md"))
    assert r.exit_code == 2 and "no such file or directory" in r.stderr
    assert run("build", str(FIX / "three.md"), "--base", "not an iri").exit_code == 2


def test_stdin(tmp_path):
    r = run("build", "-", "-o", str(tmp_path), input=(FIX / "four.md").read_text())
    assert r.exit_code == 0 and "Built 2 papers" in r.stdout


def test_broken_existing_graph_is_a_clear_error(tmp_path):
    (tmp_path / "graph.trig").write_text("this is not trig {")
    r = run("build", str(FIX / "three.md"), "-o", str(tmp_path))
    assert r.exit_code == 1 and r.stderr.startswith(f"Error: {tmp_path / 'graph.trig'}: cannot read the graph")
    assert "Traceback" not in r.output


def test_formats_lists_the_registry():
    r = run("formats")
    assert [line.split()[0] for line in r.stdout.splitlines()] == ["hf-daily-papers", "json-records", "markdown"]


def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("kg, version ")


def test_the_process_exits_with_the_command_s_code_and_its_output(tmp_path):
    """`python -m kg` (and the console script) end with os._exit: codes and output must come through."""
    def kg(*args):
        return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=tmp_path)

    ok = kg("build", str(FIX / "six.md"), "--out", str(tmp_path / "out"), "--no-views", "--no-report")
    assert ok.returncode == 0 and ok.stdout.startswith("Built ") and "wrote" in ok.stdout
    rows = kg("query", "topics", "-g", str(tmp_path / "out"), "--format", "csv")
    assert rows.returncode == 0 and rows.stdout.splitlines()[0].startswith("topic") and len(rows.stdout.splitlines()) > 3
    missing = kg("query", "nosuch", "-g", str(tmp_path / "out"))
    assert missing.returncode == 1 and missing.stderr.startswith("Error: no named query 'nosuch'")
    usage = kg("query", "--bogus")
    assert usage.returncode == 2 and "No such option" in usage.stderr
