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
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from pyoxigraph import NamedNode, Quad
from rdflib import DCTERMS, FOAF, RDFS, SKOS, XSD

from . import normalize as norm
from . import topics as scheme
from .rdftext import TYPE, Block, Statement, iri, lang, lit, ordered, typed
from .records import Record
from .vocab import ARTIFACT_CLASSES, KG

ARTIFACT_KINDS = tuple(ARTIFACT_CLASSES)


A = TYPE
LABEL = str(RDFS.label)
TITLE = str(DCTERMS.title)
CREATOR = str(DCTERMS.creator)
SUBJECT = str(DCTERMS.subject)
DATE = str(DCTERMS.date)
SOURCE = str(DCTERMS.source)
PAGE = str(FOAF.page)
NAME = str(FOAF.name)
NICK = str(FOAF.nick)
AGENT = iri(str(FOAF.Agent))
DOCUMENT = iri(str(FOAF.Document))
CONCEPT = iri(str(SKOS.Concept))
SCHEME = iri(str(SKOS.ConceptScheme))
PREF = str(SKOS.prefLabel)
IN_SCHEME = str(SKOS.inScheme)
TOP_OF = str(SKOS.topConceptOf)
BROADER = str(SKOS.broader)
XSD_DATE = str(XSD.date)
XSD_INT = str(XSD.integer)
#: The vocabulary's own terms as IRI strings (``K["Paper"]``).
K = {name: str(getattr(KG, name)) for name in KG.__annotations__}
ARTIFACT_TYPES = {kind: iri(str(cls)) for kind, cls in ARTIFACT_CLASSES.items()}


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
        _example(self.junk_examples, kind, value)


def _example(examples: dict, kind: str, value: str) -> None:
    """Keep the smallest value as the example: the same whatever order the files come in."""
    if kind not in examples or value < examples[kind]:
        examples[kind] = value


def link_family(link: norm.Link) -> str:
    """``github``, ``huggingface`` or ``page``: where a classified link points."""
    if link.kind == "repository" or link.key.startswith("github/"):
        return "github"
    if link.kind in ARTIFACT_KINDS or link.key.startswith("hf/"):
        return "huggingface"
    return "page"


@functools.lru_cache(maxsize=1 << 16)
def _valid_iri(value: str) -> bool:
    """Whether pyoxigraph takes ``value`` as an IRI (the exports are written as text)."""
    try:
        NamedNode(value)
    except ValueError:
        return False
    return True


def classify_links(record: Record, stats: MappingStats) -> list[norm.Link]:
    out = []
    for column, value in record.links:
        link = norm.classify_url(value)
        if isinstance(link, norm.Link) and not _valid_iri(link.url):
            link = norm.Junk("not-a-url", value)  # never reached by a URL classify_url made; a last guard
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
            _example(stats.reclassified_examples, kind, value)
        out.append(link)
    return out


def _fullness(rec: Record) -> tuple:
    return len(rec.authors), len(rec.summary), rec.summary, rec.title


class ListingFolder:
    """Records in, listings out, one record at a time: a paper's records of one day (say the
    markdown row and the JSON record) are folded into one listing as they come, so a build
    holds one record per paper and day, not every record it read.

    Title, authors and summary come from the fullest record (most authors, then the longest
    summary, then text order, so the choice does not depend on file order); topics and links
    are the union.
    """

    def __init__(self, stats: MappingStats):
        self.stats = stats
        self.groups: dict[tuple[str, str], tuple[Record, set[str], set[norm.Link]]] = {}

    def add(self, rec: Record) -> None:
        if not rec.authors:
            self.stats.no_authors.append((rec.source, rec.line, rec.arxiv_id))
        topics = set()
        for raw in rec.topics:
            label, known = scheme.canonical(raw)
            if not known:
                self.stats.unknown_topics[label] += 1
            topics.add(label)
        links = classify_links(rec, self.stats)
        key = (rec.date, rec.arxiv_id)
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = (rec, topics, set(links))
            return
        main, topic_set, link_set = group
        topic_set |= topics
        link_set.update(links)
        if _fullness(rec) > _fullness(main):
            self.groups[key] = (rec, topic_set, link_set)

    def days(self) -> dict[str, list[Listing]]:
        """Listings by digest date, each day's sorted by arXiv id."""
        days: dict[str, list[Listing]] = defaultdict(list)
        for (date, _pid), (main, topics, links) in sorted(self.groups.items(), key=lambda kv: kv[0]):
            users = main.hub_users or (None,) * len(main.authors)
            authors = []
            for name, user in zip(main.authors, users):
                if norm.author_key(name):
                    authors.append((name, user))
                else:
                    self.stats.drop("author-name-without-letters", name)
            days[date].append(Listing(date=main.date, arxiv_id=main.arxiv_id, title=main.title, summary=main.summary,
                                      authors=tuple(authors), topics=tuple(sorted(topics)), links=tuple(sorted(links))))
        return dict(days)


