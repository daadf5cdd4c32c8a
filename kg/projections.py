"""RDF -> networkx graphs, read through SPARQL so that any graph following the ontology works.

Nodes are IRIs (strings) with ``label`` and ``kind`` attributes; edges carry ``weight``.

* :func:`coauthor_graph`: authors linked by shared papers; ``counting="fractional"`` adds
  1/(n-1) per pair for a paper with n authors (as VOSviewer does), ``"full"`` adds 1.
* :func:`topic_graph`: topics linked by papers tagged with both.
* :func:`paper_topic_graph`, :func:`author_topic_graph`: bipartite graphs.
* :func:`full_graph`: every paper, author, topic, repository, artefact and digest.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from itertools import combinations

import networkx as nx
import pyoxigraph as ox

from .store import query

COUNTINGS = ("full", "fractional")

KINDS = {
    "https://w3id.org/paperkg/ontology#Paper": "paper",
    "https://w3id.org/paperkg/ontology#Author": "author",
    "http://www.w3.org/2004/02/skos/core#Concept": "topic",
    "https://w3id.org/paperkg/ontology#Repository": "repository",
    "https://w3id.org/paperkg/ontology#Model": "artifact",
    "https://w3id.org/paperkg/ontology#Dataset": "artifact",
    "https://w3id.org/paperkg/ontology#Space": "artifact",
    "https://w3id.org/paperkg/ontology#Collection": "artifact",
    "https://w3id.org/paperkg/ontology#Digest": "digest",
}


def rows(store: ox.Store, sparql: str):
    """Each solution of ``sparql`` as a tuple of term values (None where unbound)."""
    for row in query(store, sparql):
        yield tuple(None if v is None else v.value for v in row)


_read: dict | None = None  # inside read_once(): (id(store), what) -> (store, value)


@contextmanager
def read_once():
    """Within this block each store's labels, paper members and paper texts are read once and
    shared (treat them as read-only; the store must not change inside the block).  The report
    and the views ask for them many times: at 100k papers that was 31 s of converting rows.
    The block keeps what it read alive, so the collector is paused in it (:func:`paused_gc`)."""
    global _read
    outer = _read
    if outer is None:
        _read = {}
    try:
        with paused_gc():
            yield
    finally:
        if outer is None:
            _read = None


@contextmanager
def paused_gc():
    """Python's cyclic garbage collector paused inside the block (and on again after it, if it was).

    The report and the views keep millions of small objects alive until they end, and the
    collector's full passes walk all of them, more often the more there are: the report at 100k
    papers took 79.6 s with it and 63.7 s without (peak memory +18 MiB), at 10k 6.4-7.0 s and
    4.8-5.3 s.  Reference counting still frees everything that is not in a cycle.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def shared(store: ox.Store, what: str, make):
    """``make()``, or inside :func:`read_once` the value made for ``store`` and ``what`` before."""
    if _read is None:
        return make()
    key = (id(store), what)
    if key not in _read:
        _read[key] = (store, make())  # the store is kept so that its id is not reused
    return _read[key][1]


def labels(store: ox.Store) -> dict[str, str]:
    """IRI -> rdfs:label of everything labelled but authorships (no graph here has them as nodes;
    they are half the labels: 10k papers 0.33 -> 0.22 s)."""
    return shared(store, "labels", lambda: dict(rows(
        store, "SELECT ?s ?l WHERE { ?s rdfs:label ?l MINUS { ?s a kg:Authorship } }")))


def paper_members(store: ox.Store, predicate: str) -> dict[str, list[str]]:
    """paper IRI -> sorted IRIs it links by ``predicate`` (``dcterms:creator``, ``dcterms:subject``)."""
    def make():
        out: dict[str, list[str]] = defaultdict(list)
        for paper, member in rows(store, f"SELECT ?p ?m WHERE {{ ?p a kg:Paper ; {predicate} ?m }}"):
            out[paper].append(member)
        return {p: sorted(ms) for p, ms in sorted(out.items())}

    return shared(store, f"members {predicate}", make)


