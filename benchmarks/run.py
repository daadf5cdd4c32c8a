"""paperkg at 1k, 10k and 100k synthetic papers: each stage, peak memory, scaling, and the naive
rdflib pipeline side by side.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--naive-up-to 10000] [--work /tmp/paperkg-bench]
                             [--before DIR] [--skip-views-above 100000]

For each size: synthetic digests (benchmarks/generate.py, seed 0; made once, kept in --work),
then, each in a fresh process so that its peak memory is its own:

* ``kg build`` as a user runs it (all RDF exports and the quality report, no report/views):
  the wall time and peak memory the targets are about;
* the same pipeline stage by stage: read (parse the files, clean the cells), normalise (fold
  records into listings: topics, URLs), map (make the statements), each export (time inside its
  writer), store (pyoxigraph in memory, from graph.trig), every named query (best of 3), the
  report (centralities, clusters, trends) and each HTML view;
* the naive pipeline on the same listings: rdflib's Dataset, rdflib's serialisers (Turtle,
  N-Triples, JSON-LD, TriG) and rdflib's SPARQL engine for the named queries (30 s limit each),
  run last for every size, as it is by far the slowest.

``--before DIR``: also time ``kg build`` and ``kg report`` (up to ``--before-report-up-to``
papers) of another checkout (say a ``git worktree`` of an older commit) on the same corpora,
for a before/after table.  Each figure is kept in ``--work`` as it is measured; ``--resume``
picks an interrupted run up where it stopped.
Prints tables; ``--json FILE`` also writes every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

EXPORT_NAMES = {"Turtle": "ttl", "NTriples": "nt", "JsonLd": "jsonld", "TriG": "trig"}


# --- measuring one child process ---------------------------------------------------------


# Runs a command as its only child and reports that child's peak RSS (KiB) on stderr's last line.
WRAP = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
sys.stderr.write("\\nKG_PEAK %d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def run_child(args: list[str], env: dict | None = None, cwd: str | None = None) -> tuple[float, int, str]:
    """Run a command; its wall time, its own peak RSS (MiB) and its standard output."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WRAP, *args], capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    peak = int(proc.stderr.rsplit("KG_PEAK", 1)[1])
    return wall, peak // 1024, proc.stdout


def peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


class Clock:
    """Stage times and the process's peak memory after each stage."""

    def __init__(self):
        self.stages: dict[str, float] = {}
        self.peaks: dict[str, int] = {}

    def add(self, name: str, seconds: float) -> None:
        self.stages[name] = self.stages.get(name, 0.0) + seconds
        self.peaks[name] = peak_mib()

    def time(self, name: str, fn, *args, **kwargs):
        started = time.perf_counter()
        value = fn(*args, **kwargs)
        self.add(name, time.perf_counter() - started)
        return value


def files_of(corpus: Path) -> list[str]:
    from kg import readers

    return readers.expand_inputs([str(corpus)])


def read_and_fold(corpus: Path, clock: Clock):
    from kg import readers
    from kg.mapping import ListingFolder, MappingStats
    from kg.records import Record

    records = []
    started = time.perf_counter()
    for path in files_of(corpus):
        records.extend(e for e in readers.read_digest(path) if isinstance(e, Record))
    clock.add("read", time.perf_counter() - started)
    stats = MappingStats()
    folder = ListingFolder(stats)
    started = time.perf_counter()
    for rec in records:
        folder.add(rec)
    del records
    days = folder.days()
    clock.add("normalise", time.perf_counter() - started)
    return days


def example_params(store) -> dict[str, dict[str, str]]:
    from queries import params_for

    return params_for(store)


def time_queries(store, run, repeat: int = 3, limit: float | None = None) -> dict[str, float]:
    """Best-of-``repeat`` seconds of every named query; ``run(text, bindings)`` returns rows."""
    from kg import query as kq

    params = example_params_cache.get("params") or {}
    out = {}
    for name, q in kq.named_queries().items():
        bindings = {str(k): v for k, v in kq.bind(q.params, params.get(name, {})).items()}
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            try:
                if limit:
                    signal.alarm(int(limit))
                list(run(q.text, bindings))
            except TimeoutError:
                best = float("inf")
                break
            finally:
                if limit:
                    signal.alarm(0)
            best = min(best, time.perf_counter() - started)
            if best > 5:  # slow enough that one run says it
                break
        out[name] = best
    return out