# --- RDF -------------------------------------------------------------------------------


class Terms:
    """Data IRIs under a base (default ``https://w3id.org/paperkg/id/``), and the author keys
    (the rule in :func:`kg.normalize.author_key`, overridden by ``aliases``: a spelling, or a
    key, mapped to the key it should have: merging two people, or splitting one).

    IRIs are plain strings; the ones computed again and again (author keys, topics) are
    remembered.
    """

    def __init__(self, base: str, aliases: dict[str, str] | None = None):
        NamedNode(base)  # a bad base fails here, not in a parser later
        self.base = base
        self.aliases = dict(aliases or {})
        self._keys: dict[str, str] = {}
        self._topics: dict[str, str] = {}
        self._papers: dict[str, str] = {}

    def author_key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = norm.author_key(name)
            key = self._keys[name] = self.aliases.get(name) or self.aliases.get(key) or key
        return key

    def node(self, path: str) -> str:
        return self.base + path

    def paper(self, pid: str) -> str:
        node = self._papers.get(pid)
        if node is None:
            node = self._papers[pid] = self.base + "paper/" + norm.iri_safe(pid)
        return node

    def authorship(self, pid: str, position: int) -> str:
        return f"{self.paper(pid)}/authorship/{position}"

    def author(self, key: str) -> str:
        return self.base + "author/" + norm.iri_safe(key)

    def topic(self, label: str) -> str:
        node = self._topics.get(label)
        if node is None:
            node = self._topics[label] = self.base + "topic/" + norm.slug(label)
        return node

    def digest(self, date: str) -> str:
        return self.base + "digest/" + date

    def link(self, link: norm.Link) -> str:
        return link.url if link.kind == "page" else self.base + link.key


def iso_week(date: str) -> str:
    """``2025-02-04`` -> ``2025-W06`` (ISO 8601 week; SPARQL 1.1 has no week arithmetic)."""
    year, week, _day = datetime.date.fromisoformat(date).isocalendar()
    return f"{year}-W{week:02d}"


class Subjects(dict):
    """Statements collected by subject (for graphs made from many places)."""

    def add(self, s: str, p: str, o: str) -> None:
        stmts = self.get(s)
        if stmts is None:
            stmts = self[s] = set()
        stmts.add((p, o))

    def blocks(self) -> Iterator[Block]:
        for s in sorted(self):
            yield s, ordered(self[s])


def digest_statements(date: str) -> list[Statement]:
    return [(A, iri(K["Digest"])), (LABEL, lit(date)), (DATE, typed(date, XSD_DATE)), (K["week"], lit(iso_week(date)))]


def _link_edge(link: norm.Link, t: Terms) -> Statement:
    """The paper's statement pointing at a link."""
    if link.kind == "page":
        return K["projectPage"], iri(link.url)
    if link.kind == "agent":
        return K["linkedAgent"], iri(t.link(link))
    return (K["repository"] if link.kind == "repository" else K["artifact"]), iri(t.link(link))


def _link_node(add, link: norm.Link, t: Terms, label: str, url: str, owner_label: str) -> None:
    """What the graph says about a linked repository, artefact, page or Hub/GitHub agent."""
    node = t.link(link)
    if link.kind == "page":
        add(node, A, DOCUMENT)
        add(node, LABEL, lit(link.url))
        return
    if link.kind == "agent":
        _agent(add, node, label, url)
        return
    add(node, A, iri(K["Repository"]) if link.kind == "repository" else ARTIFACT_TYPES[link.kind])
    add(node, LABEL, lit(label))
    add(node, K["url"], iri(url))
    owner = t.node(link.owner_key)
    add(node, K["owner"], iri(owner))
    host = "https://github.com/" if link.kind == "repository" else "https://huggingface.co/"
    _agent(add, owner, owner_label, norm.iri_safe(host + owner_label))


