"""The ``kg`` command: a thin shell over the library.

Each command parses its options, calls one library function and prints.  Library errors
(:class:`kg.errors.KGError`) become ``Error: ...`` and exit 1; bad options exit 2.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time

import click

from . import __version__, readers
from . import query as kgquery
from .build import BuildSummary, build as run_build
from .errors import InputError, KGError
from .identity import read_aliases
from .push import push as run_push
from .store import load
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
@click.option("--report/--no-report", default=True, show_default=True,
              help="Also write report.md, report.json and report-*.csv (see `kg report`).")
@click.option("--views/--no-views", default=True, show_default=True,
              help="Also write graph.html, coauthors.html and topics.html (see `kg viz`).")
@click.option("--validate", "check", is_flag=True, help="Validate the built graph (see `kg validate`); exit 1 if it does not conform.")
@click.option("--aliases", type=click.Path(dir_okay=False), help="CSV 'spelling,canonical' that merges or splits authors by hand.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False),
              help="Keep the graph in an on-disk store in this folder (for graphs past memory); "
                   "other commands read it with --graph DIR, without loading anything.")
def build(inputs, out, fresh, base, fmt, strict, quiet, report, views, check, aliases, store_dir) -> None:
    """Build the knowledge graph from digests and write its RDF exports.

    INPUTS are digest files, folders (read recursively), globs, or - for standard input.
    Digests already in --out stay; a day read again replaces that day's statements.
    The format of each file is found from its content.  Known formats:
    """
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        alias_map = read_aliases(aliases) if aliases else None
        result = run_build(inputs, out, fresh=fresh, base=base, report=report, views=views, aliases=alias_map,
                           store_dir=store_dir, on_file=progress.file, on_stage=progress.stage)
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
    invalid = False
    if check:
        from .validate import validate as run_validate

        validation = _kg_call(run_validate, result.merged)
        click.echo(validation.text(), err=fmt == "json")
        invalid = not validation.conforms
    if failed_files or invalid or (strict and summary.rows_rejected):
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


def graph_option(func):
    """``--graph``: the graph to read (an export folder, a ``--store`` folder or any RDF file)."""
    return click.option(
        "--graph", "-g", default="exports", show_default=True, type=click.Path(),
        help="An export folder (its graph.nt, or graph.trig for the digests' graphs), a store folder (kg build --store) or any RDF file (.ttl, .nt, .nq, .trig, .jsonld).",
    )(func)


def _load(graph: str, named_graphs: bool = False, authorships: bool = True):
    """The graph for a command; ``named_graphs`` only for those that read the digests' graphs,
    ``authorships=False`` for those that never read the qualified authorships (see ``store.load``)."""
    try:
        return load(graph, named_graphs, authorships)
    except KGError as exc:
        raise click.ClickException(str(exc)) from None


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        out[name.strip()] = value
    return out


@main.command()
@click.argument("name", required=False)
@click.option("-e", "--expr", "text", help="The SPARQL query text.")
@click.option("-f", "--file", "file", type=click.Path(dir_okay=False), help="A .rq file holding the query.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter declared in the query's header, bound as an RDF term (repeatable).")
@graph_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "ttl", "nt"]), default="table",
              show_default=True, help="json is SPARQL 1.1 results JSON (JSON-LD for CONSTRUCT/DESCRIBE).")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Data namespace, for shortening IRIs and iri parameters.")
def query(name, text, file, params, graph, fmt, base) -> None:
    """Run SPARQL over the graph: a named query NAME, -e TEXT or -f FILE.rq.

    The vocabulary's prefixes (kg:, dcterms:, foaf:, skos:, rdfs:, xsd:, schema:, ...) are
    declared.  Parameters are bound as RDF terms, never pasted into the query.  `kg queries`
    lists the named queries.
    """
    if sum(x is not None for x in (name, text, file)) != 1:
        raise click.UsageError("give exactly one of NAME, -e TEXT or -f FILE")
    values = _params(params)
    try:
        if name is not None:
            named = kgquery.get_named(name)
            text, source, declared = named.text, f"{name}.rq", named.params
        elif file is not None:
            try:
                text = open(file, encoding="utf-8").read()
            except OSError as exc:
                raise click.BadParameter(f"{file}: {exc.strerror}", param_hint="--file") from None
            source, declared = file, kgquery.declared_params(text)
        else:
            source, declared = "query", kgquery.declared_params(text)
        bindings = kgquery.bind(declared, values, base) if declared or values else {}
        store = _load(graph, kgquery.needs_named_graphs(text))
        result = kgquery.run(store, text, bindings, source)
        click.echo(kgquery.format_result(result, fmt, base).rstrip("\n"))
    except KGError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
def queries() -> None:
    """List the named queries: name, parameters, what each answers."""
    for named in kgquery.named_queries().values():
        params = " ".join(f"{p.name}={p.kind.upper()}" for p in named.params)
        click.echo(f"{named.name}  {params}".rstrip())
        click.echo(f"    {named.description}")
        if named.example:
            click.echo(f"    e.g. {named.example}")


@main.command()
@click.option("--endpoint", required=True, help="A SPARQL 1.1 Graph Store Protocol URL (Oxigraph: http://HOST:PORT/store).")
@graph_option
@click.option("--target-graph", "target", metavar="IRI", help="Put the merged graph into this named graph instead of the default graph.")
@click.option("--replace", is_flag=True, help="Empty each target graph first (PUT), then send.")
@click.option("--user", help="User name for HTTP basic authentication.")
@click.option("--password", envvar="KG_PUSH_PASSWORD", help="Password (or set KG_PUSH_PASSWORD).")
@click.option("--chunk", default=20000, show_default=True, type=click.IntRange(min=1), help="Triples per request.")
def push(endpoint, graph, target, replace, user, password, chunk) -> None:
    """Send the graph to a SPARQL server over the Graph Store Protocol.

    The merged graph goes to the default graph (or --target-graph), each digest's named
    graph to a graph of the same name, in chunks.
    """
    if not re.match(r"^https?://", endpoint):
        raise click.BadParameter(f"{endpoint!r} is not an http(s) URL", param_hint="--endpoint")
    store = _load(graph, named_graphs=True)
    show = sys.stderr.isatty()
    with click.progressbar(length=len(store), label="pushing", file=sys.stderr) if show else _Null() as bar:
        last = [0]

        def step(sent: int, total: int) -> None:
            bar.update(sent - last[0])
            last[0] = sent

        try:
            summary = run_push(store, endpoint, graph=target, replace=replace, user=user, password=password,
                               chunk=chunk, on_chunk=step)
        except KGError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Sent {summary.triples} triples in {summary.graphs} graphs ({summary.requests} requests) to {endpoint}")


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass


# --- analysis ----------------------------------------------------------------------------


def format_option(func):
    """``--format table|csv|json``: shared by the analysis commands."""
    return click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                        show_default=True, help="Aligned table for people, CSV or JSON.")(func)


def emit(rows: list[dict], fmt: str, footer: str = "") -> None:
    """Rows of plain values as a table, CSV or JSON."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        click.echo(buf.getvalue().rstrip("\n"))
        return
    def cell(v):
        text = f"{v:.6g}" if isinstance(v, float) else ", ".join(map(str, v)) if isinstance(v, list) else str(v)
        text = " ".join(text.split())
        return text if len(text) <= 70 else text[:69] + "…"
    table = [[cell(r[c]) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(t[i]) for t in table]) for i, c in enumerate(columns)]
    if columns:
        click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
        click.echo("  ".join("-" * w for w in widths))
    for t in table:
        click.echo("  ".join(x.ljust(w) for x, w in zip(t, widths)).rstrip())
    if footer:
        click.echo(footer)