def coauthor_graph(store: ox.Store, counting: str = "full") -> nx.Graph:
    """Authors as nodes (``papers``: how many), co-authorship as weighted edges (``papers``: which)."""
    if counting not in COUNTINGS:
        raise ValueError(f"counting must be one of {COUNTINGS}, not {counting!r}")
    names = labels(store)
    G = nx.Graph(name="co-authorship", counting=counting)
    for paper, authors in paper_members(store, "dcterms:creator").items():
        for a in authors:
            if a not in G:
                G.add_node(a, label=names.get(a, a), kind="author", papers=0)
            G.nodes[a]["papers"] += 1
        share = 1.0 / (len(authors) - 1) if counting == "fractional" and len(authors) > 1 else 1.0
        for a, b in combinations(authors, 2):
            if G.has_edge(a, b):
                G[a][b]["weight"] += share
                G[a][b]["papers"].append(paper)
            else:
                G.add_edge(a, b, weight=share, papers=[paper])
    return G


def _categories(store: ox.Store) -> dict[str, str]:
    out = {}
    for topic, label, broader in rows(store, """SELECT ?t ?l ?b WHERE { ?t a skos:Concept ; rdfs:label ?l .
            OPTIONAL { ?t skos:broader/rdfs:label ?b } }"""):
        out[topic] = broader or label
    return out


def topic_graph(store: ox.Store) -> nx.Graph:
    """Topics as nodes (``papers``, ``category``), linked by the papers tagged with both."""
    names, cats = labels(store), _categories(store)
    G = nx.Graph(name="topic co-occurrence")
    for paper, topics in paper_members(store, "dcterms:subject").items():
        for t in topics:
            if t not in G:
                G.add_node(t, label=names.get(t, t), kind="topic", category=cats.get(t, ""), papers=0)
            G.nodes[t]["papers"] += 1
        for a, b in combinations(topics, 2):
            if G.has_edge(a, b):
                G[a][b]["weight"] += 1
            else:
                G.add_edge(a, b, weight=1)
    return G


def _bipartite(store: ox.Store, right_pred: str, right_kind: str, name: str) -> nx.Graph:
    names = labels(store)
    G = nx.Graph(name=name)
    for paper, members in paper_members(store, right_pred).items():
        G.add_node(paper, label=names.get(paper, paper), kind="paper", bipartite=0)
        for m in members:
            G.add_node(m, label=names.get(m, m), kind=right_kind, bipartite=1)
            G.add_edge(paper, m, weight=1)
    return G


def paper_topic_graph(store: ox.Store) -> nx.Graph:
    return _bipartite(store, "dcterms:subject", "topic", "paper-topic")


def author_topic_graph(store: ox.Store) -> nx.Graph:
    """Authors and topics, an edge weighted by how many of the author's papers have the topic."""
    names = labels(store)
    G = nx.Graph(name="author-topic")
    q = """SELECT ?a ?t (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p dcterms:creator ?a ; dcterms:subject ?t } GROUP BY ?a ?t"""
    for a, t, n in sorted(rows(store, q)):
        G.add_node(a, label=names.get(a, a), kind="author", bipartite=0)
        G.add_node(t, label=names.get(t, t), kind="topic", bipartite=1)
        G.add_edge(a, t, weight=int(n))
    return G


def full_graph(store: ox.Store) -> nx.Graph:
    """Every typed node of the graph and the links between them, one edge per linked pair."""
    names = labels(store)
    G = nx.Graph(name="knowledge graph")
    # the classes and links named in VALUES: the property-path alternatives and UNIONs this had
    # took 0.40 s for 10k papers' links against 0.22 s, all classes (Authorships too) 0.075 s against 0.035 s
    classes = " ".join(f"<{c}>" for c in KINDS)
    for node, cls in sorted(rows(store, f"SELECT ?s ?c WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}")):
        G.add_node(node, label=names.get(node, node), kind=KINDS[cls])
    q = """SELECT ?a ?b WHERE {
      VALUES ?p { dcterms:creator dcterms:subject kg:repository kg:artifact kg:listedIn kg:owner skos:broader }
      ?a ?p ?b }"""
    for a, b in sorted(rows(store, q)):
        if a in G and b in G:
            G.add_edge(a, b, weight=1)
    return G


PROJECTIONS = {
    "authors": coauthor_graph,
    "topics": topic_graph,
    "paper-topic": paper_topic_graph,
    "author-topic": author_topic_graph,
    "full": full_graph,
}
