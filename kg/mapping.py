"""Records -> listings -> RDF.

A :class:`Listing` is what one digest said about one paper (several records of the same day
and paper, e.g. the markdown row and the JSON record, are combined into one).  Each digest's
listings become that digest's named graph; all listings together become the merged default
graph.  The merged graph is a pure function of the listings, and a listing can be read back
from its named graph (:func:`listings_from_quads`), which is what makes incremental builds
give the same bytes as building everything at once.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad
from rdflib import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from . import normalize as norm
from . import topics as scheme
from .records import Record
from .vocab import ARTIFACT_CLASSES, KG

ARTIFACT_KINDS = tuple(ARTIFACT_CLASSES)


def _n(term) -> NamedNode:
    return NamedNode(str(term))


A = _n(RDF.type)
LABEL = _n(RDFS.label)
TITLE = _n(DCTERMS.title)
CREATOR = _n(DCTERMS.creator)
SUBJECT = _n(DCTERMS.subject)
DATE = _n(DCTERMS.date)
SOURCE = _n(DCTERMS.source)
PAGE = _n(FOAF.page)
NAME = _n(FOAF.name)
NICK = _n(FOAF.nick)
AGENT = _n(FOAF.Agent)
DOCUMENT = _n(FOAF.Document)
CONCEPT = _n(SKOS.Concept)
SCHEME = _n(SKOS.ConceptScheme)
PREF = _n(SKOS.prefLabel)
IN_SCHEME = _n(SKOS.inScheme)
TOP_OF = _n(SKOS.topConceptOf)
BROADER = _n(SKOS.broader)
XSD_DATE = _n(XSD.date)
XSD_INT = _n(XSD.integer)
K = {name: _n(getattr(KG, name)) for name in KG.__annotations__}


@dataclass(frozen=True, slots=True)
class Listing:
    """What one digest said about one paper."""

    date: str
    arxiv_id: str
    title: str
    summary: str
    #: ``(name as listed, hub username or None)`` in listed order.
    authors: tuple[tuple[str, str | None], ...]
    #: Topic labels in the scheme's spelling, sorted.
    topics: tuple[str, ...]
    #: Classified links, sorted.
    links: tuple[norm.Link, ...]


@dataclass
class MappingStats:
    """What the mapping dropped, reclassified or did not recognise (counted, never silent)."""

    junk: Counter = field(default_factory=Counter)
    junk_examples: dict = field(default_factory=dict)
    reclassified: Counter = field(default_factory=Counter)
    reclassified_examples: dict = field(default_factory=dict)
    no_authors: list = field(default_factory=list)
    unknown_topics: Counter = field(default_factory=Counter)
    self_links: int = 0

    def drop(self, kind: str, value: str) -> None:
        self.junk[kind] += 1
        self.junk_examples.setdefault(kind, value)


def link_family(link: norm.Link) -> str:
    """``github``, ``huggingface`` or ``page``: where a classified link points."""
    if link.kind == "repository" or link.key.startswith("github/"):
        return "github"
    if link.kind in ARTIFACT_KINDS or link.key.startswith("hf/"):
        return "huggingface"
    return "page"


def classify_links(record: Record, stats: MappingStats) -> list[norm.Link]:
    out = []
    for column, value in record.links:
        link = norm.classify_url(value)
        if isinstance(link, norm.Junk):
            stats.drop(link.kind, link.value)
            continue
        if link.kind == "paper":
            stats.self_links += 1
            continue
        family = link_family(link)
        if column in ("github", "huggingface") and family != column:
            what = {"github": "GitHub link", "huggingface": "Hugging Face link", "page": "project page"}[family]
            kind = f"{what} in the {column} column"
            stats.reclassified[kind] += 1
            stats.reclassified_examples.setdefault(kind, value)
        out.append(link)
    return out


def listing_from_records(records: list[Record], stats: MappingStats) -> Listing:
    """Combine the records of one paper on one day into one listing.

    Title, authors and summary come from the fullest record (most authors, then the
    longest summary, then text order, so the choice does not depend on file order);
    topics and links are the union.
    """
    main = max(records, key=lambda r: (len(r.authors), len(r.summary), r.summary, r.title))
    topic_set: set[str] = set()
    links: set[norm.Link] = set()
    for rec in records:
        for raw in rec.topics:
            label, known = scheme.canonical(raw)
            if not known:
                stats.unknown_topics[label] += 1
            topic_set.add(label)
        links.update(classify_links(rec, stats))
    users = main.hub_users or (None,) * len(main.authors)
    authors = []
    for name, user in zip(main.authors, users):
        if norm.author_key(name):
            authors.append((name, user))
        else:
            stats.drop("author-name-without-letters", name)
    return Listing(
        date=main.date,
        arxiv_id=main.arxiv_id,
        title=main.title,
        summary=main.summary,
        authors=tuple(authors),
        topics=tuple(sorted(topic_set)),
        links=tuple(sorted(links)),
    )


def group_records(records: Iterable[Record], stats: MappingStats) -> dict[str, list[Listing]]:
    """Listings by digest date, each day's sorted by arXiv id."""
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for rec in records:
        groups[(rec.date, rec.arxiv_id)].append(rec)
        if not rec.authors:
            stats.no_authors.append((rec.source, rec.line, rec.arxiv_id))
    days: dict[str, list[Listing]] = defaultdict(list)
    for (date, _pid), recs in sorted(groups.items()):
        days[date].append(listing_from_records(recs, stats))
    return dict(days)


