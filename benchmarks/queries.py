"""Row count and latency (best of 5) of every named query on a built graph.

    python benchmarks/queries.py [GRAPH]     # GRAPH: an export folder or RDF file (default: exports)

Parameters: see params_for (the author with most papers, the first week, the first paper...).
"""

import datetime
import sys
import time

from kg import query as kq
from kg.store import load


def params_for(store) -> dict[str, dict[str, str]]:
    """Parameters of the named queries for a graph: its most prolific author, two big topics,
    its first week of digests and its first paper."""
    top = list(kq.run(store, kq.get_named("authors-by-papers").text))[0]["name"].value
    first = min(r["d"].value for r in store.query("SELECT ?d WHERE { ?x <http://purl.org/dc/terms/date> ?d }"))
    last = (datetime.date.fromisoformat(first) + datetime.timedelta(days=6)).isoformat()
    paper = min(r["i"].value for r in store.query("SELECT ?i WHERE { ?p <https://w3id.org/paperkg/ontology#arxivId> ?i }"))
    return {
        "papers-by-author": {"name": top}, "coauthors": {"name": top},
        "topics-of-author": {"name": top}, "name-variants": {"name": top},
        "papers-in-topic": {"topic": "Computer Vision"},
        "active-authors-in-topic": {"topic": "Natural Language Processing"},
        "papers-between": {"from": first, "to": last}, "paper": {"id": paper},
    }


def main(graph: str = "exports") -> None:
    store = load(graph, named_graphs=False)  # as kg query loads it for a named query
    params = params_for(store)
    top = params["coauthors"]["name"]
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
