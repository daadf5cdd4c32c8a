"""A build killed mid-write leaves the previous exports intact and loadable."""

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.store import EXPORTS

FIX = Path(__file__).parent / "fixtures"

# Runs a build in a child process that kills itself (SIGKILL: no cleanup, no finally) right
# before its rename number CRASH_AT: a crash at the worst moment, made deterministic.
CHILD = """
import os, signal, sys
from kg.build import build
crash_at, renames = int(sys.argv[1]), [0]
real = os.replace
def replace(src, dst):
    if renames[0] == crash_at:
        os.kill(os.getpid(), signal.SIGKILL)
    renames[0] += 1
    real(src, dst)
os.replace = replace
build(sys.argv[3:], out=sys.argv[2])
"""


def snapshot(out: Path) -> dict[str, bytes]:
    return {e.filename: (out / e.filename).read_bytes() for e in EXPORTS}


@pytest.mark.parametrize("crash_at", [0, 2])
def test_killed_build_leaves_loadable_exports(tmp_path, crash_at):
    out = tmp_path / "out"
    build([str(FIX / "queries")], out=out)
    before = snapshot(out)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(crash_at), str(out), str(FIX / "six.md")])
    assert proc.returncode == -9  # it really was killed
    after = snapshot(out)
    if crash_at == 0:
        assert after == before  # killed before any rename: the previous exports, untouched
    full = build([str(FIX / "queries"), str(FIX / "six.md")], out=None)
    for name, data in after.items():
        assert data == before[name] or len(list(ox.parse(data, format=ox.RdfFormat.from_extension(name.split(".")[-1])))) > 0
        store = ox.Store()
        store.load(data, format=ox.RdfFormat.from_extension(name.split(".")[-1]))  # loadable, whichever it is
    assert any(p.name.endswith(".tmp") for p in out.iterdir())  # the killed build left temporaries
    # the next build merges into what is there, cleans the temporaries and completes
    result = build([str(FIX / "six.md")], out=out)
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())
    assert result.summary.papers == full.summary.papers
