"""``kg build``: digests in, the graph and its exports out.

:func:`build` is the one call behind the CLI command and the library API.
"""

from __future__ import annotations

import io
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox
import rdflib

from . import rdftext, readers, store as kgstore
from .errors import GraphError
from .mapping import K, Interleaved, Listing, ListingFolder, MappingStats, MergedIndex, Terms, dataset_blocks, listings_from_quads
from .records import DigestSeen, Record, Rejection
from .vocab import DEFAULT_BASE

PREVIOUS = "graph.trig"


@dataclass
class BuildSummary:
    """What a build read, rejected, dropped and wrote (printed by ``kg build``)."""

    files: int = 0
    digests: int = 0
    rows_read: int = 0
    rows_rejected: list[Rejection] = field(default_factory=list)
    papers_new: int = 0
    papers_updated: int = 0
    papers: int = 0
    authors: int = 0
    topics: int = 0
    repositories: int = 0
    artifacts: int = 0
    digests_in_graph: int = 0
    junk_dropped: dict[str, int] = field(default_factory=dict)
    junk_examples: dict[str, str] = field(default_factory=dict)
    links_reclassified: dict[str, int] = field(default_factory=dict)
    unknown_topics: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    quads: int = 0
    exports: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["rows_rejected"] = [
            {"file": r.source, "line": r.line, "reason": r.reason} for r in self.rows_rejected
        ]
        return data


