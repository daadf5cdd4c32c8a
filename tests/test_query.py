"""Named queries (exact rows on a fixture graph), parameters bound as terms, kg query output."""

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import query as kq
from kg.build import build
from kg.cli import main
from kg.normalize import author_key

from .conftest import need_shared

FIX = Path(__file__).parent / "fixtures" / "queries"
ID = "https://w3id.org/paperkg/id/"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    out = tmp_path_factory.mktemp("qgraph")
    build([str(FIX)], out=out)
    return out


def select(graph_dir, query_name, **params):
    named = kq.get_named(query_name)
    result = kq.run(kq.kgstore.load(graph_dir), named.text, kq.bind(named.params, params), query_name)
    return [tuple(None if v is None else v.value.replace(ID, "") for v in row) for row in result]


EXPECTED = {
    ("papers-by-author", (("name", "ANN lee"),)): [
        ("annlee", "paper/2501.00104", "Delta", "1", "2025-01-13"),
        ("annlee", "paper/2501.00101", "Alpha", "1", "2025-01-06"),
        ("annlee", "paper/2501.00102", "Beta", "1", "2025-01-06"),
    ],
    ("coauthors", (("name", "Ann Lee"),)): [
        ("annlee", "author/bobstone", "Bob Stone", "2"),
        ("annlee", "author/carlx", "Carl X", "1"),
        ("annlee", "author/evemoss", "Eve Moss", "1"),
    ],
    ("top-coauthor-pairs", ()): [
        ("author/annlee", "Ann Lee", "author/bobstone", "Bob Stone", "2"),  # pairs sharing one paper: left out
    ],
    ("papers-in-topic", (("topic", "Computer Vision"),)): [
        ("Computer Vision", "paper/2501.00102", "Beta", "Computer Vision"),
        ("Computer Vision", "paper/2501.00102", "Beta", "Image Segmentation"),
        ("Computer Vision", "paper/2501.00103", "Gamma", "Computer Vision"),
    ],
    ("topics-of-author", (("name", "ann-lee"),)): [
        ("annlee", "topic/text-generation", "Text Generation", "2"),
        ("annlee", "topic/computer-vision", "Computer Vision", "1"),
        ("annlee", "topic/image-segmentation", "Image Segmentation", "1"),
        ("annlee", "topic/natural-language-processing", "Natural Language Processing", "1"),
    ],
    ("active-authors-in-topic", (("topic", "Natural Language Processing"),)): [
        ("Natural Language Processing", "author/annlee", "Ann Lee", "2"),
        ("Natural Language Processing", "author/bobstone", "Bob Stone", "1"),
        ("Natural Language Processing", "author/carlx", "Carl X", "1"),
        ("Natural Language Processing", "author/evemoss", "Eve Moss", "1"),
    ],
    ("repositories", ()): [
        ("repo/github/org1/alpha", "Org1/Alpha", "Org1", "https://github.com/Org1/Alpha", "1", "2501.00101"),
        ("repo/github/dee/gamma", "dee/gamma", "dee", "https://github.com/dee/gamma", "1", "2501.00103"),
    ],
    ("owners-by-papers", ()): [
        ("hf/org1", "Org1", "2", "2"),
        ("github/org1", "Org1", "1", "1"),
        ("github/dee", "dee", "1", "1"),
    ],
    ("papers-with-artifacts", ()): [
        ("paper/2501.00101", "Alpha", "model", "hf/model/org1/alpha-7b", "https://huggingface.co/Org1/alpha-7b"),
        ("paper/2501.00102", "Beta", "dataset", "hf/dataset/org1/beta-data", "https://huggingface.co/datasets/Org1/beta-data"),
    ],
    ("papers-without-code", ()): [
        ("paper/2501.00104", "Delta", "2025-01-13"),
        ("paper/2501.00102", "Beta", "2025-01-06"),
    ],
    ("papers-between", (("from", "2025-01-10"), ("to", "2025-01-31"))): [
        ("2025-01-10", "2025-01-31", "2025-01-13", "paper/2501.00101", "Alpha"),
        ("2025-01-10", "2025-01-31", "2025-01-13", "paper/2501.00104", "Delta"),
    ],
    ("topic-counts-per-week", ()): [
        ("2025-W02", "topic/computer-vision", "Computer Vision", "2"),
        ("2025-W02", "topic/image-segmentation", "Image Segmentation", "1"),
        ("2025-W02", "topic/natural-language-processing", "Natural Language Processing", "1"),
        ("2025-W02", "topic/text-generation", "Text Generation", "1"),
        ("2025-W03", "topic/text-generation", "Text Generation", "2"),
        ("2025-W03", "topic/natural-language-processing", "Natural Language Processing", "1"),
    ],
    ("authors-by-papers", ()): [
        ("author/annlee", "Ann Lee", "3", "3"),
        ("author/bobstone", "Bob Stone", "2", "2"),
        ("author/carlx", "Carl X", "1", "3"),
        ("author/deefox", "Dee Fox", "1", "2"),
        ("author/evemoss", "Eve Moss", "1", "2"),
    ],
    ("name-variants", (("name", "Carl-X"),)): [
        ("carlx", "author/carlx", "Carl X", "Carl X", None),
        ("carlx", "author/carlx", "Carl X", "carl-x", None),
        ("carlx", "author/carlx", "Carl X", "carlx", None),
    ],
    ("digests", ()): [
        ("digest/2025-01-13", "2025-01-13", "2025-W03", "2"),
        ("digest/2025-01-06", "2025-01-06", "2025-W02", "3"),
    ],
    ("topics", ()): [
        ("topic/computer-vision", "Computer Vision", None, "2"),
        ("topic/text-generation", "Text Generation", "Natural Language Processing", "2"),
        ("topic/image-segmentation", "Image Segmentation", "Computer Vision", "1"),
        ("topic/natural-language-processing", "Natural Language Processing", None, "1"),
    ],
}


