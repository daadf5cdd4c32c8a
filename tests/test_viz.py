"""HTML views in real headless Chromium (Debian's chromium driven by Playwright).

Each view loads with no console error and no network request, holds every node of its graph,
and its search, legend, filters, details panel and PNG button work; hostile digests run nothing.
"""

import json
import os
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.viz import MAX_NODES, view_graph, write_view, write_views
from kg.viz.render import trim

from .conftest import IN_CI

FIX = Path(__file__).parent / "fixtures"
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    missing = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("the playwright package")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing.append(f"chromium at {CHROMIUM}")
    if missing:
        if IN_CI:
            pytest.fail(f"browser tests need {' and '.join(missing)} (.ci/run installs them)")
        pytest.skip(f"no {' and '.join(missing)}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"), args=ARGS)
        yield b
        b.close()


class Page:
    """A loaded view with what it logged and requested."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        self.errors, self.requests, self.dialogs = [], [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url) if not r.url.startswith("file:") else None)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", timeout=60_000)

    def js(self, expression):
        return self.page.evaluate(expression)

    def click_node(self, node_id):
        box = self.page.locator("#graph canvas").bounding_box()
        pos = self.js(f"""(() => {{ const p = window.kgNetwork.getPosition({node_id!r});
                          return window.kgNetwork.canvasToDOM(p); }})()""")
        self.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("views")
    result = build([str(FIX / "queries")], out=out, views=True)
    return out, result.store


@pytest.mark.parametrize("view", ["graph", "coauthors", "topics"])
def test_view_loads_offline_with_every_node(browser, built, view):
    out, store = built
    page = Page(browser, out / f"{view}.html")
    assert page.errors == [] and page.requests == [] and page.dialogs == []
    assert page.js("window.kgNodes.length") == view_graph(store, view).number_of_nodes()
    assert page.js("document.querySelectorAll('#legend .legend-item').length") >= 2
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(("graph.", "report", "quality"))) == [
        "coauthors.html", "topics.html"]  # nothing written beside the views


def test_search_focuses_a_node_and_highlights_its_neighbours(browser, built):
    page = Page(browser, built[0] / "coauthors.html")
    page.page.fill("#search", "ann lee")
    page.page.press("#search", "Enter")
    assert page.page.text_content("#search-result") == "found Ann Lee (3 neighbours)"
    selected = set(page.js("window.kgNetwork.getSelectedNodes()"))
    ID = "https://w3id.org/paperkg/id/author/"
    assert selected == {ID + "annlee", ID + "bobstone", ID + "carlx", ID + "evemoss"}
    page.page.fill("#search", "no such person")
    page.page.press("#search", "Enter")
    assert page.page.text_content("#search-result") == "no node matches"


def test_filters_hide_and_show(browser, built):
    page = Page(browser, built[0] / "graph.html")
    total = page.js("window.kgView.length")
    papers = page.js("window.kgNodes.get().filter(n => n.kind === 'paper').length")
    page.page.uncheck("input[data-kind=paper]")
    assert page.js("window.kgView.length") == total - papers
    page.page.check("input[data-kind=paper]")
    assert page.js("window.kgView.length") == total
    page.page.select_option("#topic-filter", "Computer Vision")
    shown = page.js("window.kgView.get().map(n => n.label)")
    assert "Gamma" in shown and "Delta" not in shown and 0 < len(shown) < total
    page.page.select_option("#topic-filter", "")
    assert page.js("window.kgView.length") == total


def test_details_panel_and_links(browser, built):
    page = Page(browser, built[0] / "graph.html")
    page.click_node("https://w3id.org/paperkg/id/paper/2501.00101")
    text = page.page.text_content("#details")
    assert "Alpha" in text and "Ann Lee, Bob Stone, Carl X" in text and "2025-01-06" in text
    hrefs = page.js("[...document.querySelectorAll('#details a')].map(a => a.href)")
    assert "https://arxiv.org/abs/2501.00101" in hrefs and "https://github.com/Org1/Alpha" in hrefs
    assert "https://huggingface.co/Org1/alpha-7b" in hrefs


def test_colour_switch_and_png(browser, built, tmp_path):
    page = Page(browser, built[0] / "graph.html")
    page.page.select_option("#color-by", "cluster")
    assert "cluster" in page.page.text_content("#legend")
    with page.page.expect_download() as info:
        page.page.click("#save-png")
    target = tmp_path / "view.png"
    info.value.save_as(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 1000


def test_trimmed_page_says_what_was_left_out(browser, built, tmp_path):
    store = built[1]
    path = write_view(view_graph(store, "graph"), tmp_path / "top.html", "top", size_by="degree", top=5)
    page = Page(browser, path)
    assert page.js("window.kgNodes.length") == 5
    assert "Left out: " in page.page.text_content("header") and "outside the top 5" in page.page.text_content("header")


def page_data_of(path: Path) -> dict:
    """The data a written page draws (its kg-data script), read without a browser."""
    html = path.read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="kg-data">') + len('<script type="application/json" id="kg-data">')
    return json.loads(html[start:html.index("</script>", start)])


def test_build_views_keep_the_largest_nodes_and_say_so(built, tmp_path):
    store = built[1]
    for path in write_views(store, tmp_path, top=4):
        data = page_data_of(path)
        total = data["total"][0]
        assert len(data["nodes"]) == min(4, total) and data["shown"][0] == len(data["nodes"])
        assert data["leftOut"] == ([f"{total - 4} nodes outside the top 4"] if total > 4 else [])
    assert page_data_of(tmp_path / "graph.html")["total"][0] == view_graph(store, "graph").number_of_nodes() > 4


def test_kg_viz_draws_up_to_max_nodes_unless_told(built, tmp_path, monkeypatch):
    out = str(built[0])
    assert f"default {MAX_NODES}" in CliRunner().invoke(main, ["viz", "--help"]).output
    n = view_graph(built[1], "graph").number_of_nodes()
    monkeypatch.setattr("kg.viz.MAX_NODES", 3)  # the default cap, made smaller than the fixture
    capped = CliRunner().invoke(main, ["viz", "graph", "-g", out, "-o", str(tmp_path / "capped.html")])
    assert capped.exit_code == 0 and f"({n} nodes, " in capped.output and "the page shows the 3 largest" in capped.output
    assert len(page_data_of(tmp_path / "capped.html")["nodes"]) == 3
    few = CliRunner().invoke(main, ["viz", "graph", "-g", out, "-o", str(tmp_path / "few.html"), "--top", "5"])
    assert few.exit_code == 0 and len(page_data_of(tmp_path / "few.html")["nodes"]) == 5
    whole = CliRunner().invoke(main, ["viz", "graph", "-g", out, "-o", str(tmp_path / "all.html"), "--top", "0"])
    assert whole.exit_code == 0 and "shows" not in whole.output and len(page_data_of(tmp_path / "all.html")["nodes"]) == n


def test_trimmed_graph_keeps_the_graph_s_order():
    """The layout reads nodes and edges in the trimmed graph's order; a subgraph of less than half
    the graph iterated a set, so the page's bytes changed with PYTHONHASHSEED."""
    G = nx.relabel_nodes(nx.barabasi_albert_graph(60, 2, seed=1), lambda i: f"n{(i * 37) % 60:02d}")
    values = {n: float(d) for n, d in G.degree()}
    H, notes = trim(G, values, top=12, min_degree=None)
    assert notes == ["48 nodes outside the top 12"]
    assert list(H) == [n for n in G if n in H]
    assert list(H.edges) == [(u, v) for u, v in G.edges if u in H and v in H]