@dataclass
class BuildResult:
    """A built graph: the summary, the listings behind it, and (made on first use) its store.

    ``store`` is a pyoxigraph store holding the dataset: read from the ``graph.trig`` this
    build wrote (or from memory when it wrote nothing), into ``store_dir`` if the build was
    given one, else in memory.
    """

    summary: BuildSummary
    days: dict[str, list[Listing]]
    base: str
    source: Path | bytes = field(repr=False, default=b"")
    store_dir: Path | None = None
    _store: ox.Store | None = field(default=None, repr=False)
    _merged: ox.Store | None = field(default=None, repr=False)

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            self._store = kgstore.open_store(self.source, self.store_dir, ours=True)
        return self._store

    @property
    def merged(self) -> ox.Store:
        """A store holding the merged (default) graph alone, for the report, the views and
        validation: the ``graph.nt`` this build wrote (see :func:`kg.store.load`), or
        :attr:`store` when that is made already or the build wrote no files."""
        if self._store is not None or not isinstance(self.source, Path):
            return self.store
        if self._merged is None:
            self._merged = kgstore.load(self.source.parent, named_graphs=False)
        return self._merged

    def query(self, sparql: str, **bindings):
        """Run SPARQL on the graph (vocabulary prefixes declared, values bound as terms)."""
        return kgstore.query(self.store, sparql, **bindings)

    def rdflib_dataset(self) -> rdflib.Dataset:
        """The graph as an rdflib Dataset (default graph = merged view; a graph per digest)."""
        ds = rdflib.Dataset()
        ds.parse(data=self.store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        return ds

    def rdflib_graph(self) -> rdflib.Graph:
        """The merged default graph as an rdflib Graph."""
        g = rdflib.Graph()
        g.parse(data=self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
        return g


def previous_listings(out: Path, terms: Terms) -> dict[str, list[Listing]]:
    """Listings of the graph already in ``out`` (empty if there is none), read as a stream."""
    path = out / PREVIOUS
    if not path.exists():
        return {}
    named = ours = False

    def watch(quads):
        nonlocal named, ours
        for q in quads:
            g = q.graph_name
            if isinstance(g, ox.NamedNode):
                named = True
                ours = ours or g.value.startswith(terms.base)
            yield q

    try:
        try:  # the TriG a build writes holds each digest's graph in one run: one day in memory at a time
            days = listings_from_quads(watch(ox.parse(path=str(path), format=ox.RdfFormat.TRIG)), terms, contiguous=True)
        except Interleaved:  # written by something else: read it whole
            days = listings_from_quads(watch(ox.parse(path=str(path), format=ox.RdfFormat.TRIG)), terms)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{path}: cannot read the graph: {exc}") from None
    if named and not ours:
        raise GraphError(f"{path}: built with another --base; build with --fresh or the same --base")
    return days


def build(
    inputs: Iterable[str],
    out: str | Path | None = "exports",
    *,
    fresh: bool = False,
    base: str = DEFAULT_BASE,
    report: bool = False,
    views: bool = False,
    aliases: dict[str, str] | None = None,
    store_dir: str | Path | None = None,
    on_file: Callable[[int, int, str], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> BuildResult:
    """Read digests, build the graph and (unless ``out`` is None) write its exports.

    ``inputs``: files, directories (read recursively), globs or ``-`` (standard input).
    Into an existing ``out`` the build merges: each digest (day) it reads replaces that
    day's statements; ``fresh=True`` starts over; ``report=True`` also writes the analysis
    report (``report.md``, ``report.json``, ``report-*.csv``), ``views=True`` the HTML views
    (``graph.html``, ``coauthors.html``, ``topics.html``).  Every build into ``out`` writes the
    data-quality report (``quality.md``, ``quality.json``).  ``aliases`` (see
    :func:`kg.identity.read_aliases`) merge or split authors by hand.  ``on_file(done, total, path)`` and
    ``on_stage(name)`` report progress.
    """
    started = time.perf_counter()
    stage = on_stage or (lambda _name: None)
    terms = Terms(base, aliases)
    summary = BuildSummary()
    files = readers.expand_inputs(inputs)
    summary.files = len(files)
    out_dir = Path(out) if out is not None else None
    if store_dir is not None:
        kgstore.check_store_dir(Path(store_dir))  # before any work
    previous = previous_listings(out_dir, terms) if out_dir is not None and not fresh else {}

    stats = MappingStats()
    folder = ListingFolder(stats)  # records are folded into listings as they are read
    dates: set[str] = set()
    rows = 0
    for i, path in enumerate(files, 1):
        for event in readers.read_digest(path):
            if isinstance(event, Record):
                folder.add(event)
                rows += 1
            elif isinstance(event, Rejection):
                summary.rows_rejected.append(event)
            elif isinstance(event, DigestSeen):
                dates.add(event.date)
        if on_file:
            on_file(i, len(files), path)
    summary.rows_read = rows + sum(1 for r in summary.rows_rejected if r.line)
    summary.digests = len(dates)

    stage("mapping")
    new_days = folder.days()
    for date in dates:
        new_days.setdefault(date, [])
    old_ids = {x.arxiv_id for day in previous.values() for x in day}
    new_ids = {x.arxiv_id for day in new_days.values() for x in day}
    summary.papers_new = len(new_ids - old_ids)
    summary.papers_updated = len(new_ids & old_ids)
    days = {**previous, **new_days}
    index = MergedIndex.of(days, terms)
    blocks = dataset_blocks(days, terms, index)
    source: Path | bytes
    if out_dir is not None:
        stage("writing the RDF exports")
        written, tally = kgstore.write_exports(blocks, out_dir)
        source = out_dir / PREVIOUS
    else:
        buf = io.StringIO()
        written, tally = [], rdftext.write(blocks, [rdftext.NQuads(buf)])
        source = buf.getvalue().encode()
    result = BuildResult(summary=summary, days=days, base=base, source=source,
                         store_dir=Path(store_dir) if store_dir is not None else None)
    if store_dir is not None:
        stage("loading the store")
        result.store  # noqa: B018 - made now, so the folder holds this build when it returns

    counts = tally.types
    summary.papers = counts.get(K["Paper"], 0)
    summary.authors = counts.get(K["Author"], 0)
    summary.topics = counts.get("http://www.w3.org/2004/02/skos/core#Concept", 0)
    summary.repositories = counts.get(K["Repository"], 0)
    summary.artifacts = sum(counts.get(K[c], 0) for c in ("Model", "Dataset", "Space", "Collection"))
    summary.digests_in_graph = counts.get(K["Digest"], 0)
    summary.junk_dropped = dict(sorted(stats.junk.items()))
    summary.junk_examples = dict(sorted(stats.junk_examples.items()))
    summary.links_reclassified = dict(sorted(stats.reclassified.items()))
    summary.unknown_topics = dict(sorted(stats.unknown_topics.items()))
    summary.triples = tally.triples
    summary.quads = tally.quads
    if out_dir is not None:
        from .quality import quality_data, write_quality

        stage("writing the quality report")
        written += write_quality(quality_data(summary, stats, days, terms, index), out_dir)
        from .projections import read_once

        with read_once():  # the report and the views read the same labels and links: once
            if report:
                from .report import write_report

                stage("writing the report")
                written += write_report(result.merged, out_dir)
            if views:
                from .viz import write_views

                written += write_views(result.merged, out_dir, stage=stage)
        summary.exports = [str(p) for p in written]
    summary.seconds = round(time.perf_counter() - started, 3)
    return result