example_params_cache: dict = {}
QUERY_LIMIT = 30  # seconds a naive query may take before it is reported as "> 30"
# Seconds a naive serialiser may take before it is reported as "> 600".  Known gap: on the 10k
# run rdflib's Turtle and TriG serialisers ran past it (the alarm did not stop them); running each
# in a child process with a timeout would be the sure way.
EXPORT_LIMIT = 600


# --- the stages, in a child process --------------------------------------------------------


def measure_paperkg(corpus: Path, out: Path, views: bool) -> dict:
    from kg import query as kq, rdftext, store as kgstore
    from kg.mapping import MergedIndex, Terms, dataset_blocks
    from kg.vocab import DEFAULT_BASE

    clock = Clock()
    days = read_and_fold(corpus, clock)
    t = Terms(DEFAULT_BASE)

    class Timed(rdftext.Writer):
        def __init__(self, inner: rdftext.Writer, name: str):
            self.inner, self.name, self.dataset = inner, name, inner.dataset
            clock.stages.setdefault(name, 0.0)

        def _timed(self, method, *args):
            started = time.perf_counter()
            getattr(self.inner, method)(*args)
            clock.stages[self.name] += time.perf_counter() - started

        def start_graph(self, graph):
            self._timed("start_graph", graph)

        def block(self, graph, subject, statements):
            self._timed("block", graph, subject, statements)

        def end_graph(self, graph):
            self._timed("end_graph", graph)

        def close(self):
            self._timed("close")

    def timed_blocks(blocks):
        it = iter(blocks)
        spent = 0.0
        while True:
            started = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                clock.add("map", spent + time.perf_counter() - started)
                return
            spent += time.perf_counter() - started
            yield item

    out.mkdir(parents=True, exist_ok=True)
    index = clock.time("map", MergedIndex.of, days, t)
    files = {name: open(out / f"graph.{ext}", "w", encoding="utf-8", newline="", buffering=1 << 20)
             for name, ext in EXPORT_NAMES.items()}
    writers = [Timed(getattr(rdftext, name)(fh), f"export {ext}") for (name, fh), ext in zip(files.items(), EXPORT_NAMES.values())]
    tally = rdftext.write(timed_blocks(dataset_blocks(days, t, index)), writers)
    for fh in files.values():
        started = time.perf_counter()
        fh.close()
        clock.stages["export " + Path(fh.name).suffix[1:]] += time.perf_counter() - started
    for w in writers:
        clock.peaks[w.name] = peak_mib()

    store = clock.time("store", kgstore.load, out, named_graphs=False)  # what kg query/report load
    example_params_cache["params"] = example_params(store)
    queries = time_queries(store, lambda text, b: kq.run(store, text, b))
    clock.add("queries (all)", sum(queries.values()))

    from kg.projections import read_once
    from kg.report import write_report

    with read_once():  # as in kg build: the views reuse what the report read
        clock.time("report", write_report, store, out)
        if views:
            measure_views(store, out, clock)
    return {"stages": clock.stages, "peaks": clock.peaks, "queries": queries, "peak": peak_mib(),
            "papers": len({x.arxiv_id for d in days.values() for x in d}), "triples": tally.triples, "quads": tally.quads}


def measure_views(store, out: Path, clock: Clock) -> None:
    """The views as kg build --views writes them, each stage timed."""
    from kg.viz import BUILD_VIEWS, write_views

    names = {"reading node details": "views: node info",
             **{f"writing {view}.html": f"view {view}" for view, *_ in BUILD_VIEWS}}
    current = [None, 0.0]

    def stage(name):
        now = time.perf_counter()
        if current[0]:
            clock.add(names[current[0]], now - current[1])
        current[:] = [name, now]

    write_views(store, out, stage=stage)
    stage(None)