@pytest.mark.parametrize("name, params", list(EXPECTED), ids=[k[0] for k in EXPECTED])
def test_named_query_rows(graph, name, params):
    assert select(graph, name, **dict(params)) == EXPECTED[(name, params)]


def test_every_named_query_is_tested_and_documented():
    queries = kq.named_queries()
    assert len(queries) >= 15
    assert set(queries) == {name for name, _ in EXPECTED} | {"paper"}
    for q in queries.values():
        assert q.description and q.example.startswith(f"kg query {q.name}"), q.name
        for p in q.params:
            assert p.help and f"{p.name}=" in q.example, (q.name, p.name)


def test_paper_construct_holds_everything_about_one_paper(graph):
    named = kq.get_named("paper")
    triples = list(kq.run(kq.kgstore.load(graph), named.text, kq.bind(named.params, {"id": "2501.00103"})))
    got = {(t.subject.value.replace(ID, ""), t.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], t.object.value.replace(ID, "")) for t in triples}
    p = "paper/2501.00103"
    assert {(p, "title", "Gamma"), (p, "creator", "author/deefox"), (p, "subject", "topic/computer-vision"),
            (p, "repository", "repo/github/dee/gamma"), (p, "listedIn", "digest/2025-01-06"),
            (p + "/authorship/1", "position", "1"), (p + "/authorship/1", "nameAsListed", "Dee Fox"),
            ("author/deefox", "label", "Dee Fox"), ("topic/computer-vision", "label", "Computer Vision"),
            ("repo/github/dee/gamma", "url", "https://github.com/dee/gamma")} <= got
    assert {s for s, _, _ in got} == {p, p + "/authorship/1", "author/deefox", "topic/computer-vision",
                                       "repo/github/dee/gamma", "digest/2025-01-06"}


HOSTILE = ['x" } ; DROP ALL ; { "', "a'b\"c{d}#e\nf", "}}} UNION { ?s ?p ?o } #", "\\\" . ?x ?y ?z"]


@pytest.mark.parametrize("value", HOSTILE)
def test_injection_values_neither_break_nor_change_the_query(graph, value):
    assert select(graph, "papers-in-topic", topic=value) == []
    assert select(graph, "papers-between", **{"from": "2025-01-01", "to": "2025-12-31"})  # still there
    # names are bound through the author key: quotes and braces drop out and the name still matches
    assert [r[1] for r in select(graph, "papers-by-author", name='Ann "Lee"} #')] == [
        "paper/2501.00104", "paper/2501.00101", "paper/2501.00102"]


def test_parameter_errors(graph):
    named = kq.get_named("papers-between")
    with pytest.raises(kq.QueryError, match="missing parameter: --param to="):
        kq.bind(named.params, {"from": "2025-01-01"})
    with pytest.raises(kq.QueryError, match="not a date"):
        kq.bind(named.params, {"from": "yesterday", "to": "2025-01-01"})
    with pytest.raises(kq.QueryError, match=r"unknown parameter nme \(this query takes: from, to\)"):
        kq.bind(named.params, {"from": "2025-01-01", "to": "2025-01-02", "nme": "x"})
    with pytest.raises(kq.QueryError, match="did you mean coauthors"):
        kq.get_named("coauthor")


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_table_output(graph):
    r = run("query", "coauthors", "--param", "name=Ann Lee", "--graph", str(graph))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "name    coauthor         coauthorName  shared",
        "------  ---------------  ------------  ------",
        "annlee  author/bobstone  Bob Stone     2",
        "annlee  author/carlx     Carl X        1",
        "annlee  author/evemoss   Eve Moss      1",
        "3 rows",
    ]