# --- RDF -------------------------------------------------------------------------------


class Terms:
    """Data IRIs under a base (default ``https://w3id.org/paperkg/id/``), and the author keys
    (the rule in :func:`kg.normalize.author_key`, overridden by ``aliases``: a spelling, or a
    key, mapped to the key it should have: merging two people, or splitting one)."""

    def __init__(self, base: str, aliases: dict[str, str] | None = None):
        self.base = base
        self.aliases = dict(aliases or {})

    def author_key(self, name: str) -> str:
        key = norm.author_key(name)
        return self.aliases.get(name) or self.aliases.get(key) or key

    def node(self, path: str) -> NamedNode:
        return NamedNode(self.base + path)

    def paper(self, pid: str) -> NamedNode:
        return self.node("paper/" + norm.iri_safe(pid))

    def authorship(self, pid: str, position: int) -> NamedNode:
        return self.node(f"paper/{norm.iri_safe(pid)}/authorship/{position}")

    def author(self, key: str) -> NamedNode:
        return self.node("author/" + norm.iri_safe(key))

    def topic(self, label: str) -> NamedNode:
        return self.node("topic/" + norm.slug(label))

    def digest(self, date: str) -> NamedNode:
        return self.node("digest/" + date)

    def link(self, link: norm.Link) -> NamedNode:
        return NamedNode(link.url) if link.kind == "page" else self.node(link.key)


def _lit(text: str) -> Literal:
    return Literal(text)


def _date(text: str) -> Literal:
    return Literal(text, datatype=XSD_DATE)


def iso_week(date: str) -> str:
    """``2025-02-04`` -> ``2025-W06`` (ISO 8601 week; SPARQL 1.1 has no week arithmetic)."""
    year, week, _day = datetime.date.fromisoformat(date).isocalendar()
    return f"{year}-W{week:02d}"


def digest_triples(date: str, t: Terms, g) -> list[Quad]:
    d = t.digest(date)
    return [
        Quad(d, A, K["Digest"], g),
        Quad(d, LABEL, _lit(date), g),
        Quad(d, DATE, _date(date), g),
        Quad(d, K["week"], _lit(iso_week(date)), g),
    ]


def _link_triples(paper: NamedNode, link: norm.Link, t: Terms, label: str, url: str, owner_label: str, g) -> Iterator[Quad]:
    node = t.link(link)
    if link.kind == "page":
        yield Quad(paper, K["projectPage"], node, g)
        yield Quad(node, A, DOCUMENT, g)
        yield Quad(node, LABEL, _lit(link.url), g)
        return
    if link.kind == "agent":
        yield Quad(paper, K["linkedAgent"], node, g)
        yield from _agent_triples(node, label, url, g)
        return
    if link.kind == "repository":
        yield Quad(paper, K["repository"], node, g)
        yield Quad(node, A, K["Repository"], g)
    else:
        yield Quad(paper, K["artifact"], node, g)
        yield Quad(node, A, _n(ARTIFACT_CLASSES[link.kind]), g)
    yield Quad(node, LABEL, _lit(label), g)
    yield Quad(node, K["url"], NamedNode(url), g)
    owner = t.node(link.owner_key)
    yield Quad(node, K["owner"], owner, g)
    host = "https://github.com/" if link.kind == "repository" else "https://huggingface.co/"
    yield from _agent_triples(owner, owner_label, norm.iri_safe(host + owner_label), g)


def _agent_triples(node: NamedNode, label: str, url: str, g) -> Iterator[Quad]:
    yield Quad(node, A, AGENT, g)
    yield Quad(node, LABEL, _lit(label), g)
    yield Quad(node, NICK, _lit(label), g)
    yield Quad(node, PAGE, NamedNode(url), g)


