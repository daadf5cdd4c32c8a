"""The real data end to end: ``kg build`` of the seed digest and the dev month with every
export, the report and the three HTML views, as a user runs it (a fresh process each time).

    python benchmarks/dev.py [--runs 5] [--before DIR] [--data ../shared/data]

Prints the wall time of each run, their minimum and median (the machine is shared and noisy:
the median of several runs is the figure to quote), the peak memory, and the stages of one
more run in process.  ``--before DIR`` times another checkout (a ``git worktree`` of an older
commit) the same way, alternating with this one so both see the same machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import run_child  # one child per run, its peak memory measured


def build_argv(code: Path, data: Path, out: Path) -> tuple[list[str], dict]:
    env = dict(os.environ, PYTHONPATH=str(code))
    argv = [sys.executable, "-m", "kg.cli", "build", str(data / "seed"), str(data / "dev"), "-o", str(out), "--fresh", "-q"]
    return argv, env


STAGES = """
import sys, time
started = time.perf_counter()
from kg.build import build
last = [time.perf_counter(), "import"]
def on_stage(name):
    now = time.perf_counter(); print(f"{last[1]:28} {now - last[0]:6.2f} s"); last[:] = [now, name]
on_stage("read")
build(sys.argv[1:3], out=sys.argv[3], fresh=True, report=True, views=True, on_stage=on_stage)
on_stage("")
print(f"{'total (in process)':28} {time.perf_counter() - started:6.2f} s")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--before", help="another checkout of paperkg to time the same way")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="folder holding seed/ and dev/")
    args = ap.parse_args()
    data = Path(args.data)
    if not (data / "seed").is_dir() or not (data / "dev").is_dir():
        sys.exit(f"{data}: no seed/ and dev/ folders (give --data)")
    sides = {"after": ROOT} | ({"before": Path(args.before).resolve()} if args.before else {})
    walls: dict[str, list[float]] = {side: [] for side in sides}
    peaks: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            for side, code in sides.items():
                argv, env = build_argv(code, data, Path(tmp) / side)
                wall, peak, _ = run_child(argv, env=env, cwd=str(code))  # python -m: the cwd's kg comes first
                walls[side].append(wall)
                peaks[side] = max(peaks.get(side, 0), peak)
                print(f"run {i + 1} {side:6} {wall:5.2f} s", flush=True)
        print()
        for side in sides:
            w = walls[side]
            print(f"{side:6} min {min(w):.2f} s, median {statistics.median(w):.2f} s over {len(w)} runs; "
                  f"peak {peaks[side]} MiB")
        print("\nstages of one more run (this checkout, in process):")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", STAGES, str(data / "seed"), str(data / "dev"), str(Path(tmp) / "stages")],
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True)
        print(f"{'total (with interpreter)':28} {time.perf_counter() - started:6.2f} s")


if __name__ == "__main__":
    main()
