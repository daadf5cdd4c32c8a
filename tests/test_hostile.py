"""Hostile input: no traceback, every good row kept, every bad row reported with file:line and
a reason, and every exported file still parses in rdflib and pyoxigraph."""

import json

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from kg.cli import main

HEAD6 = "## Papers for 2025-01-20\n\n| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n|---|---|---|---|---|---|\n"
HEAD3 = "## Papers for 2025-01-20\n\n| Title | Authors | Summary |\n|---|---|---|\n"


def row6(n, title="Title", authors="Ann Lee, Bob Stone", summary="A summary.", topics="['Text Generation']",
         gh="N/A", hf="N/A"):
    return f"| [{title}](https://arxiv.org/abs/2501.{n:05d}) | {authors} | {summary} | {topics} | {gh} | {hf} |\n"


def good(n):
    return row6(n)


def rec(n, **over):
    r = {"title": f"T{n}", "authors": "Ann Lee", "link": f"https://arxiv.org/abs/2501.{n:05d}", "github_repo": None,
         "summary": "S", "classification": ["Text Generation"], "github_urls": [], "huggingface_urls": [],
         "date": "2025-01-20"}
    r.update(over)
    return r


XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'`'
IRI_BREAKERS = ' <>"{}|^`\\'

# name -> (file name, bytes, good arXiv ids kept, rejected row lines (None: any >= 1), file-level error)
CASES = {
    "truncated markdown row": ("2025-01-20.md", (HEAD6 + good(1) + "| [Cut](https://arxiv.org/abs/2501.00002) | A").encode(),
                               {"2501.00001"}, [6], False),
    "truncated JSON": ("2025-01-20.json", json.dumps([rec(1), rec(2)]).encode()[:-40], {"2501.00001"}, None, False),
    "binary file": ("2025-01-20.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), set(), [], True),
    "UTF-16 file": ("2025-01-20.md", (HEAD6 + row6(1, authors="José Núñez")).encode("utf-16"), {"2501.00001"}, [], False),
    "Latin-1 file": ("2025-01-20.md", (HEAD6 + row6(1, authors="José Núñez")).encode("latin-1"), {"2501.00001"}, [], False),
    "10 MB cell": ("2025-01-20.md", (HEAD6 + row6(1, summary="x" * 10_000_000) + good(2)).encode(), {"2501.00002"}, [5], False),
    "1 MB cell": ("2025-01-20.md", (HEAD6 + row6(1, summary="y" * 999_000)).encode(), {"2501.00001"}, [], False),
    "pipes in every cell": ("2025-01-20.md", (HEAD6 + "| a | b | c | d | e | f | g | h |\n" + "| | | | | | |\n" + good(3)).encode(),
                            {"2501.00003"}, [5, 6], False),
    "header only": ("2025-01-20.md", HEAD6.encode(), set(), [], False),
    "unknown columns": ("2025-01-20.md", ("## Papers for 2025-01-20\n\n| Title | Notes | Authors | Summary | Extra |\n|---|---|---|---|---|\n"
                                          "| T (Read more on [arXiv](https://arxiv.org/abs/2501.00001))| n | Ann Lee | S | e |\n").encode(),
                        {"2501.00001"}, [], False),
    "header repeated mid-file": ("2025-01-20.md", (HEAD6 + good(1) + HEAD6.split("\n", 2)[2] + good(2)).encode(),
                                 {"2501.00001", "2501.00002"}, [], False),
    "too few cells": ("2025-01-20.md", (HEAD6 + "| [T](https://arxiv.org/abs/2501.00001) | A |\n" + good(2)).encode(), {"2501.00002"}, [5], False),
    "too many cells without a summary": ("2025-01-20.md", ("## Papers for 2025-01-20\n\n| Title | Authors | Link |\n|---|---|---|\n"
                                                            "| T | A | [Read more](https://arxiv.org/abs/2501.00001) | extra |\n").encode(), set(), [5], False),
    "JSON that is not a list": ("2025-01-20.json", json.dumps({"papers": [rec(1)]}).encode(), set(), [], True),
    "JSON list of non-objects": ("2025-01-20.json", json.dumps([1, "two", None, rec(3)]).encode(), {"2501.00003"}, [1, 1, 1], False),
    "JSON wrong types": ("2025-01-20.json", json.dumps([rec(1, authors=5), rec(2, classification={"a": 1}), rec(3, link=["x"]),
                                                        rec(4, github_urls="https://github.com/a/b"), rec(5)]).encode(),
                         {"2501.00004", "2501.00005"}, None, False),
    "JSON null": ("2025-01-20.json", b"null", set(), [], True),
    "deeply nested JSON": ("2025-01-20.json", b"[" * 50_000 + b"]" * 50_000, set(), None, False),
    "script in every field": ("2025-01-20.md", (HEAD6 + row6(1, title=XSS, authors=XSS, summary=XSS, topics=f"['{XSS}']",
                                                           gh=f"[Link]({XSS})", hf=f"[Link]({XSS})")).encode(), {"2501.00001"}, [], False),
    "javascript: in every link": ("2025-01-20.md", (HEAD6 + row6(1, gh="[Link](javascript:alert(1)), [Link](JAVASCRIPT:x)",
                                                               hf="[Link](javascript://github.com/a/b)")).encode(), {"2501.00001"}, [], False),
    "IRI-breaking characters in names": ("2025-01-20.md", (HEAD6 + row6(1, authors=f"Ann{IRI_BREAKERS}Lee, {IRI_BREAKERS}")).encode(),
                                         {"2501.00001"}, [], False),
    "IRI-breaking characters in URLs": ("2025-01-20.md", (HEAD6 + row6(1, gh="[Link](https://github.com/o<w>n\"er/re{p}o^`)",
                                                                      hf="[Link](https://proj.example.org/a b\"c<d>{e}^`)")).encode(),
                                        {"2501.00001"}, [], False),
    "arXiv ids with versions and old style": ("2025-01-20.md", (HEAD6 + "| [V](https://arxiv.org/abs/2501.00001v3) | A | S | [] | N/A | N/A |\n"
                                                                 "| [Old](https://arxiv.org/abs/hep-th/9901001v2) | A | S | [] | N/A | N/A |\n").encode(),
                                              {"2501.00001", "hep-th/9901001"}, [], False),
    "empty file": ("2025-01-20.md", b"", set(), [], True),
    "whitespace only": ("2025-01-20.md", b"\n\n   \n\t\n", set(), [], True),
    "impossible date in heading": ("x.md", (HEAD6.replace("2025-01-20", "2025-13-45") + good(1)).encode(), set(), [5], False),
    "impossible date in JSON": ("x.json", json.dumps([rec(1, date="2025-02-30"), rec(2, date="2025-02-28")]).encode(),
                                {"2501.00002"}, [1], False),
    "no date anywhere": ("notes.md", (HEAD6.split("\n", 2)[2] + good(1)).encode(), set(), [3], False),
    "control characters in text": ("2025-01-20.md", (HEAD6 + row6(1, title="Ti\x07tle\x1b[31m", authors="Ann\x00 Lee")).encode("utf-8"),
                                   set(), [], True),
    "control characters (no NUL)": ("2025-01-20.md", (HEAD6 + row6(1, title="Ti\x07tle\x1b[31m", authors="Ann\x08 Lee")).encode(),
                                    {"2501.00001"}, [], False),
    "1000 authors": ("2025-01-20.md", (HEAD6 + row6(1, authors=", ".join(f"Person {i}" for i in range(1000)))).encode(), {"2501.00001"}, [], False),
    "code in a classification cell": ("2025-01-20.md", (HEAD6 + row6(1, topics="__import__('os').system('true')")).encode(), {"2501.00001"}, [], False),
    "same paper twice in a day": ("2025-01-20.md", (HEAD6 + good(1) + row6(1, summary="Other.")).encode(), {"2501.00001"}, [], False),
    "CRLF and tabs": ("2025-01-20.md", (HEAD6 + good(1)).replace("\n", "\r\n").replace(" | ", "\t|\t").encode(), {"2501.00001"}, [], False),
    "HF API with wrong types": ("2025-01-20.json", json.dumps([{"paper": {"id": "2501.00001", "title": "T", "authors": "nope"}},
                                                               {"paper": {"id": "not-an-id", "title": "T"}},
                                                               {"paper": {"id": "2501.00003", "title": "T", "authors": [{"name": "Ann"}, 5]}}]).encode(),
                                {"2501.00003"}, None, False),
    "unicode host and path": ("2025-01-20.md", (HEAD6 + row6(1, gh="[Link](https://例え.jp/パス)", hf="[Link](https://huggingface.co/用户/模型)")).encode(),
                              {"2501.00001"}, [], False),
}


def run_build(tmp_path, name, data):
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(out), "--format", "json", "--no-views", "--no-report"])
    return path, out, result


