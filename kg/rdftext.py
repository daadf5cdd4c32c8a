"""RDF as text, written as it is made: terms, statements grouped by subject, and the writers
for N-Triples, N-Quads, Turtle, TriG and JSON-LD.

A build emits its dataset graph by graph, subject by subject, already in export order, and
every writer appends to its file as the blocks come: no statement is held as an object, and
nothing is sorted globally.  The bytes are the ones pyoxigraph's serialisers write for the same
statements in the same order (``tests/test_rdftext.py`` compares them), with one exception: an
IRI outside the vocabulary is never shortened to a prefixed name.

A *statement* is ``(predicate IRI, object in N-Triples syntax)``; a *block* is a subject IRI
with its statements in export order (:func:`ordered`).
"""

from __future__ import annotations

import json
import re
from typing import Iterable, TextIO

import pyoxigraph as ox

from .vocab import KG, PREFIXES

TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = PREFIXES["xsd"]
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"

Statement = tuple[str, str]
Block = tuple[str, list[Statement]]

# N-Triples string escapes, as oxigraph writes them (checked over every code point in the tests).
_ESC = {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF]}
_ESC.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})


def iri(value: str) -> str:
    return "<" + value + ">"


def lit(text: str) -> str:
    """A plain string literal (also a JSON string: the same quote, the same escapes)."""
    return '"' + text.translate(_ESC) + '"'


def lang(text: str, tag: str) -> str:
    return '"' + text.translate(_ESC) + '"@' + tag


def typed(text: str, datatype: str) -> str:
    return '"' + text.translate(_ESC) + '"^^<' + datatype + ">"


def ordered(statements: Iterable[Statement]) -> list[Statement]:
    """Unique statements in export order: ``rdf:type`` first, then by predicate, then object."""
    return sorted(set(statements), key=lambda s: (s[0] != TYPE, s[0], s[1]))


# --- prefixed names ----------------------------------------------------------------------

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def _vocabulary() -> dict[str, str]:
    """Prefixed names of the IRIs a build writes as predicates, classes or datatypes."""
    from rdflib import DCTERMS, FOAF, RDF, RDFS, SKOS

    terms = [str(getattr(KG, name)) for name in KG.__annotations__]
    terms += [str(x) for x in (RDF.type, RDFS.label, DCTERMS.title, DCTERMS.creator, DCTERMS.subject, DCTERMS.date,
                               DCTERMS.source, FOAF.page, FOAF.name, FOAF.nick, FOAF.Agent, FOAF.Document,
                               SKOS.Concept, SKOS.ConceptScheme, SKOS.prefLabel, SKOS.inScheme, SKOS.topConceptOf,
                               SKOS.broader)]
    terms += [XSD + "date", XSD_INTEGER, XSD_STRING]
    out = {}
    for term in terms:
        for prefix, ns in PREFIXES.items():
            if term.startswith(ns) and _LOCAL.match(term[len(ns):]):
                out[term] = f"{prefix}:{term[len(ns):]}"
    return out


SHORT = _vocabulary()


