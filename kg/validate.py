"""``kg validate``: the graph against ``ontology/shapes.ttl``.

SHACL-Core shapes run in pyshacl.  SHACL-SPARQL constraints (``sh:sparql``) run in pyoxigraph
once over all focus nodes: the shape's target (``sh:targetClass`` or a ``sh:SPARQLTarget``) is
joined in at the start of the constraint's WHERE clause and ``$this`` becomes ``?this``, which
is what SHACL's pre-binding of ``$this`` means for these queries; through pyshacl (rdflib's
SPARQL, one query per focus node) they took 30 s on the dev graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import RDF, SH

from .errors import GraphError
from .store import query

SHAPES_FILE = "shapes.ttl"


def shapes_path() -> Path:
    """ontology/shapes.ttl: installed as package data (kg.ontology), or beside the checkout."""
    try:
        found = resources.files("kg.ontology") / SHAPES_FILE
        if found.is_file():
            return Path(str(found))
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "ontology" / SHAPES_FILE


@dataclass(frozen=True, order=True)
class Finding:
    severity: str
    node: str
    rule: str
    message: str


@dataclass
class ValidationReport:
    conforms: bool
    findings: list[Finding] = field(default_factory=list)

    def text(self) -> str:
        violations = sum(1 for f in self.findings if f.severity == "Violation")
        warnings = len(self.findings) - violations
        head = "Conforms" if self.conforms else "Does not conform"
        lines = [f"{head}: {violations} violations, {warnings} warnings"]
        for f in sorted(self.findings):
            lines.append(f"{f.severity:9}  {f.node}  [{f.rule}]  {f.message}")
        return "\n".join(lines)


def _short(term) -> str:
    return str(term).rsplit("#", 1)[-1] if "#" in str(term) else str(term)


def _core_shapes(shapes: rdflib.Graph) -> rdflib.Graph:
    """The shapes without sh:sparql constraints and without SPARQL-targeted shapes."""
    core = rdflib.Graph()
    sparql_targeted = {s for s, t in shapes.subject_objects(SH.target) if (t, RDF.type, SH.SPARQLTarget) in shapes}
    for s, p, o in shapes:
        if p == SH.sparql or s in sparql_targeted:
            continue
        core.add((s, p, o))
    return core


def _pyshacl(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    import pyshacl

    _conforms, results, _text = pyshacl.validate(data, shacl_graph=_core_shapes(shapes), allow_warnings=True)
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        node = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        component = _short(results.value(r, SH.sourceConstraintComponent)).replace("ConstraintComponent", "")
        rule = f"{_short(path) if path is not None else _short(results.value(r, SH.sourceShape))} {component}".strip()
        message = str(results.value(r, SH.resultMessage) or component)
        out.append(Finding(_short(results.value(r, SH.resultSeverity)), str(node), rule, message))
    return out


def _sparql(store: ox.Store, shapes: rdflib.Graph) -> list[Finding]:
    out = []
    for shape in sorted(set(shapes.subjects(SH.sparql, None)), key=str):
        target_class = shapes.value(shape, SH.targetClass)
        target = shapes.value(shape, SH.target)
        if target_class is not None:
            prefix = f"?this a <{target_class}> ."
        elif target is not None and shapes.value(target, SH.select):
            prefix = "{ " + str(shapes.value(target, SH.select)) + " }"
        else:
            continue
        for constraint in sorted(shapes.objects(shape, SH.sparql), key=str):
            select = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
            message = str(shapes.value(constraint, SH.message) or "SPARQL constraint")
            head, sep, tail = select.partition("WHERE {")
            if not sep:
                raise GraphError(f"shape {shape}: a sh:select without 'WHERE {{'")
            for row in query(store, f"{head}WHERE {{ {prefix} {tail}"):
                text = re.sub(r"\{\?(\w+)\}", lambda m: _value(row, m.group(1)), message)
                out.append(Finding("Violation", row["this"].value, f"{_short(shape)} sparql", text))
    return out


def _value(row, name: str) -> str:
    try:
        term = row[name]
    except (KeyError, IndexError):
        return "?" + name
    return "" if term is None else term.value


def validate(store: ox.Store, shapes: str | Path | None = None) -> ValidationReport:
    """Check the default (merged) graph of ``store`` against the shapes."""
    shapes_graph = rdflib.Graph().parse(str(shapes or shapes_path()), format="turtle")
    data = rdflib.Graph()
    data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    findings = sorted(set(_pyshacl(data, shapes_graph) + _sparql(store, shapes_graph)))
    return ValidationReport(conforms=not any(f.severity == "Violation" for f in findings), findings=findings)
