"""The linearity target, measured so that machine noise cannot decide it: ``kg build`` or
``kg report`` at two sizes, several fresh runs of each, interleaved, and the ratio of the medians.

    python benchmarks/scaling.py [--command report] [--sizes 10000,100000] [--runs 3]
                                 [--work /tmp/paperkg-bench] [--before DIR]

The benchmark machine's speed drifts by up to 1.7x within minutes, so the quotient of two
single runs minutes apart (what ``run.py`` prints) can land anywhere from ~8x to ~14x for the
same code.  Here each round runs every size (and ``--before``'s checkout, if given) once, in
turn, so all of them see the same phases of the machine; the medians over the rounds are
compared.  Corpora and built exports come from ``run.py``'s ``--work`` folder (made if missing).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import corpus_for, kg_cmd, run_child  # noqa: E402  (one child per run, its peak memory measured)


def argv_for(command: str, code: Path, n: int, work: Path, tag: str) -> tuple[list[str], dict]:
    cmd, env = kg_cmd(code)
    out = work / f"scaling-{tag}-{n}"
    if command == "build":
        return [*cmd, "build", str(corpus_for(n, work)), "-o", str(out), "--fresh", "-q", "--no-report", "--no-views"], env
    return [*cmd, "report", "-g", str(out), "-o", str(out)], env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--command", choices=["build", "report"], default="report")
    ap.add_argument("--sizes", default="10000,100000", help="two sizes, smaller first")
    ap.add_argument("--runs", type=int, default=3, help="rounds (each runs every size once)")
    ap.add_argument("--work", default="/tmp/paperkg-bench")
    ap.add_argument("--before", help="another checkout of paperkg, run in the same rounds")
    args = ap.parse_args()
    small, big = (int(s) for s in args.sizes.split(","))
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    codes = {"after": ROOT, **({"before": Path(args.before)} if args.before else {})}
    if args.command == "report":  # the exports the report reads, built once by each checkout (kept in --work)
        for tag, code in codes.items():
            for n in (small, big):
                if not (work / f"scaling-{tag}-{n}" / "graph.nt").is_file():
                    argv, env = argv_for("build", code, n, work, tag)
                    run_child(argv, env=env, cwd=str(code))
    walls: dict[tuple[str, int], list[float]] = {}
    for r in range(args.runs):
        for n in (small, big):
            for tag, code in codes.items():
                argv, env = argv_for(args.command, code, n, work, tag)
                wall, peak, _ = run_child(argv, env=env, cwd=str(code))
                walls.setdefault((tag, n), []).append(wall)
                print(f"round {r + 1}: {tag} kg {args.command} {n:,} papers {wall:.1f} s, {peak:,} MiB", flush=True)
    print(f"\nkg {args.command}, median of {args.runs} interleaved runs:")
    for tag in codes:
        lo, hi = (statistics.median(walls[tag, n]) for n in (small, big))
        print(f"{tag:6s}  {small:,}: {lo:.1f} s  {big:,}: {hi:.1f} s  ratio {hi / lo:.2f}x for {big / small:g}x the papers"
              f"  (runs: {', '.join(f'{w:.1f}' for w in walls[tag, small])} | {', '.join(f'{w:.1f}' for w in walls[tag, big])})")


if __name__ == "__main__":
    main()