def _kg_call(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except KGError as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


COUNTING = click.option("--counting", type=click.Choice(["full", "fractional"]), default="full", show_default=True,
                        help="Each shared paper adds 1, or 1/(n-1) for a paper of n authors (as VOSviewer).")


@main.command()
@click.argument("name")
@graph_option
@COUNTING
@format_option
def coauthors(name, graph, counting, fmt) -> None:
    """Co-authors of NAME (any spelling) with shared-paper counts and the papers."""
    from .analysis.coauthors import coauthors as find

    author, rows = _kg_call(find, _load(graph, authorships=False), name, counting)
    emit([{"coauthor": c.name, "shared": c.shared, "papers": [p.rsplit("/", 1)[-1] for p in c.papers],
           "titles": c.titles} for c in rows], fmt, footer=f"{len(rows)} co-authors of {author}")


@main.command()
@click.argument("a")
@click.argument("b")
@graph_option
@format_option
def path(a, b, graph, fmt) -> None:
    """The shortest collaboration path from author A to author B, with the paper behind each hop."""
    from .analysis.coauthors import path as find

    hops = _kg_call(find, _load(graph, authorships=False), a, b)
    emit([{"from": h.source_name, "to": h.target_name, "paper": h.paper.rsplit("/paper/", 1)[-1], "title": h.title}
          for h in hops], fmt, footer=f"{len(hops)} hop{'s' if len(hops) != 1 else ''}")


@main.command()
@click.option("--of", "of", type=click.Choice(["authors", "topics", "papers"]), default="authors", show_default=True)
@click.option("--algorithm", type=click.Choice(["louvain", "leiden"]), default="louvain", show_default=True,
              help="Louvain or Leiden (both igraph's).")
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Clusters shown.")
@graph_option
@format_option
def clusters(of, algorithm, resolution, seed, top, graph, fmt) -> None:
    """Communities of authors, topics or papers, labelled by top topics and distinctive terms."""
    from .analysis.clusters import cluster_store

    result = _kg_call(cluster_store, _load(graph, authorships=False), of, algorithm, resolution, seed)
    rows = [{"cluster": c.id, "size": c.size, "top_members": c.top_members, "top_topics": c.top_topics,
             "terms": c.terms} for c in result.clusters[:top]]
    emit(rows, fmt, footer=f"{len(result.clusters)} clusters of {of} ({algorithm}, resolution {resolution}, "
                           f"seed {seed}); modularity {result.modularity:.4f}")


@main.command()
@click.option("--of", "of", type=click.Choice(["authors", "topics", "repositories", "papers"]), default="authors",
              show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--sort", "sort_by", type=click.Choice(["degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank"]),
              default="pagerank", show_default=True)
@click.option("--sample", type=click.IntRange(min=2), help="Estimate betweenness and closeness from this many sampled sources (labelled).")
@click.option("--seed", type=int, default=0, show_default=True)
@graph_option
@format_option
def centrality(of, top, sort_by, sample, seed, graph, fmt) -> None:
    """Degree, strength, betweenness, closeness, eigenvector and PageRank, with graph statistics.

    Authors: the co-authorship graph; topics: topic co-occurrence; papers and repositories: the
    whole graph, reported for those nodes.  Exact unless --sample is given.
    """
    from . import projections
    from .analysis.centrality import centralities as compute, graph_stats

    store = _load(graph, authorships=False)
    G = {"authors": projections.coauthor_graph, "topics": projections.topic_graph}.get(of, projections.full_graph)(store)
    values = _kg_call(compute, G, sample=sample, seed=seed)
    kind = {"papers": "paper", "repositories": "repository"}.get(of)
    nodes = [n for n in G if kind is None or G.nodes[n].get("kind") == kind]
    nodes.sort(key=lambda n: (-values[sort_by][n], str(n)))
    rows = [{"name": G.nodes[n].get("label", n), **{m: values[m][n] for m in values}} for n in nodes[:top]]
    s = graph_stats(G)
    how = f"betweenness and closeness estimated from {sample} sampled sources (seed {seed})" if sample else "exact"
    emit(rows, fmt, footer=(f"{s.nodes} nodes, {s.edges} edges, {s.components} components (largest {s.largest_component}, "
                            f"{s.largest_share:.1%}), density {s.density:.5f}, clustering {s.average_clustering:.4f}; "
                            f"{how}; eigenvector per component"))


@main.command()
@click.option("--period", type=click.Choice(["week", "month"]), default="week", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@graph_option
@format_option
def trends(period, top, graph, fmt) -> None:
    """Topic counts per week or month of digest dates, then the rising topics."""
    from .analysis.trends import rising, top_items, topic_counts

    counts = topic_counts(_load(graph, authorships=False), period)
    rows = [{period: p, "topic": t, "papers": n} for p, c in counts.items() for t, n in top_items(c, top)]
    up = rising(counts, top)
    if fmt == "json":
        click.echo(json.dumps({"counts": rows, "rising": [r.__dict__ for r in up]}, ensure_ascii=False, indent=1))
        return
    emit(rows, fmt)
    if fmt == "table":
        click.echo("")
        emit([{"rising topic": r.topic, f"last {period}": r.last, "mean before": r.before, "change": r.change} for r in up],
             fmt, footer=f"rising: the last {period} against the mean of the {period}s before")


@main.command()
@graph_option
@click.option("--out", "-o", type=click.Path(file_okay=False), help="Folder for report.md/.json/-*.csv (default: print Markdown).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
def report(graph, out, top, seed) -> None:
    """One Markdown report: statistics, top authors/topics/repositories/owners by each measure,
    clusters with labels, trends.  `kg build` writes it into its --out folder too."""
    from . import report as rep

    store = _load(graph, authorships=False)
    if out:
        for p in _kg_call(rep.write_report, store, out, top, seed):
            click.echo(f"wrote {p}")
    else:
        click.echo(rep.markdown(_kg_call(rep.report_data, store, top, seed), top), nl=False)


@main.command()
@click.option("--of", "of", type=click.Choice(["authors", "topics", "paper-topic", "author-topic", "full"]),
              default="authors", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "vosviewer"]), default="graphml",
              show_default=True, help="GraphML/GEXF (Gephi), CSV node+edge lists, VOSviewer JSON (map and network).")
@click.option("--out", "-o", "out", required=True, type=click.Path(dir_okay=False), help="File to write (csv: PREFIX-nodes.csv, PREFIX-edges.csv).")
@click.option("--seed", type=int, default=0, show_default=True)
@graph_option
def export(of, fmt, out, seed, graph) -> None:
    """Write a network (with kind, label, cluster and centralities on every node) for Gephi,
    VOSviewer or a spreadsheet."""
    from . import netexport, projections

    G = projections.PROJECTIONS[of](_load(graph, authorships=False))
    for p in _kg_call(netexport.write, G, fmt, out, seed):
        click.echo(f"wrote {p} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")


@main.command()
@click.argument("view", type=click.Choice(["graph", "coauthors", "topics", "ego", "cluster"]))
@click.argument("target", required=False)
@click.option("--out", "-o", "out", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@click.option("--color-by", type=click.Choice(["kind", "cluster", "category"]), help="Initial colouring (the page can switch).")
@click.option("--size-by", type=click.Choice(["papers", "degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank"]),
              help="What node size shows (default: papers, or degree for the whole graph).")
@click.option("--top", type=click.IntRange(min=0),
              help="Keep only the N largest nodes by the size measure (default 25000, which a browser draws in"
                   " seconds and pans smoothly; 0: all).")
@click.option("--min-degree", type=click.IntRange(min=1), help="Leave out nodes with fewer links.")
@click.option("--radius", type=click.IntRange(min=1), default=2, show_default=True, help="Ego view: co-author steps.")
@click.option("--seed", type=int, default=0, show_default=True)
@graph_option
def viz(view, target, out, color_by, size_by, top, min_degree, radius, seed, graph) -> None:
    """Write an interactive HTML view: graph, coauthors, topics, ego NAME or cluster N.

    One self-contained file (opens offline, writes nothing beside it) with a legend, search,
    filters by kind and topic, a details panel and a PNG button.
    """
    from .viz import BUILD_VIEWS, MAX_NODES, view_graph, write_view

    if view in ("ego", "cluster") and not target:
        raise click.UsageError(f"the {view} view needs {'an author NAME' if view == 'ego' else 'a cluster number N'}")
    number = None
    if view == "cluster":
        if not target.isdigit():
            raise click.BadParameter(f"{target!r} is not a cluster number", param_hint="N")
        number = int(target)
    store = _load(graph)
    G = _kg_call(view_graph, store, view, name=target if view == "ego" else None, number=number, radius=radius, seed=seed)
    # graph, coauthors and topics as kg build draws them; ego and cluster views (titled) like coauthors
    defaults = {v: (title, size, color) for v, title, size, color in BUILD_VIEWS}
    default_title, default_size, default_color = defaults.get(view, ("", "papers", "cluster"))
    title = G.graph.get("title") or default_title
    top = MAX_NODES if top is None else top or None
    path = _kg_call(write_view, G, out, title, size_by=size_by or default_size, color_by=color_by or default_color,
                    top=top, min_degree=min_degree, seed=seed)
    shown = f"; the page shows the {top} largest" if top and G.number_of_nodes() > top else ""
    click.echo(f"wrote {path} ({G.number_of_nodes()} nodes, {G.number_of_edges()} links{shown})")



@main.command()
@graph_option
@click.option("--shapes", type=click.Path(dir_okay=False, exists=True), help="SHACL shapes (default: ontology/shapes.ttl).")
def validate(graph, shapes) -> None:
    """Check the graph against the SHACL shapes; a readable report, exit 1 if it does not conform.

    Papers: one arXiv id of the right form, a title, at least one digest; authorships at
    positions 1..n matching dcterms:creator both ways; topics in the scheme under one category
    or top concepts (labels outside the scheme are warnings); repositories on github.com; every
    node typed and labelled.
    """
    from .validate import validate as run_validate

    report = _kg_call(run_validate, _load(graph), shapes)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


@main.command()
def formats() -> None:
    """List the digest formats kg can read."""
    for reader in readers.readers():
        click.echo(f"{reader.name:18} {' '.join(reader.suffixes):16} {reader.description}")


def run() -> None:
    """The ``kg`` command as a process: :func:`main`, then, with stdout and stderr flushed, exit
    at once with its code instead of letting Python free every object one by one.  The files
    are written and closed by then; the freeing served nothing and took seconds on big graphs
    (``kg report`` of 100k papers: 11 s between its last file and the end of the process)."""
    try:
        main(prog_name="kg")
        code = 0
    except SystemExit as exc:  # click ends every command this way, errors included
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        click.echo(code, err=True)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (kg query | head) or stream: nothing more to say
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
