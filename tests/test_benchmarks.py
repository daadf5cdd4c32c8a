"""The benchmark scripts run (tiny sizes) and print what they promise; no timing is asserted."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def test_generator_is_deterministic_and_readable(tmp_path):
    for out in ("a", "b"):
        subprocess.run([sys.executable, str(BENCH / "generate.py"), "--papers", "40", "--out", str(tmp_path / out)],
                       check=True, capture_output=True)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files and all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    from kg.build import build

    summary = build([str(tmp_path / "a")], out=None).summary
    assert summary.papers == 40 and not summary.rows_rejected and summary.junk_dropped  # some junk cells, by design


def test_run_prints_stages_scaling_and_the_naive_ratio(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--sizes", "30,60", "--work", str(tmp_path),
                           "--json", str(tmp_path / "figures.json")], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    for stage in ("read", "normalise", "map", "export ttl", "export nt", "export jsonld", "export trig", "store",
                  "queries (all)", "report", "view graph", "view coauthors", "view topics", "peak MiB"):
        assert f"\n{stage} " in out, stage
    assert "x naive" in out and "kg build 30 -> 60" in out and "top-coauthor-pairs" in out
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert set(figures) == {"30", "60"}
    for fig in figures.values():
        assert fig["kg build"]["seconds"] > 0 and fig["kg build"]["peak_mib"] > 10
        assert set(fig["naive"]["queries"]) == set(fig["stages"]["queries"])
        assert fig["stages"]["quads"] > fig["stages"]["triples"] > 0


def test_dev_end_to_end_times_both_checkouts_and_prints_the_stages(tmp_path):
    fixtures = Path(__file__).resolve().parent / "fixtures"
    for part, files in (("seed", ["six.md"]), ("dev", ["four.md", "three.md"])):
        (tmp_path / "data" / part).mkdir(parents=True)
        for f in files:
            (tmp_path / "data" / part / f).write_bytes((fixtures / f).read_bytes())
    root = BENCH.parent
    proc = subprocess.run([sys.executable, str(BENCH / "dev.py"), "--runs", "2", "--data", str(tmp_path / "data"),
                           "--before", str(root)], capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert out.count("\nrun ") == 3 and out.startswith("run 1 after") and "after  min " in out and "before min " in out and "over 2 runs" in out
    for stage in ("read", "writing the RDF exports", "writing the report", "writing coauthors.html", "total (with interpreter)"):
        assert f"\n{stage} " in out, stage


def test_scaling_interleaves_runs_and_prints_the_ratio_of_medians(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH / "scaling.py"), "--sizes", "20,40", "--runs", "2", "--work", str(tmp_path),
                           "--before", str(BENCH.parent)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rounds = [line for line in proc.stdout.splitlines() if line.startswith("round ")]
    assert [line.split(" kg report ")[0] for line in rounds] == ["round 1: after", "round 1: before"] * 2 + ["round 2: after", "round 2: before"] * 2
    assert proc.stdout.count("ratio ") == 2 and "x for 2x the papers" in proc.stdout
    assert (tmp_path / "scaling-after-40" / "report.md").is_file()