def measure_naive(corpus: Path, out: Path, trig: Path) -> dict:
    """rdflib all the way: a Dataset, its serialisers, its SPARQL engine."""
    import rdflib
    from rdflib import Literal, URIRef

    from kg.mapping import MergedIndex, Terms, dataset_blocks
    from kg.vocab import DEFAULT_BASE, PREFIXES

    clock = Clock()
    days = read_and_fold(corpus, clock)
    t = Terms(DEFAULT_BASE)

    def term(o: str):
        if o[0] == "<":
            return URIRef(o[1:-1])
        if o[-1] == '"':
            return Literal(json.loads(o))
        if o[-1] == ">":
            cut = o.rindex('"^^<')
            return Literal(json.loads(o[: cut + 1]), datatype=URIRef(o[cut + 4 : -1]))
        cut = o.rindex('"@')
        return Literal(json.loads(o[: cut + 1]), lang=o[cut + 2 :])

    started = time.perf_counter()
    ds = rdflib.Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    graphs: dict = {}
    for g, s, stmts in dataset_blocks(days, t, MergedIndex.of(days, t)):
        graph = ds.default_context if g is None else graphs.get(g) or graphs.setdefault(g, ds.graph(URIRef(g)))
        subject = URIRef(s)
        for p, o in stmts:
            graph.add((subject, URIRef(p), term(o)))
    clock.add("map", time.perf_counter() - started)
    default = ds.default_context
    out.mkdir(parents=True, exist_ok=True)

    def on_alarm(*_):
        raise TimeoutError

    signal.signal(signal.SIGALRM, on_alarm)
    for ext, fmt, obj in (("ttl", "turtle", default), ("nt", "nt", default), ("jsonld", "json-ld", default), ("trig", "trig", ds)):
        signal.alarm(EXPORT_LIMIT)
        try:
            clock.time(f"export {ext}", obj.serialize, destination=str(out / f"naive.{ext}"), format=fmt)
        except TimeoutError:
            clock.add(f"export {ext}", float("inf"))
        finally:
            signal.alarm(0)
    store_like = rdflib.Dataset()  # the naive "store" step: rdflib reads the dataset's TriG (the one kg wrote)
    clock.time("store", store_like.parse, str(trig), format="trig")
    del store_like

    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

    def rdflib_term(v):
        if type(v).__name__ == "NamedNode":
            return URIRef(v.value)
        if v.language:
            return Literal(v.value, lang=v.language)
        if v.datatype.value == PREFIXES["xsd"] + "string":
            return Literal(v.value)
        return Literal(v.value, datatype=URIRef(v.datatype.value))

    def run(text, bindings):
        return default.query(header + text, initBindings={k: rdflib_term(v) for k, v in bindings.items()})

    example_params_cache["params"] = json.loads(os.environ.get("KG_BENCH_PARAMS", "{}"))
    queries = time_queries(default, run, limit=QUERY_LIMIT)
    clock.add("queries (all)", sum(v for v in queries.values() if v != float("inf")))
    return {"stages": clock.stages, "peaks": clock.peaks, "queries": queries, "peak": peak_mib()}


# --- the driver ----------------------------------------------------------------------------


def corpus_for(n: int, work: Path) -> Path:
    corpus = work / f"synthetic-{n}"
    if not (corpus / ".done").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--papers", str(n), "--out", str(corpus)], check=True,
                       stdout=subprocess.DEVNULL)
        (corpus / ".done").write_text("")
    return corpus


def kg_cmd(code: Path) -> tuple[list[str], dict]:
    env = dict(os.environ, PYTHONPATH=str(code))
    return [sys.executable, "-m", "kg"], env