def test_cli_csv_tsv_json_and_ask_and_construct(graph):
    csv = run("query", "digests", "-g", str(graph), "--format", "csv").stdout
    assert csv.splitlines()[0] == "digest,date,week,papers"
    assert csv.splitlines()[1] == f"{ID}digest/2025-01-13,2025-01-13,2025-W03,2"
    tsv = run("query", "digests", "-g", str(graph), "--format", "tsv").stdout
    assert tsv.splitlines()[0] == "?digest\t?date\t?week\t?papers"
    data = json.loads(run("query", "digests", "-g", str(graph), "--format", "json").stdout)
    assert data["head"]["vars"] == ["digest", "date", "week", "papers"] and len(data["results"]["bindings"]) == 2
    assert run("query", "-e", "ASK { ?p kg:arxivId \"2501.00101\" }", "-g", str(graph)).stdout == "true\n"
    ttl = run("query", "paper", "-p", "id=2501.00103", "-g", str(graph), "--format", "ttl").stdout
    assert "@prefix kg: <https://w3id.org/paperkg/ontology#> ." in ttl and '"Gamma"' in ttl
    bad = run("query", "digests", "-g", str(graph), "--format", "nt")
    assert bad.exit_code == 1 and "cannot be written as nt" in bad.stderr


def test_cli_query_file_with_declared_parameter(graph, tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("# Papers with a title.\n# param: title string  the title\nSELECT ?title ?p WHERE { ?p dcterms:title ?title }\n")
    r = run("query", "-f", str(rq), "-p", "title=Gamma", "-g", str(graph), "--format", "csv")
    assert r.stdout.splitlines() == ["title,p", f"Gamma,{ID}paper/2501.00103"]


def test_cli_errors(graph, tmp_path):
    r = run("query", "-e", "SELECT ?x WHERE {\n  ?x a kg:Paper\n  ?y }", "-g", str(graph))
    assert r.exit_code == 1 and r.stderr.startswith("Error: query:3:7: syntax error:")
    r = run("query", "coauthor", "-g", str(graph))
    assert r.exit_code == 1 and "did you mean coauthors" in r.stderr
    r = run("query", "coauthors", "-g", str(graph))
    assert r.exit_code == 1 and "missing parameter: --param name=" in r.stderr
    r = run("query", "digests", "-g", str(tmp_path / "nope.ttl"))
    assert r.exit_code == 1 and "no such graph file" in r.stderr
    assert run("query", "-g", str(graph)).exit_code == 2
    assert run("query", "digests", "-e", "ASK {}").exit_code == 2
    assert run("query", "digests", "-p", "novalue").exit_code == 2


def test_queries_lists_every_named_query():
    out = run("queries").stdout
    assert [line.split()[0] for line in out.splitlines() if not line.startswith(" ")] == list(kq.named_queries())


def test_coauthors_of_the_most_prolific_dev_author_match_plain_python(tmp_path):
    shared = need_shared()
    month = shared / "dev" / "timlrx"
    from kg import readers
    from kg.records import Record

    authors: dict[str, set[str]] = defaultdict(set)
    for path in readers.expand_inputs([str(month)]):
        for event in readers.read_digest(path):
            if isinstance(event, Record):
                authors[event.arxiv_id] |= {author_key(a) for a in event.authors}
    papers = Counter(key for keys in authors.values() for key in keys)
    top, count = min(papers.items(), key=lambda kv: (-kv[1], kv[0]))
    expected = Counter(other for keys in authors.values() if top in keys for other in keys if other != top)

    build([str(month)], out=tmp_path)
    rows = select(tmp_path, "coauthors", name=top)
    assert {r[1].replace("author/", ""): int(r[3]) for r in rows} == dict(expected)
    assert len(select(tmp_path, "papers-by-author", name=top)) == count

    # the whole-graph rankings, cut at 100 with ties at the cut going by author key
    pairs = Counter((a, b) for keys in authors.values() for a in keys for b in keys if a < b)
    repeated = sorted(((-n, a, b) for (a, b), n in pairs.items() if n > 1))[:100]
    assert len(repeated) > 10
    got = {(r[0].replace("author/", ""), r[2].replace("author/", ""), int(r[4])) for r in select(tmp_path, "top-coauthor-pairs")}
    assert got == {(a, b, -n) for n, a, b in repeated}
    most = sorted((-n, key) for key, n in papers.items())[:100]
    got = {(r[0].replace("author/", ""), int(r[2])) for r in select(tmp_path, "authors-by-papers")}
    assert got == {(key, -n) for n, key in most}


@pytest.mark.parametrize("text, named", [
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * from <https://w3id.org/paperkg/id/digest/2025-02-04> where { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <x> WHERE { ?s ?p ?o }", True),
    ("SELECT * { ?a ?b ?c FILTER(?a<?b) graph ?g { } }", True),
    ("SELECT ?from WHERE { ?s rdfs:label 'graph from' } # GRAPH", False),
    ("SELECT * WHERE { ?s <http://example.org/GRAPH> ?o }", False),
    ('SELECT * WHERE { ?s ?p """a \\" GRAPH""" }', False),
    ("SELECT $graph WHERE { ?s ?p $graph }", False),
])
def test_which_queries_read_the_digest_graphs(text, named):
    assert kq.needs_named_graphs(text) is named


def test_named_queries_read_the_merged_graph_alone():
    """So kg query loads graph.nt for them (a query that needs the digests' graphs: graph.trig)."""
    assert not any(kq.needs_named_graphs(q.text) for q in kq.named_queries().values())
