"""The ontology's terms as closed rdflib namespaces: a typo (``KG.Papr``) raises.

``tests/test_vocab.py`` checks ``KG`` against ``ontology/kg.ttl`` both ways.
"""

from __future__ import annotations

from rdflib import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace
from rdflib.namespace import DefinedNamespace

KG_NS = "https://w3id.org/paperkg/ontology#"
DEFAULT_BASE = "https://w3id.org/paperkg/id/"
SCHEMA = Namespace("https://schema.org/")


class KG(DefinedNamespace):
    """paperkg's own terms (``kg:``)."""

    _NS = Namespace(KG_NS)
    _fail = True

    # classes
    Paper: str
    Author: str
    Authorship: str
    Repository: str
    Artifact: str
    Model: str
    Dataset: str
    Space: str
    Collection: str
    Digest: str
    # properties
    arxivId: str
    summary: str
    authorship: str
    author: str
    position: str
    nameAsListed: str
    nameVariant: str
    hubUsername: str
    repository: str
    artifact: str
    projectPage: str
    linkedAgent: str
    listedIn: str
    firstListed: str
    week: str
    url: str
    owner: str


#: Prefixes declared in every export and every query.
PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "schema": str(SCHEMA),
}

#: Artefact kind (as :func:`kg.normalize.classify_url` names it) -> class.
ARTIFACT_CLASSES = {
    "model": KG.Model,
    "dataset": KG.Dataset,
    "space": KG.Space,
    "collection": KG.Collection,
}