def label(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def fmt_s(v: float, limit: int = EXPORT_LIMIT) -> str:
    if v == float("inf"):
        return f"> {limit}"
    return f"{v:.3f}" if v < 10 else f"{v:.1f}"


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--naive-up-to", type=int, default=10000, help="run the rdflib pipeline up to this size")
    ap.add_argument("--skip-views-above", type=int, default=100000)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "paperkg-bench"))
    ap.add_argument("--before", help="another checkout of paperkg to time kg build and kg report of")
    ap.add_argument("--json", help="also write every figure here")
    ap.add_argument("--before-report-up-to", type=int, default=10000,
                    help="time --before's kg report up to this size (older reports were not linear)")
    ap.add_argument("--resume", action="store_true", help="keep the figures an interrupted run left in --work")
    ap.add_argument("--child", nargs=3, metavar=("KIND", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        kind, corpus, out = args.child
        if kind == "naive":
            result = measure_naive(Path(corpus), Path(out), Path(os.environ["KG_BENCH_TRIG"]))
        else:
            result = measure_paperkg(Path(corpus), Path(out), views=kind == "paperkg+views")
        print(json.dumps(result))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "figures-cache.json"  # --resume: figures measured by an earlier, interrupted run
    done: dict = json.loads(cache.read_text()) if args.resume and cache.exists() else {}

    def measured(n: int, key: str, measure) -> dict:
        slot = f"{n} {key}"
        if slot not in done:
            done[slot] = measure()
            cache.write_text(json.dumps(done))
        return done[slot]

    def command(n, key, argv, env=None, cwd=None):
        wall, peak, _ = run_child(argv, env=env, cwd=cwd)
        return {"seconds": wall, "peak_mib": peak}

    def child(kind, corpus, out, env=None):
        _w, peak, text = run_child([sys.executable, __file__, "--child", kind, str(corpus), str(out)], env=env)
        return {**json.loads(text), "peak": peak}

    figures: dict = {n: {} for n in sizes}
    for n in sizes:  # kg itself first, the slow naive pipeline last
        corpus = corpus_for(n, work)
        fig = figures[n]
        print(f"\n== {n:,} papers ({corpus})", flush=True)
        cmd, env = kg_cmd(ROOT)
        fig["kg build"] = measured(n, "kg build", lambda: command(n, "build", [*cmd, "build", str(corpus), "-o", str(work / f"out-{n}"),
                                                                             "--fresh", "-q", "--no-report", "--no-views"], env=env))
        fig["kg report"] = measured(n, "kg report", lambda: command(n, "report", [*cmd, "report", "-g", str(work / f"out-{n}"),
                                                                               "-o", str(work / f"out-{n}")], env=env))
        print(f"kg build (all RDF exports): {wall_of(fig, 'kg build')}; kg report: {wall_of(fig, 'kg report')}", flush=True)
        if args.before:
            bcmd, benv = kg_cmd(Path(args.before))
            fig["before kg build"] = measured(n, "before kg build", lambda: command(
                n, "before build", [*bcmd, "build", str(corpus), "-o", str(work / f"before-{n}"), "--fresh", "-q", "--no-report",
                                    "--no-views"], env=benv, cwd=args.before))
            print(f"before: kg build {wall_of(fig, 'before kg build')}", flush=True)
            if n <= args.before_report_up_to:
                fig["before kg report"] = measured(n, "before kg report", lambda: command(
                    n, "before report", [*bcmd, "report", "-g", str(work / f"before-{n}"), "-o", str(work / f"before-{n}")],
                    env=benv, cwd=args.before))
                print(f"before: kg report {wall_of(fig, 'before kg report')}", flush=True)
        kind = "paperkg+views" if n <= args.skip_views_above else "paperkg"
        fig["stages"] = measured(n, "stages", lambda: child(kind, corpus, work / f"stages-{n}"))
        print(f"stages done (peak {fig['stages']['peak']} MiB)", flush=True)
    for n in sizes:
        if n <= args.naive_up_to:
            env = dict(os.environ, KG_BENCH_PARAMS=json.dumps(params_of(work / f"stages-{n}" / "graph.trig")),
                       KG_BENCH_TRIG=str(work / f"stages-{n}" / "graph.trig"))
            figures[n]["naive"] = measured(n, "naive", lambda: child("naive", corpus_for(n, work), work / f"naive-{n}", env))
            print(f"naive {n:,} done (peak {figures[n]['naive']['peak']} MiB)", flush=True)
    print(report(figures, sizes))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=str))


def wall_of(fig: dict, key: str) -> str:
    return f"{fig[key]['seconds']:.1f} s, {fig[key]['peak_mib']:,} MiB peak"


def params_of(trig: Path) -> dict:
    from kg.store import open_store

    return example_params(open_store(trig))


