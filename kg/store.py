"""The embedded store (pyoxigraph) and the RDF exports.

Exports are serialised from quads in one sorted order, so the same graph always gives the
same bytes, and each file is written to a temporary file beside it and renamed into place.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from .errors import GraphError, QueryError
from .vocab import PREFIXES


_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def quad_key(q: ox.Quad) -> str:
    """Default graph first, then graph, subject, predicate (``rdf:type`` first), object, by
    their N-Triples text, as one string: sorting by it is 2.5x faster than by a tuple (1.05M
    quads of a 10k-paper build: 4.1 s against 10.2 s, measured in one run)."""
    g = q.graph_name
    p = q.predicate.value
    return f"{g.value if isinstance(g, ox.NamedNode) else ''}\x00{q.subject.value}\x00{'0' if p == _TYPE else '1'}{p}\x00{q.object}"


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Unique quads in the export order."""
    keyed = {quad_key(q): q for q in quads}
    return [keyed[k] for k in sorted(keyed)]


def new_store(quads: Iterable[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


# --- exports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """One RDF export: its file name, format, and whether it holds the named graphs too."""

    filename: str
    format: ox.RdfFormat
    dataset: bool
    pretty: bool  # takes @prefix lines


EXPORTS = (
    Export("graph.ttl", ox.RdfFormat.TURTLE, dataset=False, pretty=True),
    Export("graph.nt", ox.RdfFormat.N_TRIPLES, dataset=False, pretty=False),
    Export("graph.jsonld", ox.RdfFormat.JSON_LD, dataset=False, pretty=False),
    Export("graph.trig", ox.RdfFormat.TRIG, dataset=True, pretty=True),
)


def default_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The merged view: the default graph's quads as triples, order kept."""
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]


def compact_jsonld(expanded: bytes) -> bytes:
    """Expanded JSON-LD (what pyoxigraph writes) with the vocabulary's prefixes as ``@context``.

    Property IRIs become compact IRIs (``kg:arxivId``), ``rdf:type`` becomes ``@type``; node
    and value objects are kept as they are, so the document means the same triples.
    """
    rdf_type = _TYPE
    by_length = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

    def compact(iri: str) -> str:
        for prefix, ns in by_length:
            local = iri[len(ns):]
            if iri.startswith(ns) and local and not local.startswith("//"):
                return f"{prefix}:{local}"
        return iri

    nodes = []
    for node in json.loads(expanded):
        out = {"@id": node["@id"]}
        if rdf_type in node:
            out["@type"] = [compact(v["@id"]) for v in node[rdf_type]]
        for key, values in node.items():
            if key not in ("@id", rdf_type):
                out[compact(key)] = values
        nodes.append(out)
    # One node per line: readable, and a day's change is a small diff.
    context = json.dumps({"@context": dict(PREFIXES)}, ensure_ascii=False)[:-1]
    lines = ",\n".join(json.dumps(n, ensure_ascii=False) for n in nodes)
    return f'{context},\n"@graph": [\n{lines}\n]}}\n'.encode()


def serialize(items: list, export: Export) -> bytes:
    """Bytes of one export from quads (dataset formats) or triples, already in export order."""
    if export.format == ox.RdfFormat.JSON_LD:
        return compact_jsonld(ox.serialize(items, format=export.format))
    if not export.pretty:
        return ox.serialize(items, format=export.format)
    # No @base: pyoxigraph relativises every IRI of the same scheme against it
    # (``<//github.com/...>``, ``@prefix kg: </paperkg/ontology#>``), legal but confusing.
    return ox.serialize(items, format=export.format, prefixes=PREFIXES)


_STALE = re.compile(r"^\.[^/]+\.[a-z0-9_]{8}\.tmp$")


def _write_temp(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path`` (same folder, so a rename is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    os.replace(_write_temp(path, data), path)


def clean_stale(out: Path) -> None:
    """Remove temporary files a killed build left behind (``.graph.ttl.ab12cd34.tmp``)."""
    if out.is_dir():
        for p in out.iterdir():
            if _STALE.match(p.name) and p.is_file():
                p.unlink(missing_ok=True)


def write_exports(quads: list[ox.Quad], out: Path, on_export: Callable[[str], None] | None = None) -> list[Path]:
    """Write every export of the dataset ``quads`` (in :func:`sorted_quads` order) into ``out``.

    All files are written to temporary files first and then renamed into place, one after the
    other, so a build killed while serialising leaves the previous exports untouched.
    """
    clean_stale(out)
    triples = default_triples(quads)
    temps = []
    try:
        for export in EXPORTS:
            if on_export:
                on_export(export.filename)
            data = serialize(quads if export.dataset else triples, export)
            temps.append((_write_temp(out / export.filename, data), out / export.filename))
    except BaseException:
        for tmp, _path in temps:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in temps:
        os.replace(tmp, path)
    return [path for _tmp, path in temps]


# --- loading ---------------------------------------------------------------------------


def read_quads(path: Path) -> list[ox.Quad]:
    """Quads of an RDF file (format from its suffix); :class:`GraphError` if unreadable."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
    if fmt is None:
        raise GraphError(f"{path}: unknown RDF file type (use .ttl, .nt, .nq, .trig or .jsonld)")
    try:
        return list(ox.parse(path=str(path), format=fmt))
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{path}: cannot read the graph: {exc}") from None


def load(graph: str | os.PathLike) -> ox.Store:
    """A store holding a graph: an export folder (its ``graph.trig``) or any RDF file."""
    path = Path(graph)
    if path.is_dir():
        path = path / "graph.trig"
    if not path.exists():
        raise GraphError(f"{path}: no such graph file (run `kg build` first?)")
    return new_store(read_quads(path))


def query(store: ox.Store, sparql: str, **bindings):
    """Run SPARQL with the vocabulary's prefixes declared; ``bindings`` are bound RDF terms.

    >>> bool(query(ox.Store(), "ASK { ?s a kg:Paper }"))
    False
    """
    subs = {ox.Variable(k): v for k, v in bindings.items()}
    try:
        return store.query(sparql, prefixes=PREFIXES, substitutions=subs or None)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except RuntimeError as exc:  # e.g. a bound variable missing from the SELECT projection
        raise QueryError(str(exc)) from None
