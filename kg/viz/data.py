"""The graph behind each view, with what the page shows about every node."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .. import projections
from ..projections import rows
from ..analysis.clusters import cluster_store
from ..analysis.coauthors import find_author
from ..errors import KGError

VIEWS = ("graph", "coauthors", "topics", "ego", "cluster")


def node_info(store) -> tuple[dict[str, list[str]], dict[str, list]]:
    """(topic labels of every node, the details panel of every node)."""
    topic_label = dict(rows(store, "SELECT ?t ?l WHERE { ?t a skos:Concept ; rdfs:label ?l }"))
    paper_topics: dict[str, set] = defaultdict(set)
    for p, t in rows(store, "SELECT ?p ?t WHERE { ?p a kg:Paper ; dcterms:subject ?t }"):
        paper_topics[p].add(topic_label.get(t, t))
    topics: dict[str, set] = defaultdict(set)
    for p, ts in paper_topics.items():
        topics[p] |= ts
    for t, label in topic_label.items():
        topics[t].add(label)
    for p, x in rows(store, """SELECT ?p ?x WHERE { ?p a kg:Paper .
            { ?p dcterms:creator ?x } UNION { ?p kg:repository ?x } UNION { ?p kg:artifact ?x } UNION { ?p kg:listedIn ?x } }"""):
        topics[x] |= paper_topics.get(p, set())

    details: dict[str, list] = defaultdict(list)

    def add(node, field, value):
        if value:
            details[node].append([field, value])

    papers = {}
    for p, title, pid, first in rows(store, """SELECT ?p ?t ?id ?f WHERE { ?p a kg:Paper ; dcterms:title ?t ;
            kg:arxivId ?id ; kg:firstListed ?f }"""):
        papers[p] = (title, pid, first)
    authors_of: dict[str, list] = defaultdict(list)
    for p, pos, name in rows(store, """SELECT ?p ?pos ?n WHERE { ?p kg:authorship ?s . ?s kg:position ?pos ; kg:author/rdfs:label ?n }"""):
        authors_of[p].append((int(pos), name))
    links_of: dict[str, list] = defaultdict(list)
    for p, kind, url in rows(store, """SELECT ?p ?k ?u WHERE {
            { ?p kg:repository/kg:url ?u BIND("GitHub" AS ?k) } UNION { ?p kg:artifact/kg:url ?u BIND("Hugging Face" AS ?k) }
            UNION { ?p kg:projectPage ?u BIND("Project page" AS ?k) } }"""):
        links_of[p].append((kind, url))
    for p, (title, pid, first) in papers.items():
        add(p, "Title", title)
        add(p, "Authors", ", ".join(n for _pos, n in sorted(authors_of[p])))
        add(p, "First listed", first)
        add(p, "Topics", ", ".join(sorted(paper_topics.get(p, ()))))
        details[p].append(["links", [["arXiv", f"https://arxiv.org/abs/{pid}"], *sorted(links_of[p])]])
    for a, name, n in rows(store, """SELECT ?a ?n (COUNT(DISTINCT ?p) AS ?c) WHERE { ?a a kg:Author ; rdfs:label ?n .
            OPTIONAL { ?p dcterms:creator ?a } } GROUP BY ?a ?n"""):
        add(a, "Author", name)
        add(a, "Papers", n)
    for a, variants in rows(store, """SELECT ?a (GROUP_CONCAT(?v; separator=", ") AS ?vs) WHERE {
            ?a a kg:Author ; kg:nameVariant ?v } GROUP BY ?a"""):
        add(a, "Spellings", ", ".join(sorted(variants.split(", "))))
    for t, label, broader, n in rows(store, """SELECT ?t ?l ?b (COUNT(DISTINCT ?p) AS ?c) WHERE { ?t a skos:Concept ; rdfs:label ?l .
            OPTIONAL { ?t skos:broader/rdfs:label ?b } OPTIONAL { ?p dcterms:subject ?t } } GROUP BY ?t ?l ?b"""):
        add(t, "Topic", label)
        add(t, "Category", broader or label)
        add(t, "Papers", n)
    for x, label, url, owner in rows(store, """SELECT ?x ?l ?u ?o WHERE { ?x kg:url ?u ; rdfs:label ?l .
            OPTIONAL { ?x kg:owner/rdfs:label ?o } }"""):
        add(x, "Name", label)
        add(x, "Owner", owner)
        details[x].append(["links", [["Open", url]]])
    for d, date, n in rows(store, """SELECT ?d ?date (COUNT(DISTINCT ?p) AS ?c) WHERE { ?d a kg:Digest ; dcterms:date ?date .
            OPTIONAL { ?p kg:listedIn ?d } } GROUP BY ?d ?date"""):
        add(d, "Digest", date)
        add(d, "Papers", n)
    return {k: sorted(v) for k, v in topics.items()}, dict(details)


def view_graph(store, view: str, name: str | None = None, number: int | None = None,
               radius: int = 2, seed: int = 0, info: tuple | None = None) -> nx.Graph:
    """The graph of a view: the whole graph, co-authorship, the topic map, an author's ego
    network (``name``, ``radius``) or one cluster of authors (``number``, as `kg clusters` numbers them).
    ``info``: :func:`node_info` of the store, when several views are made from it."""
    if view == "graph":
        G = projections.full_graph(store)
    elif view == "coauthors":
        G = projections.coauthor_graph(store)
    elif view == "topics":
        G = projections.topic_graph(store)
        for t, label, cat in rows(store, """SELECT ?t ?l ?c WHERE { ?t a skos:Concept ; rdfs:label ?l .
                OPTIONAL { ?t skos:broader/rdfs:label ?c } }"""):
            if t in G:
                G.nodes[t]["category"] = cat or label
    elif view == "ego":
        if not name:
            raise KGError("the ego view needs an author's name")
        author = find_author(store, name)
        full = projections.coauthor_graph(store)
        G = nx.ego_graph(full, author, radius=radius) if author in full else nx.Graph()
        G.graph["title"] = f"co-authors of {full.nodes[author]['label'] if author in full else name} (radius {radius})"
        G.graph["focus"] = author
    elif view == "cluster":
        clustering = cluster_store(store, "authors", seed=seed)
        if number is None or not 1 <= number <= len(clustering.clusters):
            raise KGError(f"cluster must be a number from 1 to {len(clustering.clusters)} (see `kg clusters`)")
        members = clustering.clusters[number - 1].members
        G = projections.coauthor_graph(store).subgraph(members).copy()
        c = clustering.clusters[number - 1]
        G.graph["title"] = f"author cluster {number}: {', '.join(c.top_topics[:3])}"
    else:
        raise KGError(f"unknown view {view!r}; views: {', '.join(VIEWS)}")
    topics, details = info or node_info(store)
    for n in G:
        G.nodes[n]["topics"] = topics.get(n, [])
        G.nodes[n]["details"] = details.get(n, [])
    return G
