"""Communities with a fixed seed, labelled by their top topics and most distinctive terms.

* Louvain or Leiden (both igraph's, in C), optimising modularity at a ``resolution``;
* each cluster's distinctive terms by class-based TF-IDF over its members' summaries
  (BERTopic's c-TF-IDF: ``tf(t, c) * log(1 + A / f(t))``, A the mean words per cluster).

>>> import networkx as nx
>>> parts = communities(nx.barbell_graph(5, 0), seed=1)
>>> [len(p) for p in parts]
[5, 5]
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from .centrality import seeded_igraph, to_igraph

ALGORITHMS = ("louvain", "leiden")

STOPWORDS = frozenset(
    """a about above across after again against all also an and any are as at be because been
    being between both but by can could did do does doing down during each few for from further
    had has have having here how however i if in into is it its itself just large language
    less made make many may more most much new not novel of off on once only or other our out
    over own paper propose proposed proposes presents same several should show shows significant
    significantly so some such than that the their them then there these they this those through
    to too under until up use used uses using very via was we were what when where which while
    who why will with within without would model models method methods approach results
    demonstrate demonstrates introduce introduces based key performance state-of-the-art
    existing achieves achieve compared tasks task data research practitioners""".split()
)
_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")


def communities(G: nx.Graph, algorithm: str = "louvain", resolution: float = 1.0, seed: int = 0,
                copy: tuple | None = None, iterations: int = -1) -> list[list]:
    """Communities as node lists, largest first (ties: by smallest node), nodes sorted.
    ``copy``: :func:`to_igraph` of ``G``, when the caller has made it already; ``iterations``:
    Leiden's passes (-1: until no node moves)."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm must be one of {ALGORITHMS}, not {algorithm!r}")
    if G.number_of_nodes() == 0:
        return []
    g, nodes = copy or to_igraph(G)
    with seeded_igraph(seed):
        if algorithm == "louvain":  # igraph's C Louvain: networkx's took 5.5 of the 16 s of kg report at 10k papers
            found = g.community_multilevel(weights="weight", resolution=resolution)
        else:
            found = g.community_leiden(objective_function="modularity", weights="weight",
                                       resolution=resolution, n_iterations=iterations)
    parts = [{nodes[i] for i in members} for members in found]
    out = [sorted(p, key=str) for p in parts if p]
    return sorted(out, key=lambda p: (-len(p), str(p[0])))


def modularity(G: nx.Graph, parts: list[list], resolution: float = 1.0, copy: tuple | None = None) -> float:
    """Newman's weighted modularity of ``parts`` (nodes in none count as clusters of their own);
    ``copy`` as for :func:`communities`."""
    g, nodes = copy or to_igraph(G)
    if g.ecount() == 0:
        return 0.0
    where = {n: k for k, part in enumerate(parts) for n in part}
    membership = [where.get(n, len(parts) + i) for i, n in enumerate(nodes)]
    return g.modularity(membership, weights="weight", resolution=resolution)


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and not w.isdigit()]


def distinctive_terms(counts: list[Counter], top: int = 5) -> list[list[str]]:
    """The ``top`` terms of each document (a cluster's text, given as its :func:`tokens`
    counted) by class-based TF-IDF."""
    total = Counter()
    for c in counts:
        total.update(c)
    if not total:
        return [[] for _ in counts]
    avg = sum(total.values()) / len(counts)
    out = []
    for c in counts:
        size = sum(c.values()) or 1
        score = {t: (n / size) * math.log(1 + avg / total[t]) for t, n in c.items()}
        out.append([t for t, _s in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:top]])
    return out


@dataclass
class Cluster:
    id: int
    size: int
    members: list
    top_members: list[str]
    top_topics: list[str]
    terms: list[str]


@dataclass
class Clustering:
    of: str
    algorithm: str
    resolution: float
    seed: int
    modularity: float
    clusters: list[Cluster] = field(default_factory=list)


