"""The README's commands work, and every command is documented."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).parent.parent


def readme_command(marker: str) -> str:
    text = (ROOT / "README.md").read_text()
    m = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```", text, re.S)
    assert m, marker
    return m.group(1)


def test_main_command_builds_examples_in_a_fresh_virtualenv(tmp_path):
    """Runs the README's first command verbatim in a copy of the project (CI also runs the second)."""
    work = tmp_path / "paperkg"
    for name in ("kg", "ontology", "examples"):
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, work / name)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    proc = subprocess.run(readme_command("main-command"), shell=True, cwd=work, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Built 6 papers from 3 files (3 digests)" in proc.stdout
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "report.md", "graph.html"):
        assert (work / "exports" / name).stat().st_size > 0
    # the installed package carries its data files: shapes, queries, the view template
    check = subprocess.run(".venv/bin/kg validate && .venv/bin/kg query digests", shell=True, cwd=work, env=env,
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("Conforms: 0 violations, 0 warnings") and "3 rows" in check.stdout


def test_ci_runs_the_readme_test_command():
    assert "test-command" in (ROOT / ".ci" / "run").read_text()
    assert "pytest" in readme_command("test-command")


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name, command in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and command.help, name
        assert f"kg {name}" in readme, name


def test_python_example_runs(tmp_path, monkeypatch, capsys):
    code = re.search(r"```python\n(.+?)\n```", (ROOT / "README.md").read_text(), re.S).group(1)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[0] == "6"
    assert out[1:] == ["Process Reinforcement through Implicit Rewards"]


def test_every_named_query_is_in_the_readme():
    from kg.query import named_queries

    readme = (ROOT / "README.md").read_text()
    for name, q in named_queries().items():
        assert f"| `{name}` |" in readme and q.description in readme, name