def _agent(add, node: str, label: str, url: str) -> None:
    add(node, A, AGENT)
    add(node, LABEL, lit(label))
    add(node, NICK, lit(label))
    add(node, PAGE, iri(url))


def _topic(add, label: str, t: Terms) -> None:
    node = t.topic(label)
    add(node, A, CONCEPT)
    add(node, LABEL, lit(label))
    add(node, PREF, lang(label, "en"))


def _paper_core(out: list, listing: Listing, title: str, summary: str) -> None:
    out += [(A, iri(K["Paper"])), (LABEL, lit(title)), (TITLE, lit(title)), (K["arxivId"], lit(listing.arxiv_id)),
            (PAGE, iri("https://arxiv.org/abs/" + norm.iri_safe(listing.arxiv_id)))]
    if summary:
        out.append((K["summary"], lang(summary, "en")))


def _authorship(name: str, user: str | None, pos: int, author: str) -> list[Statement]:
    out = [(A, iri(K["Authorship"])), (LABEL, lit(f"{name} ({pos})")), (K["author"], iri(author)),
           (K["position"], typed(str(pos), XSD_INT)), (K["nameAsListed"], lit(name))]
    if user:
        out.append((K["hubUsername"], lit(user)))
    return out


def listing_statements(listing: Listing, t: Terms, add) -> None:
    """The named-graph content for one listing: exactly what the digest said."""
    p = t.paper(listing.arxiv_id)
    own: list[Statement] = []
    _paper_core(own, listing, listing.title, listing.summary)
    own.append((K["listedIn"], iri(t.digest(listing.date))))
    for pos, (name, user) in enumerate(listing.authors, 1):
        a, s = t.author(t.author_key(name)), t.authorship(listing.arxiv_id, pos)
        own += [(CREATOR, iri(a)), (K["authorship"], iri(s))]
        for st in _authorship(name, user, pos, a):
            add(s, *st)
        add(a, A, iri(K["Author"]))  # the author as this digest spelled them
        add(a, LABEL, lit(name))
        add(a, K["nameVariant"], lit(name))
        if user:
            add(a, K["hubUsername"], lit(user))
    for label in listing.topics:
        own.append((SUBJECT, iri(t.topic(label))))
        _topic(add, label, t)
    for link in listing.links:
        own.append(_link_edge(link, t))
        _link_node(add, link, t, link.label, link.url, link.owner_label)
    for st in own:
        add(p, *st)


def digest_blocks(date: str, listings: list[Listing], t: Terms) -> Iterator[Block]:
    """A digest's named graph, block by block in export order."""
    graph = Subjects()
    d = t.digest(date)
    for st in digest_statements(date):
        graph.add(d, *st)
    for listing in listings:
        listing_statements(listing, t, graph.add)
    return graph.blocks()


def display_name(spellings: Counter) -> str:
    """Most frequent spelling, preferring one with a space (a real name); ties alphabetical."""
    return min(spellings, key=lambda s: (" " not in s, -spellings[s], s))


@dataclass
class MergedIndex:
    """What the merged graph is made from, gathered over every digest in date order."""

    by_paper: dict[str, list[Listing]] = field(default_factory=lambda: defaultdict(list))
    spellings: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    hub_users: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    first_label: dict[str, tuple[str, str]] = field(default_factory=dict)  # link key -> (label, url) first seen
    first_owner: dict[str, str] = field(default_factory=dict)
    topics_used: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, days: dict[str, list[Listing]], t: Terms) -> MergedIndex:
        ix = cls()
        for date in sorted(days):
            for listing in days[date]:
                ix.by_paper[listing.arxiv_id].append(listing)
                for name, user in listing.authors:
                    key = t.author_key(name)
                    ix.spellings[key][name] += 1
                    if user:
                        ix.hub_users[key].add(user)
                for link in listing.links:
                    ix.first_label.setdefault(link.key, (link.label, link.url))
                    if link.owner_key:
                        ix.first_owner.setdefault(link.owner_key, link.owner_label)
                    elif link.kind == "agent":
                        ix.first_owner.setdefault(link.key, link.label)
                ix.topics_used.update(listing.topics)
        return ix

    @staticmethod
    def chosen(listings: list[Listing]) -> Listing:
        """The listing whose author list the merged graph keeps: the longest, then the latest."""
        return max(listings, key=lambda x: (len(x.authors), x.date))