OF = ("authors", "topics", "papers")


def clustering_graph(store, of: str) -> nx.Graph:
    """The graph clustered for ``of``: co-authorship, topic co-occurrence, or for papers the
    paper-author-topic graph (papers joined through shared authors and topics; linear in size,
    unlike a paper-paper projection)."""
    from .. import projections

    if of == "authors":
        return projections.coauthor_graph(store)
    if of == "topics":
        return projections.topic_graph(store)
    if of == "papers":
        G = projections.paper_topic_graph(store)
        names = projections.labels(store)
        for paper, authors in projections.paper_members(store, "dcterms:creator").items():
            for a in authors:
                G.add_node(a, label=names.get(a, a), kind="author")
                G.add_edge(paper, a, weight=1)
        return G
    raise ValueError(f"--of must be one of {OF}, not {of!r}")


def paper_tokens(store) -> dict[str, Counter]:
    """Each paper's title and summary as token counts (a cluster's are the sum of its papers')."""
    from .. import projections

    def make():
        texts = projections.rows(store, """SELECT ?p (CONCAT(?t, " ", COALESCE(?s, "")) AS ?text) WHERE {
            ?p a kg:Paper ; dcterms:title ?t . OPTIONAL { ?p kg:summary ?s } }""")
        return {p: Counter(tokens(text)) for p, text in texts}

    return projections.shared(store, "tokens", make)


def cluster_store(store, of: str = "authors", algorithm: str = "louvain", resolution: float = 1.0,
                  seed: int = 0, top: int = 5, graph: nx.Graph | None = None, copy: tuple | None = None) -> Clustering:
    """Communities of authors, topics or papers, each labelled by top topics and terms.
    ``graph``: the graph :func:`clustering_graph` would build, when the caller has it already;
    ``copy``: its :func:`to_igraph`, likewise."""
    from .. import projections

    G = graph if graph is not None else clustering_graph(store, of)
    copy = copy or to_igraph(G)  # one copy for both
    parts = communities(G, algorithm, resolution, seed, copy)
    score = modularity(G, parts, resolution, copy) if G.number_of_edges() else 0.0
    if of == "papers":
        parts = [[n for n in p if G.nodes[n].get("kind") == "paper"] for p in parts]
        parts = sorted((p for p in parts if p), key=lambda p: (-len(p), str(p[0])))
    words = paper_tokens(store)
    subjects = projections.paper_members(store, "dcterms:subject")
    creators = projections.paper_members(store, "dcterms:creator")
    names = projections.labels(store)
    papers_of: dict[str, set] = {}
    if of == "authors":
        for paper, authors in creators.items():
            for a in authors:
                papers_of.setdefault(a, set()).add(paper)
    elif of == "topics":
        for paper, topics in subjects.items():
            for t in topics:
                papers_of.setdefault(t, set()).add(paper)
    docs, topic_counts = [], []
    for part in parts:
        papers = set(part) if of == "papers" else set().union(*(papers_of.get(n, set()) for n in part))
        doc: Counter = Counter()
        for p in papers:
            doc.update(words.get(p, {}))
        docs.append(doc)
        if of == "topics":
            topic_counts.append(Counter({names.get(t, t): G.nodes[t].get("papers", 0) for t in part}))
        else:
            topic_counts.append(Counter(names.get(t, t) for p in papers for t in subjects.get(p, ())))
    terms = distinctive_terms(docs, top)
    degree = dict(G.degree(weight="weight"))
    clusters = []
    for i, part in enumerate(parts):
        ranked = sorted(part, key=lambda n: (-degree.get(n, 0), str(n)))
        clusters.append(Cluster(
            id=i + 1,
            size=len(part),
            members=part,
            top_members=[G.nodes[n].get("label", n) for n in ranked[:top]],
            top_topics=[t for t, _n in sorted(topic_counts[i].items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
            terms=terms[i],
        ))
    return Clustering(of, algorithm, resolution, seed, score, clusters)