def _topic_triples(label: str, t: Terms, g) -> list[Quad]:
    node = t.topic(label)
    return [Quad(node, A, CONCEPT, g), Quad(node, LABEL, _lit(label), g), Quad(node, PREF, Literal(label, language="en"), g)]


def _paper_core(listing: Listing, title: str, summary: str, t: Terms, g) -> list[Quad]:
    p = t.paper(listing.arxiv_id)
    out = [
        Quad(p, A, K["Paper"], g),
        Quad(p, LABEL, _lit(title), g),
        Quad(p, TITLE, _lit(title), g),
        Quad(p, K["arxivId"], _lit(listing.arxiv_id), g),
        Quad(p, PAGE, NamedNode("https://arxiv.org/abs/" + norm.iri_safe(listing.arxiv_id)), g),
    ]
    if summary:
        out.append(Quad(p, K["summary"], Literal(summary, language="en"), g))
    return out


def _authorship_triples(pid: str, authors, t: Terms, g, *, as_listed: bool) -> Iterator[Quad]:
    p = t.paper(pid)
    for pos, (name, user) in enumerate(authors, 1):
        key = t.author_key(name)
        a, s = t.author(key), t.authorship(pid, pos)
        yield Quad(p, CREATOR, a, g)
        yield Quad(p, K["authorship"], s, g)
        yield Quad(s, A, K["Authorship"], g)
        yield Quad(s, LABEL, _lit(f"{name} ({pos})"), g)
        yield Quad(s, K["author"], a, g)
        yield Quad(s, K["position"], Literal(str(pos), datatype=XSD_INT), g)
        yield Quad(s, K["nameAsListed"], _lit(name), g)
        if user:
            yield Quad(s, K["hubUsername"], _lit(user), g)
        if as_listed:  # a digest's own graph: the author as that digest spelled them
            yield Quad(a, A, K["Author"], g)
            yield Quad(a, LABEL, _lit(name), g)
            yield Quad(a, K["nameVariant"], _lit(name), g)
            if user:
                yield Quad(a, K["hubUsername"], _lit(user), g)


def listing_triples(listing: Listing, t: Terms, g) -> list[Quad]:
    """The named-graph content for one listing: exactly what the digest said."""
    p = t.paper(listing.arxiv_id)
    out = _paper_core(listing, listing.title, listing.summary, t, g)
    out.append(Quad(p, K["listedIn"], t.digest(listing.date), g))
    out.extend(_authorship_triples(listing.arxiv_id, listing.authors, t, g, as_listed=True))
    for label in listing.topics:
        out.append(Quad(p, SUBJECT, t.topic(label), g))
        out.extend(_topic_triples(label, t, g))
    for link in listing.links:
        out.extend(_link_triples(p, link, t, link.label, link.url, link.owner_label, g))
    return out


def display_name(spellings: Counter) -> str:
    """Most frequent spelling, preferring one with a space (a real name); ties alphabetical."""
    return min(spellings, key=lambda s: (" " not in s, -spellings[s], s))