def merged_blocks(days: dict[str, list[Listing]], t: Terms, ix: MergedIndex | None = None) -> Iterator[Block]:
    """The merged default graph from every digest's listings, block by block in export order.

    Papers, their authorships and the authors (almost all of the graph) are made when their
    turn comes; only what many papers share (repositories, artefacts, owners, pages, topics,
    digests) is collected first.
    """
    ix = ix or MergedIndex.of(days, t)
    by_paper, spellings, hub_users = ix.by_paper, ix.spellings, ix.hub_users
    first_label, first_owner = ix.first_label, ix.first_owner

    shared = Subjects()
    for date in days:
        for st in digest_statements(date):
            shared.add(t.digest(date), *st)
    scheme_statements(ix.topics_used, t, shared.add)
    # (subject, kind, what to make it from); kinds: 0 shared, 1 paper, 2 authorship, 3 author
    recipes: list[tuple[str, int, object]] = []
    authors_used: set[str] = set()
    for pid, listings in by_paper.items():
        seen: set[str] = set()
        for x in listings:
            for link in x.links:
                if link.key in seen:
                    continue
                seen.add(link.key)
                label, url = first_label[link.key]
                owner_label = first_owner.get(link.owner_key or link.key, link.owner_label)
                if link.kind == "agent":
                    label = owner_label
                    url = norm.iri_safe(("https://github.com/" if link.key.startswith("github/") else "https://huggingface.co/") + label)
                _link_node(shared.add, link, t, label, url, owner_label)
        chosen = ix.chosen(listings)
        recipes.append((t.paper(pid), 1, (pid, chosen)))
        for pos, (name, user) in enumerate(chosen.authors, 1):
            key = t.author_key(name)
            authors_used.add(key)
            recipes.append((t.authorship(pid, pos), 2, (name, user, pos, key)))
    recipes += [(t.author(key), 3, key) for key in authors_used]
    recipes += [(s, 0, s) for s in shared]
    recipes.sort(key=lambda r: r[0])

    def paper(pid: str, chosen: Listing) -> list[Statement]:
        listings = by_paper[pid]
        latest = listings[-1]
        summary = next((x.summary for x in reversed(listings) if x.summary), "")
        out: list[Statement] = []
        _paper_core(out, latest, latest.title, summary)
        out.append((K["firstListed"], typed(listings[0].date, XSD_DATE)))
        out += [(K["listedIn"], iri(t.digest(x.date))) for x in listings]
        for pos, (name, _user) in enumerate(chosen.authors, 1):
            out += [(CREATOR, iri(t.author(t.author_key(name)))), (K["authorship"], iri(t.authorship(pid, pos)))]
        for x in listings:
            out += [(SUBJECT, iri(t.topic(label))) for label in x.topics]
            out += [_link_edge(link, t) for link in x.links]
        return out

    def author(key: str) -> list[Statement]:
        name = display_name(spellings[key])
        out = [(A, iri(K["Author"])), (LABEL, lit(name)), (NAME, lit(name))]
        out += [(K["nameVariant"], lit(v)) for v in {*spellings[key], key}]
        out += [(K["hubUsername"], lit(u)) for u in hub_users.get(key, ())]
        return out

    def make(kind: int, arg) -> list[Statement] | set[Statement]:
        if kind == 0:
            return shared[arg]
        if kind == 1:
            return paper(*arg)
        if kind == 2:
            name, user, pos, key = arg
            return _authorship(name, user, pos, t.author(key))
        return author(arg)

    i = 0
    while i < len(recipes):
        subject, kind, arg = recipes[i]
        stmts = make(kind, arg)
        i += 1
        if i < len(recipes) and recipes[i][0] == subject:  # one IRI made in two ways (a page IRI under the base)
            stmts = set(stmts)
            while i < len(recipes) and recipes[i][0] == subject:
                stmts.update(make(*recipes[i][1:]))
                i += 1
        yield subject, ordered(stmts)