def exports_parse(out):
    for name, fmt in (("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld"), ("graph.trig", "trig")):
        list(ox.parse(path=str(out / name)))
        # rdflib's N-Triples parser is quadratic in the length of a literal (7 s for one 1 MB
        # literal, where its Turtle parser takes 0.02 s): the 10 MB case reads the same graph
        # through rdflib's Turtle, JSON-LD and TriG parsers instead.
        if fmt == "nt" and (out / name).stat().st_size > 2_000_000:
            continue
        g = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
        g.parse(out / name, format=fmt)
    store = ox.Store()
    store.load(path=str(out / "graph.trig"))
    return {r["id"].value for r in store.query("SELECT ?id WHERE { ?p <https://w3id.org/paperkg/ontology#arxivId> ?id }")}


@pytest.mark.parametrize("case", CASES)
def test_hostile_case(tmp_path, case):
    name, data, kept, lines, file_error = CASES[case]
    path, out, result = run_build(tmp_path, name, data)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == (1 if file_error else 0), result.output
    summary = json.loads(result.stdout)
    rejected = [r for r in summary["rows_rejected"] if r["line"]]
    assert all(r["file"] == str(path) and r["reason"] for r in summary["rows_rejected"])
    if lines is None:
        assert rejected
    else:
        assert [r["line"] for r in rejected] == lines, rejected
    if file_error:
        assert f"Error: {path}: " in result.stderr
    assert exports_parse(out) == kept


def test_100k_row_file(tmp_path):
    rows = "".join(row6(i % 100, authors=f"Person {i % 7}") for i in range(100_000))
    path, out, result = run_build(tmp_path, "2025-01-20.md", (HEAD6 + rows).encode())
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["rows_read"] == 100_000 and summary["papers"] == 100 and not summary["rows_rejected"]
    assert len(exports_parse(out)) == 100


def test_there_are_at_least_30_hostile_cases():
    assert len(CASES) + 1 >= 30


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.text(max_size=80), min_size=1, max_size=6), st.binary(max_size=200))
def test_any_file_in_no_crash_out(tmp_path_factory, cells, noise):
    """Generated files: a header, generated rows and some random bytes; no traceback, and
    whatever went in parses back."""
    tmp = tmp_path_factory.mktemp("h")
    body = "".join("| " + " | ".join([*cells, "[x](https://arxiv.org/abs/2501.00001)"][:6]) + " |\n" for _ in range(3))
    data = (HEAD6 + body).encode("utf-8", "surrogatepass") + noise
    _path, out, result = run_build(tmp, "2025-01-20.md", data)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1)
    if (out / "graph.ttl").exists():
        exports_parse(out)
