"""kg/vocab.py, ontology/kg.ttl and ontology/hf-tasks.ttl agree."""

from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS

from kg import topics
from kg.vocab import KG, KG_NS

ONTOLOGY = Path(__file__).parent.parent / "ontology"


@pytest.fixture(scope="module")
def onto():
    return rdflib.Graph().parse(ONTOLOGY / "kg.ttl")


def test_vocab_is_closed():
    with pytest.raises(AttributeError):
        KG.Papr  # noqa: B018


def test_every_term_is_declared_with_label_and_comment_and_nothing_more(onto):
    declared = {str(s)[len(KG_NS):] for s in onto.subjects(RDF.type, None) if str(s).startswith(KG_NS)}
    assert declared == set(KG.__annotations__)
    for name in declared:
        term = rdflib.URIRef(KG_NS + name)
        assert onto.value(term, RDFS.label) and onto.value(term, RDFS.comment), name


def test_properties_have_domain_or_range_and_classes_are_aligned(onto):
    for name in KG.__annotations__:
        term = rdflib.URIRef(KG_NS + name)
        if (term, RDF.type, OWL.Class) in onto:
            assert onto.value(term, RDFS.subClassOf), name
        else:
            assert onto.value(term, RDFS.range) or onto.value(term, RDFS.domain), name
    assert (KG.Paper, RDFS.subClassOf, rdflib.URIRef("https://schema.org/ScholarlyArticle")) in onto
    assert (KG.Authorship, RDFS.subClassOf, rdflib.URIRef("http://purl.org/spar/pro/RoleInTime")) in onto
    assert (KG.arxivId, RDFS.subPropertyOf, rdflib.URIRef("http://purl.org/dc/terms/identifier")) in onto


def test_hf_tasks_file_is_the_table_in_kg_topics():
    assert (ONTOLOGY / "hf-tasks.ttl").read_text() == topics.scheme_turtle()
    g = rdflib.Graph().parse(ONTOLOGY / "hf-tasks.ttl")
    tops = set(g.subjects(rdflib.SKOS.topConceptOf, None))
    assert len(tops) == 7
    assert len(set(g.subjects(RDF.type, rdflib.SKOS.Concept))) == 7 + len(topics.TASKS)