def scheme_statements(labels: Iterable[str], t: Terms, add) -> None:
    """Concepts for the labels used, their categories, and the scheme node."""
    root = t.node("topics")
    add(root, A, SCHEME)
    add(root, LABEL, lit("Hugging Face task categories"))
    add(root, SOURCE, iri(scheme.SOURCE))
    wanted = set(labels)
    wanted |= {scheme.broader(label) for label in labels if scheme.broader(label)}
    for label in wanted:
        node = t.topic(label)
        _topic(add, label, t)
        if not scheme.canonical(label)[1]:
            continue  # a label the scheme does not know: a concept outside it, with no broader one
        add(node, IN_SCHEME, iri(root))
        if label in scheme.CATEGORIES:
            add(node, TOP_OF, iri(root))
        elif scheme.broader(label):
            add(node, BROADER, iri(t.topic(scheme.broader(label))))


def dataset_blocks(days: dict[str, list[Listing]], t: Terms, ix: MergedIndex | None = None,
                   ) -> Iterator[tuple[str | None, str, list[Statement]]]:
    """The whole dataset in export order as ``(graph, subject, statements)``: the merged default
    graph (graph ``None``) first, then one named graph per digest, by date."""
    for subject, stmts in merged_blocks(days, t, ix):
        yield None, subject, stmts
    for date in sorted(days):
        g = t.digest(date)
        for subject, stmts in digest_blocks(date, days[date], t):
            yield g, subject, stmts


# --- reading listings back from a digest's named graph ---------------------------------


class Interleaved(Exception):
    """A digest's graph came back after another graph had started (see :func:`listings_from_quads`)."""


def listings_from_quads(quads: Iterable[Quad], t: Terms, contiguous: bool = False) -> dict[str, list[Listing]]:
    """The listings each digest's named graph holds (the inverse of :func:`listing_statements`).

    ``quads`` may be a stream (``pyoxigraph.parse``): only the digests' graphs are kept.  With
    ``contiguous`` (each graph in one run, as in the TriG a build writes) a graph is turned into
    listings as soon as the next one starts, so reading back a big graph takes the memory of one
    day; a graph that comes back raises :class:`Interleaved` (read it again without).
    """
    prefix = t.base + "digest/"
    graphs: dict[str, dict] = {}
    days: dict[str, list[Listing]] = {}
    current: str | None = None
    for q in quads:
        g = q.graph_name
        if not isinstance(g, NamedNode) or not g.value.startswith(prefix):
            continue
        name = g.value
        if name != current:
            if contiguous and current is not None:
                days[current[len(prefix):]] = _graph_listings(current[len(prefix):], graphs.pop(current))
            if contiguous and name[len(prefix):] in days:
                raise Interleaved(name)
            current = name
        subjects = graphs.get(name)
        if subjects is None:
            subjects = graphs[name] = defaultdict(lambda: defaultdict(list))
        subjects[q.subject.value][q.predicate.value].append(q.object.value)
    for name, subjects in graphs.items():
        days[name[len(prefix):]] = _graph_listings(name[len(prefix):], subjects)
    return days


def _graph_listings(date: str, subjects: dict) -> list[Listing]:
    """The listings of one digest's graph, given as ``{subject: {predicate: [object values]}}``."""
    listings = []
    for props in subjects.values():
        if K["Paper"] not in props.get(A, ()):
            continue
        ships = []
        for ship in props.get(K["authorship"], ()):
            sp = subjects.get(ship, {})
            user = sp.get(K["hubUsername"], [None])[0]
            ships.append((int(sp[K["position"]][0]), sp[K["nameAsListed"]][0], user))
        urls = [subjects[o][K["url"]][0] for key in ("repository", "artifact") for o in props.get(K[key], ())]
        urls += props.get(K["projectPage"], [])
        urls += [subjects[o][PAGE][0] for o in props.get(K["linkedAgent"], ())]
        links = {norm.classify_url(u) for u in urls}
        listings.append(
            Listing(
                date=date,
                arxiv_id=props[K["arxivId"]][0],
                title=props[TITLE][0],
                summary=props[K["summary"]][0] if K["summary"] in props else "",
                authors=tuple((name, user) for _pos, name, user in sorted(ships)),
                topics=tuple(sorted(subjects[o][PREF][0] for o in props.get(SUBJECT, ()))),
                links=tuple(sorted(x for x in links if isinstance(x, norm.Link))),
            )
        )
    return sorted(listings, key=lambda x: x.arxiv_id)
