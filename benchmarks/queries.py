"""Row count and latency (best of 5) of every named query on a built graph.

    python benchmarks/queries.py [GRAPH]     # GRAPH: an export folder or RDF file (default: exports)

Author parameters use the author with most papers; the others use fixed values.
"""

import sys
import time

from kg import query as kq
from kg.store import load


def main(graph: str = "exports") -> None:
    store = load(graph)
    top = list(kq.run(store, kq.get_named("authors-by-papers").text))[0]["name"].value
    params = {
        "papers-by-author": {"name": top}, "coauthors": {"name": top},
        "topics-of-author": {"name": top}, "name-variants": {"name": top},
        "papers-in-topic": {"topic": "Computer Vision"},
        "active-authors-in-topic": {"topic": "Natural Language Processing"},
        "papers-between": {"from": "2024-10-01", "to": "2024-10-07"}, "paper": {"id": "2502.01456"},
    }
    print(f"graph {graph}: {len(store)} quads; author parameter: {top!r}")
    print(f"{'query':26} {'rows':>5} {'ms (best of 5)':>14}")
    for name, q in kq.named_queries().items():
        bindings = kq.bind(q.params, params.get(name, {}))
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            rows = list(kq.run(store, q.text, bindings))
            best = min(best, time.perf_counter() - started)
        print(f"{name:26} {len(rows):5d} {best * 1000:14.1f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
