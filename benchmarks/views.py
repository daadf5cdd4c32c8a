"""HTML view size, generation time and time until interactive in headless Chromium.

    python benchmarks/views.py [--shared ../shared/data] [--papers 5000]

For the graph of ../shared/data (seed + dev) and for a synthetic whole graph of about 25,000
nodes (papers, authors, topics, repositories, digests; fixed seed): the file size, the time to
write the HTML, the time until the page has drawn (body[data-ready]) and the mean time of a
redraw while panning, in Debian's chromium.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
from centrality import synthetic_coauthors  # noqa: E402

from kg.build import build  # noqa: E402
from kg.topics import TASKS  # noqa: E402
from kg.viz import view_graph, write_view  # noqa: E402

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def synthetic_full_graph(papers: int, seed: int = 0) -> nx.Graph:
    """Papers linked to their authors (from the co-author generator), 1-3 topics, a repository
    for a third of them, and one of 500 digests."""
    rng = random.Random(seed)
    co = synthetic_coauthors(papers, seed)
    authors = sorted(co)
    topics = sorted(TASKS)
    G = nx.Graph()
    for t in topics:
        G.add_node(f"t{t}", label=t, kind="topic", topics=[t], details=[["Topic", t]])
    for d in range(500):
        G.add_node(f"d{d}", label=f"digest {d}", kind="digest", topics=[], details=[])
    for p in range(papers):
        node = f"p{p}"
        mine = rng.sample(topics, rng.randint(1, 3))
        G.add_node(node, label=f"Paper {p}: a synthetic title of realistic length", kind="paper", topics=mine,
                   details=[["Title", f"Paper {p}"], ["links", [["arXiv", f"https://arxiv.org/abs/2501.{p:05d}"]]]])
        for a in rng.sample(authors, rng.randint(1, 5)):
            G.add_node(f"a{a}", label=f"Author {a}", kind="author", topics=mine, details=[])
            G.add_edge(node, f"a{a}", weight=1)
        for t in mine:
            G.add_edge(node, f"t{t}", weight=1)
        G.add_edge(node, f"d{rng.randrange(500)}", weight=1)
        if rng.random() < 0.33:
            G.add_node(f"r{p}", label=f"owner/repo-{p}", kind="repository", topics=mine, details=[])
            G.add_edge(node, f"r{p}", weight=1)
    return G


def measure(browser, path: Path) -> tuple[float, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=300_000)
    ready = time.perf_counter() - started
    # mean redraw time: full (as after a zoom step) and while dragging (edges hidden on big graphs)
    redraw = page.evaluate("""async () => {
        const net = window.kgNetwork;
        const time = async (dragging) => {
          const times = [];
          for (let i = 0; i < 10; i++) {
            net.renderer.dragging = dragging;
            const t = performance.now();
            await new Promise(r => { net.once('afterDrawing', r); net.moveTo({ position: { x: i * 50, y: i * 30 } }); });
            times.push(performance.now() - t);
          }
          net.renderer.dragging = false;
          return times.reduce((a, b) => a + b, 0) / times.length;
        };
        return [await time(false), await time(true)]; }""")
    page.close()
    return ready, redraw


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--papers", type=int, default=7500)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(tempfile.mkdtemp(prefix="kg-views-"))
    rows = []
    store = build([os.path.join(args.shared, "seed"), os.path.join(args.shared, "dev")], out=None).store
    for view, size_by, color_by in (("graph", "degree", "kind"), ("coauthors", "papers", "cluster"), ("topics", "papers", "category")):
        started = time.perf_counter()
        G = view_graph(store, view)
        path = write_view(G, out / f"{view}.html", view, size_by=size_by, color_by=color_by)
        rows.append((f"dev+seed {view}", G.number_of_nodes(), path, time.perf_counter() - started))
    G, t_gen = None, time.perf_counter()
    G = synthetic_full_graph(args.papers)
    t_gen = time.perf_counter() - t_gen
    started = time.perf_counter()
    path = write_view(G, out / "synthetic.html", "synthetic", size_by="degree", color_by="kind")
    rows.append((f"synthetic graph ({t_gen:.1f} s to generate)", G.number_of_nodes(), path, time.perf_counter() - started))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        print(f"{'view':42}{'nodes':>8}{'MB':>7}{'write s':>9}{'ready s':>9}{'redraw ms':>11}{'drag ms':>9}")
        for name, nodes, path, t_write in rows:
            ready, (redraw, drag) = measure(browser, path)
            print(f"{name:42}{nodes:8d}{path.stat().st_size / 1e6:7.1f}{t_write:9.2f}{ready:9.2f}{redraw:11.1f}{drag:9.1f}")
        browser.close()


if __name__ == "__main__":
    main()