def _turtle_header() -> str:
    """The ``@prefix`` lines, in the order pyoxigraph writes them."""
    probe = ox.Triple(ox.NamedNode("x:s"), ox.NamedNode("x:p"), ox.NamedNode("x:o"))
    text = ox.serialize([probe], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode()
    return "".join(line + "\n" for line in text.splitlines() if line.startswith("@prefix"))


HEADER = _turtle_header()
_INTEGER = re.compile(r'"([+-]?[0-9]+)"\^\^<' + re.escape(XSD_INTEGER) + r">\Z")


def turtle_object(o: str) -> str:
    """An object in N-Triples syntax as Turtle writes it (prefixed names, bare integers)."""
    if o[0] == "<":
        return SHORT.get(o[1:-1], o)
    if o[-1] == ">":  # a typed literal
        m = _INTEGER.match(o)
        if m:
            return m.group(1)
        cut = o.rindex('"^^<')
        dt = o[cut + 4 : -1]
        return o if dt not in SHORT else o[: cut + 3] + SHORT[dt]
    return o


def turtle_block(subject: str, statements: list[Statement], indent: str = "") -> str:
    parts = [f"{indent}<{subject}> "]
    previous = None
    for p, o in statements:
        if p == previous:
            parts.append(" , ")
        else:
            if previous is not None:
                parts.append(f" ;\n{indent}\t")
            parts.append("a " if p == TYPE else SHORT.get(p, f"<{p}>") + " ")
            previous = p
        parts.append(turtle_object(o))
    parts.append(" .\n")
    return "".join(parts)


# --- JSON-LD -----------------------------------------------------------------------------

_COMPACT_ORDER = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_COMPACTED: dict[str, str] = {}


def compact_iri(value: str) -> str:
    """An IRI as a compact IRI under the vocabulary's prefixes, where one fits."""
    known = _COMPACTED.get(value)
    if known is not None:
        return known
    for prefix, ns in _COMPACT_ORDER:
        local = value[len(ns):]
        if value.startswith(ns) and local and not local.startswith("//"):
            return f"{prefix}:{local}"
    return value


def _key(predicate: str) -> str:
    """A property key: the predicate compacted, as JSON text (remembered: predicates are few)."""
    key = _KEYS.get(predicate)
    if key is None:
        key = _KEYS[predicate] = json.dumps(compact_iri(predicate), ensure_ascii=False)
    return key


_KEYS: dict[str, str] = {}


def jsonld_value(o: str) -> str:
    """An object in N-Triples syntax as an expanded JSON-LD value object (its text).

    An N-Triples string is a JSON string: the same quote, the same escapes; and an IRI holds
    no character JSON escapes (no quote, backslash, control character or space).
    """
    if o[0] == "<":
        return '{"@id": "' + o[1:-1] + '"}'
    if o[-1] == '"':
        return '{"@value": ' + o + "}"
    if o[-1] == ">":
        cut = o.rindex('"^^<')
        return '{"@type": "' + o[cut + 4 : -1] + '", "@value": ' + o[: cut + 1] + "}"
    cut = o.rindex('"@')
    return '{"@language": "' + o[cut + 2 :] + '", "@value": ' + o[: cut + 1] + "}"


def jsonld_node(subject: str, statements: list[Statement]) -> str:
    """One node object: ``@id``, ``@type`` (compact), then each property's values."""
    parts = ['{"@id": "', subject, '"']
    types = [_key(o[1:-1]) for p, o in statements if p == TYPE and o[0] == "<"]
    if types:
        parts.append(', "@type": [' + ", ".join(types) + "]")
    previous = None
    for p, o in statements:
        if p == TYPE and o[0] == "<":
            continue
        if p != previous:
            if previous is not None:
                parts.append("]")
            parts.append(", " + _key(p) + ": [")
            previous = p
        else:
            parts.append(", ")
        parts.append(jsonld_value(o))
    if previous is not None:
        parts.append("]")
    parts.append("}")
    return "".join(parts)


# --- writers -----------------------------------------------------------------------------


class Writer:
    """Receives the dataset graph by graph (``None`` = the default graph, first), block by
    block in export order, and writes its format to ``out``."""

    dataset = False  # whether it writes the named graphs too

    def __init__(self, out: TextIO):
        self.out = out

    def start_graph(self, graph: str | None) -> None:
        pass

    def block(self, graph: str | None, subject: str, statements: list[Statement]) -> None:
        raise NotImplementedError

    def end_graph(self, graph: str | None) -> None:
        pass

    def close(self) -> None:
        pass


class NTriples(Writer):
    def block(self, graph, subject, statements):
        s = f"<{subject}> "
        self.out.write("".join(f"{s}<{p}> {o} .\n" for p, o in statements))


class NQuads(Writer):
    dataset = True

    def block(self, graph, subject, statements):
        s, g = f"<{subject}> ", f" <{graph}> .\n" if graph else " .\n"
        self.out.write("".join(f"{s}<{p}> {o}{g}" for p, o in statements))


class Turtle(Writer):
    def __init__(self, out: TextIO):
        super().__init__(out)
        self.started = False

    def block(self, graph, subject, statements):
        if not self.started:
            self.out.write(HEADER)
            self.started = True
        self.out.write(turtle_block(subject, statements))


class TriG(Turtle):
    dataset = True

    def start_graph(self, graph):
        if graph is not None:
            if not self.started:
                self.out.write(HEADER)
                self.started = True
            self.out.write(f"<{graph}> {{\n")

    def block(self, graph, subject, statements):
        if graph is None:
            super().block(graph, subject, statements)
        else:
            self.out.write(turtle_block(subject, statements, "\t"))

    def end_graph(self, graph):
        if graph is not None:
            self.out.write("}\n")


class JsonLd(Writer):
    """Compacted JSON-LD: the vocabulary's prefixes as ``@context``, one node per line."""

    def __init__(self, out: TextIO):
        super().__init__(out)
        context = json.dumps({"@context": dict(PREFIXES)}, ensure_ascii=False)[:-1]
        out.write(context + ',\n"@graph": [\n')
        self.first = True

    def block(self, graph, subject, statements):
        self.out.write(("" if self.first else ",\n") + jsonld_node(subject, statements))
        self.first = False

    def close(self):
        self.out.write("\n]}\n")


class Tally:
    """What went through the writers: statements in the default graph, in all, and the
    default graph's subjects by class."""

    def __init__(self):
        self.triples = 0
        self.quads = 0
        self.types: dict[str, int] = {}


def write(blocks: Iterable[tuple[str | None, str, list[Statement]]], writers: list[Writer]) -> Tally:
    """Feed ``(graph, subject, statements)`` blocks (default graph first, then the named
    graphs, each contiguous) to every writer; dataset writers also get the named graphs."""
    tally = Tally()
    types = tally.types
    current: str | None = None
    active = writers
    for w in writers:
        w.start_graph(None)
    for graph, subject, statements in blocks:
        if graph != current:
            for w in active:
                w.end_graph(current)
            current = graph
            active = [w for w in writers if w.dataset]
            for w in active:
                w.start_graph(graph)
        for w in active:
            w.block(graph, subject, statements)
        tally.quads += len(statements)
        if graph is None:
            tally.triples += len(statements)
            for p, o in statements:
                if p == TYPE and o[0] == "<":
                    types[o[1:-1]] = types.get(o[1:-1], 0) + 1
    for w in active:
        w.end_graph(current)
    for w in writers:
        w.close()
    return tally