# --- hostile input ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    result = build([str(FIX / "hostile")], out=out, views=True)
    return out, result.store


def _no_injection(page):
    assert page.dialogs == [] and page.errors == [] and page.requests == []
    assert page.js("window.__xss") is None
    assert page.js("document.querySelectorAll('img, svg, iframe, b, object, embed').length") == 0
    assert page.js("document.querySelectorAll('script').length") == 3  # data, vis-network, ours
    hrefs = page.js("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs


@pytest.mark.parametrize("view", ["graph", "coauthors", "topics"])
def test_xss_in_titles_names_topics_and_urls_runs_nothing(browser, hostile, view):
    page = Page(browser, hostile[0] / f"{view}.html")
    _no_injection(page)
    labels = page.js("window.kgNodes.get().map(n => n.label)")
    for node in page.js("window.kgNodes.getIds()"):
        page.click_node(node)
        page.page.fill("#search", labels[0][:6])
        page.page.press("#search", "Enter")
    page.page.select_option("#color-by", "cluster")
    _no_injection(page)
    if view == "graph":  # the hostile text shows as text
        assert '<script>window.__xss = 1</script> Title' in labels


def test_xss_through_tooltips(browser, hostile):
    page = Page(browser, hostile[0] / "coauthors.html")
    box = page.page.locator("#graph canvas").bounding_box()
    for node in page.js("window.kgNodes.getIds()"):
        pos = page.js(f"window.kgNetwork.canvasToDOM(window.kgNetwork.getPosition({node!r}))")
        page.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
        page.page.wait_for_selector(".vis-tooltip", state="visible", timeout=5000)
        assert page.js("document.querySelector('.vis-tooltip').children.length") == 0
    _no_injection(page)


def test_javascript_links_in_details_are_never_links(browser, tmp_path):
    G = nx.Graph()
    G.add_node("a", label="evil", kind="paper", topics=[],
               details=[["links", [["run", "javascript:window.__xss=9"], ["data", "data:text/html,<script>x</script>"],
                                   ["fine", "https://example.org/"]]]])
    G.add_node("b", label="<img src=x onerror=window.__xss=10>", kind="author", topics=["<svg onload=window.__xss=11>"], details=[])
    G.add_edge("a", "b", weight=1)
    page = Page(browser, write_view(G, tmp_path / "evil.html", "</title><script>window.__xss=12</script>"))
    page.click_node("a")
    _no_injection(page)
    assert page.js("[...document.querySelectorAll('#details a')].map(a => a.getAttribute('href'))") == ["https://example.org/"]
    assert "javascript:window.__xss=9" in page.page.text_content("#details")
    assert page.page.title() == "</title><script>window.__xss=12</script> · paperkg"


def test_ego_view_opens_on_its_author(browser, built, tmp_path):
    G = view_graph(built[1], "ego", name="eve moss", radius=1)
    page = Page(browser, write_view(G, tmp_path / "ego.html", G.graph["title"], size_by="papers"))
    assert sorted(page.js("window.kgNodes.get().map(n => n.label)")) == ["Ann Lee", "Eve Moss"]
    assert page.js("window.kgNetwork.getSelectedNodes()") == ["https://w3id.org/paperkg/id/author/evemoss"]
    assert "Eve Moss" in page.page.text_content("#details")
