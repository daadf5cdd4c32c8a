"""The ``kg`` command: a thin shell over the library.

Each command parses its options, calls one library function and prints.  Library errors
(:class:`kg.errors.KGError`) become ``Error: ...`` and exit 1; bad options exit 2.
"""

from __future__ import annotations

import json
import re
import sys
import time

import click

from . import __version__, readers
from .build import BuildSummary, build as run_build
from .errors import InputError, KGError
from .vocab import DEFAULT_BASE


def _formats_help() -> str:
    return "; ".join(f"{r.name} ({r.description})" for r in readers.readers())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """paperkg: daily AI-paper digests in, one RDF knowledge graph out."""


class _Progress:
    """A progress bar on stderr that appears only once a build has run for a second."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.started = time.perf_counter()
        self.bar = None

    def file(self, done: int, total: int, path: str) -> None:
        if not self.enabled:
            return
        if self.bar is None and time.perf_counter() - self.started > 1.0:
            self.bar = click.progressbar(length=total, label="reading digests", file=sys.stderr)
            self.bar.__enter__()
            self.bar.update(done - 1)
        if self.bar is not None:
            self.bar.update(1)

    def stage(self, name: str) -> None:
        self.close()
        if self.enabled and time.perf_counter() - self.started > 1.0:
            click.echo(f"{name}...", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _check_base(_ctx, _param, value: str) -> str:
    if not re.match(r"^[a-z][a-z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]$", value, re.I):
        raise click.BadParameter(f"{value!r} is not an absolute IRI ending in '/' or '#'")
    return value


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "-o", default="exports", show_default=True, type=click.Path(file_okay=False),
              help="Folder for graph.ttl, graph.nt, graph.jsonld and graph.trig.")
@click.option("--fresh", is_flag=True, help="Start over instead of merging into the graph already in --out.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, callback=_check_base,
              help="Namespace of the data IRIs.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the closing summary.")
@click.option("--strict", is_flag=True, help="Exit 1 if any row is rejected.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(inputs, out, fresh, base, fmt, strict, quiet) -> None:
    """Build the knowledge graph from digests and write its RDF exports.

    INPUTS are digest files, folders (read recursively), globs, or - for standard input.
    Digests already in --out stay; a day read again replaces that day's statements.
    The format of each file is found from its content.  Known formats:
    """
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        result = run_build(inputs, out, fresh=fresh, base=base, on_file=progress.file, on_stage=progress.stage)
    except InputError as exc:
        if exc.line is None and exc.reason.startswith("no "):
            raise click.BadParameter(str(exc), param_hint="INPUTS") from None
        raise click.ClickException(str(exc)) from None
    except KGError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.close()
    summary = result.summary
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
    else:
        for rejection in summary.rows_rejected:
            if rejection.line:
                click.echo(f"rejected: {rejection}", err=True)
        click.echo(format_summary(summary, out))
    failed_files = [r for r in summary.rows_rejected if r.line == 0]
    for rejection in failed_files:
        click.echo(f"Error: {rejection.source}: {rejection.reason}", err=True)
    if failed_files or (strict and summary.rows_rejected):
        sys.exit(1)


build.help += " " + _formats_help() + "."  # listed from the registry itself


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) if d else "none"


def format_summary(s: BuildSummary, out: str) -> str:
    """The closing summary of ``kg build`` for people."""
    rejected = len(s.rows_rejected)
    lines = [
        f"Built {s.papers} papers from {s.files} files ({s.digests} digests) in {s.seconds:.2f} s",
        f"  rows read          {s.rows_read}  (rejected {rejected})",
        f"  papers             {s.papers}  ({s.papers_new} new, {s.papers_updated} updated)",
        f"  authors            {s.authors}",
        f"  topics             {s.topics}" + (f"  (not in the scheme: {_counts(s.unknown_topics)})" if s.unknown_topics else ""),
        f"  repositories       {s.repositories}",
        f"  artefacts          {s.artifacts}",
        f"  digests            {s.digests_in_graph}",
        f"  junk dropped       {sum(s.junk_dropped.values())}  ({_counts(s.junk_dropped)})",
        f"  links reclassified {sum(s.links_reclassified.values())}  ({_counts(s.links_reclassified)})",
        f"  triples            {s.triples}  ({s.quads} quads with the digest graphs)",
    ]
    if s.exports:
        lines.append(f"  wrote              {', '.join(s.exports)}")
    return "\n".join(lines)


@main.command()
def formats() -> None:
    """List the digest formats kg can read."""
    for reader in readers.readers():
        click.echo(f"{reader.name:18} {' '.join(reader.suffixes):16} {reader.description}")


if __name__ == "__main__":  # pragma: no cover
    main()
