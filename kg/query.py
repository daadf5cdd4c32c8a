"""SPARQL over the graph: named queries, parameters bound as RDF terms, result formatting.

Named queries live in ``kg/queries/*.rq``.  Each starts with a comment header::

    # What the query answers (one or more lines).
    # param: NAME KIND  what the value is
    # example: kg query NAME --param NAME=VALUE

KIND is ``string``, ``name`` (an author's name in any spelling, bound as its author key),
``iri``, ``date`` or ``integer``.  Values are bound with pyoxigraph substitutions, never
pasted into the query text; a bound variable must be in the SELECT projection.
"""

from __future__ import annotations

import datetime
import difflib
import io
import re
from dataclasses import dataclass
from importlib import resources

import pyoxigraph as ox

from . import store as kgstore
from .errors import QueryError
from .normalize import author_key
from .vocab import DEFAULT_BASE, PREFIXES

KINDS = ("string", "name", "iri", "date", "integer")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    help: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    example: str
    text: str


def parse_header(name: str, text: str) -> NamedQuery:
    """A named query from its ``.rq`` text (header comment + SPARQL)."""
    description, params, example = [], [], ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if body.startswith("param:"):
            m = re.match(r"param:\s*(\w+)\s+(\w+)\s*(.*)$", body)
            if not m or m.group(2) not in KINDS:
                raise QueryError(f"{name}.rq: bad parameter line {line!r} (kinds: {', '.join(KINDS)})")
            params.append(Param(m.group(1), m.group(2), m.group(3)))
        elif body.startswith("example:"):
            example = body[len("example:") :].strip()
        else:
            description.append(body)
    return NamedQuery(name, " ".join(description), tuple(params), example, text)


def named_queries() -> dict[str, NamedQuery]:
    """Every named query shipped in ``kg/queries``, by name."""
    folder = resources.files("kg") / "queries"
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_header(name, entry.read_text(encoding="utf-8"))
    return out


def get_named(name: str) -> NamedQuery:
    queries = named_queries()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg queries` lists them"
    raise QueryError(f"no named query {name!r}{hint}")


def declared_params(text: str) -> tuple[Param, ...]:
    """Parameters declared in a query's header (also for ``-f FILE.rq`` and ``-e``)."""
    return parse_header("query", text).params


def term(kind: str, value: str, base: str = DEFAULT_BASE) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter value is bound as."""
    if kind == "string":
        return ox.Literal(value)
    if kind == "name":
        key = author_key(value)
        if not key:
            raise QueryError(f"{value!r} has no letters or digits, so it matches no author")
        return ox.Literal(key)
    if kind == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"{value!r} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"{value!r} is not an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if kind == "iri":
        iri = value if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) else base + value
        try:
            return ox.NamedNode(iri)
        except ValueError as exc:
            raise QueryError(f"{value!r} is not an IRI: {exc}") from None
    raise QueryError(f"unknown parameter kind {kind!r}")


# Strings, IRIs and comments are skipped whole, so a word inside them is never taken for a keyword.
_TOKEN = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|\#[^\n]*'''
                    r'''|[?$]\w+|[A-Za-z_][\w-]*|.''', re.DOTALL)


def needs_named_graphs(text: str) -> bool:
    """Whether a query can see the digests' named graphs: it says ``GRAPH`` or ``FROM`` (as a
    keyword; not in a string, an IRI, a comment or a variable name).  Without either, SPARQL
    reads the default graph alone, so the merged graph is all it needs."""
    return any(t.upper() in ("GRAPH", "FROM") for t in _TOKEN.findall(text))


def bind(params: tuple[Param, ...], values: dict[str, str], base: str = DEFAULT_BASE) -> dict:
    """Terms for every declared parameter; a missing or undeclared one is a QueryError."""
    declared = {p.name: p for p in params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(f"unknown parameter {', '.join(unknown)} (this query takes: {known})")
    missing = [p for p in params if p.name not in values]
    if missing:
        need = ", ".join(f"--param {p.name}=... ({p.kind}: {p.help})" for p in missing)
        raise QueryError(f"missing parameter: {need}")
    return {name: term(declared[name].kind, value, base) for name, value in values.items()}


def run(store: ox.Store, text: str, bindings: dict | None = None, source: str = "query"):
    """Run SPARQL (prefixes of the vocabulary declared) with ``bindings`` substituted."""
    try:
        return kgstore.query(store, text, **(bindings or {}))
    except QueryError as exc:
        m = re.search(r"error at (\d+):(\d+): (.*)", str(exc))
        if m:
            raise QueryError(f"{source}:{m.group(1)}:{m.group(2)}: syntax error: {m.group(3)}") from None
        raise


# --- output ----------------------------------------------------------------------------

TABLE_WIDTH = 60
RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}
GRAPH_FORMATS = {"table": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def short(term, base: str = DEFAULT_BASE) -> str:
    """A term as people read it: literals as their text, IRIs with known prefixes shortened."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(base):
            return term.value[len(base) :]
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return term.value
    return str(term)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(solutions, base: str = DEFAULT_BASE, width: int = TABLE_WIDTH) -> str:
    """An aligned table with long cells cut and the row count at the end."""
    names = [v.value for v in solutions.variables]
    rows = [[_cut(short(row[i], base), width) for i in range(len(names))] for row in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    return "\n".join(lines)


def format_result(result, fmt: str = "table", base: str = DEFAULT_BASE) -> str:
    """Text of any query result in ``fmt``: table, csv, tsv, json (SPARQL 1.1 results JSON),
    and for CONSTRUCT/DESCRIBE also ttl and nt."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return result.serialize(format=ox.QueryResultsFormat.JSON).decode()
        return "true" if bool(result) else "false"
    if isinstance(result, ox.QueryTriples):
        if fmt == "json":
            return kgstore.compact_jsonld(ox.serialize(list(result), format=ox.RdfFormat.JSON_LD)).decode()
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"a CONSTRUCT or DESCRIBE result cannot be written as {fmt} (use ttl, nt or json)")
        triples = sorted(result, key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
        return ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES).decode()
    if fmt in RESULT_FORMATS:
        buf = io.BytesIO()
        result.serialize(buf, format=RESULT_FORMATS[fmt])
        return buf.getvalue().decode()
    if fmt in ("ttl", "nt"):
        raise QueryError(f"a SELECT result cannot be written as {fmt} (use table, csv, tsv or json)")
    return format_table(result, base)
