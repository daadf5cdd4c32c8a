"""The text writers make what pyoxigraph's serialisers make for the same statements."""

import json
import sys

import pyoxigraph as ox
import pytest

from kg import rdftext
from kg.rdftext import TYPE, iri, lang, lit, typed
from kg.store import compact_jsonld
from kg.vocab import PREFIXES

KG = PREFIXES["kg"]
XSD = PREFIXES["xsd"]


def all_characters() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_literal_escapes_are_oxigraphs_for_every_code_point():
    text = all_characters()
    assert lit(text) == str(ox.Literal(text))
    assert lang(text, "en") == str(ox.Literal(text, language="en"))
    assert typed(text, XSD + "date") == str(ox.Literal(text, datatype=ox.NamedNode(XSD + "date")))


def test_escaped_literal_is_a_json_string():
    text = all_characters()
    assert json.loads(lit(text)) == text


TRICKY = ['plain', 'say "hi"\nnew line\ttab \\ back', 'ünïcödé 漢字 🙂', "'single' & <angle>", ""]


def sample_blocks(graph=None, *, controls=False, odd=False):
    """Blocks in export order: types first, several objects per predicate, every literal kind;
    ``odd``: IRIs outside the vocabulary in a prefix's namespace (written in full by us,
    shortened by pyoxigraph: the one place the bytes may differ)."""
    texts = TRICKY + (["bell\x07 del\x7f nul\x00"] if controls else [])
    out = []
    for i in range(3):
        s = f"https://example.org/id/thing/{i}"
        stmts = [(TYPE, iri(KG + "Paper")), (TYPE, iri(KG + "Repository"))] if i != 1 else []
        stmts += [("http://purl.org/dc/terms/title", lit(t)) for t in texts]
        stmts += [(KG + "position", typed(str(i + 1), XSD + "integer")), (KG + "firstListed", typed("2025-02-04", XSD + "date")),
                  (KG + "summary", lang(texts[i + 1], "en")), (KG + "url", iri(f"https://github.com/o/r{i}")),
                  ("https://example.org/not-in-the-vocabulary", typed("x", "https://example.org/dt"))]
        if odd:
            stmts += [(KG + "odd", iri("https://schema.org/Thing")), (KG + "odd", typed("1", XSD + "short"))]
        out.append((graph, s, rdftext.ordered(stmts)))
    return out


def quads_of(blocks):
    quads = []
    for g, s, stmts in blocks:
        for p, o in stmts:
            obj = next(iter(ox.parse(input=f"<x:s> <x:p> {o} .", format=ox.RdfFormat.N_TRIPLES))).object
            quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, ox.NamedNode(g) if g else ox.DefaultGraph()))
    return quads


def written(writer_class, blocks) -> str:
    import io

    buf = io.StringIO()
    rdftext.write(blocks, [writer_class(buf)])
    return buf.getvalue()


@pytest.mark.parametrize("writer, fmt", [(rdftext.NTriples, ox.RdfFormat.N_TRIPLES), (rdftext.Turtle, ox.RdfFormat.TURTLE)])
def test_triple_writers_equal_pyoxigraph(writer, fmt):
    blocks = sample_blocks()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads_of(blocks)]
    assert written(writer, blocks) == ox.serialize(triples, format=fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TURTLE else None).decode()


def test_dataset_writers_equal_pyoxigraph():
    blocks = sample_blocks() + sample_blocks("https://example.org/id/digest/2025-02-04") + sample_blocks("https://example.org/id/digest/2025-02-05")
    quads = quads_of(blocks)
    assert written(rdftext.TriG, blocks) == ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES).decode()
    assert written(rdftext.NQuads, blocks) == ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode()


def test_jsonld_equals_the_compacted_pyoxigraph_document():
    blocks = sample_blocks()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads_of(blocks)]
    expected = compact_jsonld(ox.serialize(triples, format=ox.RdfFormat.JSON_LD)).decode()
    assert written(rdftext.JsonLd, blocks) == expected


@pytest.mark.parametrize("writer, fmt", [(rdftext.NTriples, ox.RdfFormat.N_TRIPLES), (rdftext.Turtle, ox.RdfFormat.TURTLE),
                                         (rdftext.JsonLd, ox.RdfFormat.JSON_LD), (rdftext.TriG, ox.RdfFormat.TRIG),
                                         (rdftext.NQuads, ox.RdfFormat.N_QUADS)])
def test_every_writer_reads_back_the_same_statements_even_with_control_characters(writer, fmt):
    blocks = sample_blocks(controls=True, odd=True)
    if writer.dataset:
        blocks += sample_blocks("https://example.org/id/digest/2025-02-04", controls=True, odd=True)
    back = set(ox.parse(input=written(writer, blocks).encode(), format=fmt))
    assert back == set(quads_of(blocks))


def test_empty_graph_is_still_a_document():
    for writer, fmt in [(rdftext.Turtle, ox.RdfFormat.TURTLE), (rdftext.JsonLd, ox.RdfFormat.JSON_LD), (rdftext.TriG, ox.RdfFormat.TRIG)]:
        assert list(ox.parse(input=written(writer, []).encode(), format=fmt)) == []


def test_tally_counts_statements_and_classes():
    import io

    blocks = sample_blocks() + sample_blocks("https://example.org/id/digest/1")
    tally = rdftext.write(blocks, [rdftext.NQuads(io.StringIO())])
    per_graph = sum(len(st) for _g, _s, st in sample_blocks())
    assert (tally.triples, tally.quads) == (per_graph, 2 * per_graph)
    assert tally.types == {KG + "Paper": 2, KG + "Repository": 2}