def merged_triples(days: dict[str, list[Listing]], t: Terms) -> list[Quad]:
    """The merged default graph from every digest's listings."""
    g = DefaultGraph()
    by_paper: dict[str, list[Listing]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    hub_users: dict[str, set[str]] = defaultdict(set)
    first_label: dict[str, tuple[str, str]] = {}  # link key -> (label, url) first seen
    first_owner: dict[str, str] = {}
    topics_used: set[str] = set()
    for date in sorted(days):
        for listing in days[date]:
            by_paper[listing.arxiv_id].append(listing)
            for name, user in listing.authors:
                key = t.author_key(name)
                spellings[key][name] += 1
                if user:
                    hub_users[key].add(user)
            for link in listing.links:
                first_label.setdefault(link.key, (link.label, link.url))
                if link.owner_key:
                    first_owner.setdefault(link.owner_key, link.owner_label)
                elif link.kind == "agent":
                    first_owner.setdefault(link.key, link.label)
            topics_used.update(listing.topics)

    out: list[Quad] = []
    for date in sorted(days):
        out.extend(digest_triples(date, t, g))
    authors_used: set[str] = set()
    for pid, listings in by_paper.items():
        latest = listings[-1]
        summary = next((x.summary for x in reversed(listings) if x.summary), "")
        chosen = max(listings, key=lambda x: (len(x.authors), x.date))
        out.extend(_paper_core(latest, latest.title, summary, t, g))
        p = t.paper(pid)
        out.append(Quad(p, K["firstListed"], _date(listings[0].date), g))
        for x in listings:
            out.append(Quad(p, K["listedIn"], t.digest(x.date), g))
        out.extend(_authorship_triples(pid, chosen.authors, t, g, as_listed=False))
        authors_used.update(t.author_key(name) for name, _u in chosen.authors)
        seen_links: set[str] = set()
        for x in listings:
            for label in x.topics:
                out.append(Quad(p, SUBJECT, t.topic(label), g))
            for link in x.links:
                if link.key in seen_links:
                    continue
                seen_links.add(link.key)
                label, url = first_label[link.key]
                owner_label = first_owner.get(link.owner_key or link.key, link.owner_label)
                if link.kind == "agent":
                    label = owner_label
                    url = norm.iri_safe(("https://github.com/" if link.key.startswith("github/") else "https://huggingface.co/") + label)
                out.extend(_link_triples(p, link, t, label, url, owner_label, g))
    for key in authors_used:
        a = t.author(key)
        name = display_name(spellings[key])
        out += [Quad(a, A, K["Author"], g), Quad(a, LABEL, _lit(name), g), Quad(a, NAME, _lit(name), g)]
        out += [Quad(a, K["nameVariant"], _lit(v), g) for v in {*spellings[key], key}]
        out += [Quad(a, K["hubUsername"], _lit(u), g) for u in hub_users.get(key, ())]
    out.extend(scheme_triples(topics_used, t, g))
    return out


def scheme_triples(labels: Iterable[str], t: Terms, g) -> list[Quad]:
    """Concepts for the labels used, their categories, and the scheme node."""
    root = t.node("topics")
    out = [
        Quad(root, A, SCHEME, g),
        Quad(root, LABEL, _lit("Hugging Face task categories"), g),
        Quad(root, SOURCE, NamedNode(scheme.SOURCE), g),
    ]
    wanted = set(labels)
    wanted |= {scheme.broader(label) for label in labels if scheme.broader(label)}
    for label in wanted:
        node = t.topic(label)
        out.extend(_topic_triples(label, t, g))
        if not scheme.canonical(label)[1]:
            continue  # a label the scheme does not know: a concept outside it, with no broader one
        out.append(Quad(node, IN_SCHEME, root, g))
        if label in scheme.CATEGORIES:
            out.append(Quad(node, TOP_OF, root, g))
        elif scheme.broader(label):
            out.append(Quad(node, BROADER, t.topic(scheme.broader(label)), g))
    return out


def dataset_quads(days: dict[str, list[Listing]], t: Terms) -> Iterator[Quad]:
    """Every quad of the dataset: the merged default graph and one named graph per digest."""
    yield from merged_triples(days, t)
    for date in days:
        g = t.digest(date)
        yield from digest_triples(date, t, g)
        for listing in days[date]:
            yield from listing_triples(listing, t, g)


# --- reading listings back from a digest's named graph ---------------------------------


def listings_from_quads(quads: Iterable[Quad], t: Terms) -> dict[str, list[Listing]]:
    """The listings each digest's named graph holds (the inverse of :func:`listing_triples`)."""
    graphs: dict[str, dict] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for q in quads:
        if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(t.base + "digest/"):
            graphs[q.graph_name.value][q.subject.value][q.predicate.value].append(q.object)
    days: dict[str, list[Listing]] = {}
    typ, paper_cls = A.value, K["Paper"].value
    for gname, subjects in graphs.items():
        date = gname[len(t.base + "digest/") :]
        listings = []
        for s, props in subjects.items():
            if not any(o.value == paper_cls for o in props.get(typ, ())):
                continue
            ships = []
            for ship in props.get(K["authorship"].value, ()):
                sp = subjects.get(ship.value, {})
                pos = int(sp[K["position"].value][0].value)
                name = sp[K["nameAsListed"].value][0].value
                user = sp.get(K["hubUsername"].value, [None])[0]
                ships.append((pos, name, user.value if user is not None else None))
            urls = [subjects[o.value][K["url"].value][0].value for key in ("repository", "artifact") for o in props.get(K[key].value, ())]
            urls += [o.value for o in props.get(K["projectPage"].value, ())]
            urls += [subjects[o.value][PAGE.value][0].value for o in props.get(K["linkedAgent"].value, ())]
            links = {norm.classify_url(u) for u in urls}
            listings.append(
                Listing(
                    date=date,
                    arxiv_id=props[K["arxivId"].value][0].value,
                    title=props[TITLE.value][0].value,
                    summary=props[K["summary"].value][0].value if K["summary"].value in props else "",
                    authors=tuple((name, user) for _pos, name, user in sorted(ships)),
                    topics=tuple(sorted(subjects[o.value][PREF.value][0].value for o in props.get(SUBJECT.value, ()))),
                    links=tuple(sorted(x for x in links if isinstance(x, norm.Link))),
                )
            )
        days[date] = sorted(listings, key=lambda x: x.arxiv_id)
    return days