def report(figures: dict, sizes: list[int]) -> str:
    out = []
    stage_names: list[str] = []
    for n in sizes:
        for name in figures[n]["stages"]["stages"]:
            if name not in stage_names:
                stage_names.append(name)
    header = ["stage"] + [f"{label(n)} s" for n in sizes] + [f"{label(n)} naive s" for n in sizes if "naive" in figures[n]] \
        + [f"{label(n)} x naive" for n in sizes if "naive" in figures[n]]
    rows = []
    for name in stage_names:
        row = [name] + [fmt_s(figures[n]["stages"]["stages"][name]) if name in figures[n]["stages"]["stages"] else "-" for n in sizes]
        naive_sizes = [n for n in sizes if "naive" in figures[n]]
        for n in naive_sizes:
            v = figures[n]["naive"]["stages"].get(name)
            row.append(fmt_s(v) if v is not None else "-")
        for n in naive_sizes:
            ours, theirs = figures[n]["stages"]["stages"].get(name), figures[n]["naive"]["stages"].get(name)
            row.append(("> " if theirs == float("inf") else "") + (f"{min(theirs, EXPORT_LIMIT) / ours:.1f}x" if ours and theirs else "-"))
        rows.append(row)
    def total(st: dict, names: list[str]) -> tuple[float, bool]:
        """Sum of the stages, a stage over its time limit counted at the limit (then: at least)."""
        values = [st[k] for k in names if k in st]
        return sum(min(v, EXPORT_LIMIT) for v in values), any(v == float("inf") for v in values)

    def shown(value: tuple[float, bool]) -> str:
        return ("> " if value[1] else "") + fmt_s(value[0])

    build_stages = ["read", "normalise", "map", "export ttl", "export nt", "export jsonld", "export trig"]
    naive_sizes = [n for n in sizes if "naive" in figures[n]]
    row = ["build (read..exports)"] + [shown(total(figures[n]["stages"]["stages"], build_stages)) for n in sizes]
    row += [shown(total(figures[n]["naive"]["stages"], build_stages)) for n in naive_sizes]
    for n in naive_sizes:
        theirs, capped = total(figures[n]["naive"]["stages"], build_stages)
        row.append(("> " if capped else "") + f"{theirs / total(figures[n]['stages']['stages'], build_stages)[0]:.1f}x")
    rows.append(row)
    rows.append(["peak MiB (process)"] + [f"{figures[n]['stages']['peak']:,}" for n in sizes]
                + [f"{figures[n]['naive']['peak']:,}" for n in sizes if "naive" in figures[n]] + ["" for n in sizes if "naive" in figures[n]])
    out.append("\nStages (seconds; exports are written together, each figure is the time inside its writer):")
    out.append(table(rows, header))

    out.append("\nkg build (all RDF exports + quality report) and kg report, as a user runs them:")
    rows = []
    for key in ("kg build", "kg report", "before kg build", "before kg report"):
        if any(key in figures[n] for n in sizes):
            rows.append([key] + [f"{figures[n][key]['seconds']:.1f} s / {figures[n][key]['peak_mib']:,} MiB"
                                 if key in figures[n] else "not run" for n in sizes])
    out.append(table(rows, ["command"] + [f"{n:,} papers" for n in sizes]))

    if len(sizes) > 1:
        out.append("\nScaling (time ratio between consecutive sizes; linear = the size ratio):")
        rows = []
        for a, b in zip(sizes, sizes[1:]):
            for key in ("kg build", "kg report", "before kg build", "before kg report"):
                if key in figures[a] and key in figures[b]:
                    rows.append([f"{key} {label(a)} -> {label(b)}", f"{b / a:.0f}x papers",
                                 f"{figures[b][key]['seconds'] / figures[a][key]['seconds']:.2f}x time",
                                 f"{figures[b][key]['peak_mib'] / figures[a][key]['peak_mib']:.2f}x memory"])
        out.append(table(rows, ["", "size", "time", "memory"]))

    out.append("\nNamed queries (ms, best of 3):")
    names = list(figures[sizes[0]]["stages"]["queries"])
    header = ["query"] + [label(n) for n in sizes] + [f"{label(n)} naive" for n in sizes if "naive" in figures[n]]
    rows = []
    for q in names:
        row = [q] + [f"{figures[n]['stages']['queries'][q] * 1000:.1f}" for n in sizes]
        for n in [n for n in sizes if "naive" in figures[n]]:
            v = figures[n]["naive"]["queries"].get(q, float("inf"))
            row.append(f"> {QUERY_LIMIT * 1000}" if v == float("inf") else f"{v * 1000:.1f}")
        rows.append(row)
    out.append(table(rows, header))
    return "\n".join(out)


if __name__ == "__main__":
    main()
