"""``kg push``: send the graph to a SPARQL 1.1 Graph Store Protocol endpoint.

The merged view goes to the default graph (or ``--graph IRI``) and each digest's named graph
to a graph of the same name, in chunks of N-Triples sent with POST (which adds); with
``replace`` each target graph is first emptied with PUT.  Works with Oxigraph (``/store``),
Fuseki (``/DATASET/data``), GraphDB and any other GSP endpoint.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox

from .errors import KGError
from .store import sorted_quads

CHUNK = 20_000
NT = "application/n-triples"


class PushError(KGError):
    """The endpoint refused or could not be reached."""


@dataclass
class PushSummary:
    triples: int = 0
    graphs: int = 0
    requests: int = 0


def _target(endpoint: str, graph: str | None) -> str:
    sep = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}graph={urllib.parse.quote(graph, safe='')}"


def _send(method: str, url: str, body: bytes, auth: str | None, timeout: float) -> None:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": NT})
    if auth:
        request.add_header("Authorization", "Basic " + auth)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:300]
        raise PushError(f"{method} {url}: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PushError(f"{method} {url}: cannot reach the endpoint ({reason})") from None


def push(
    store: ox.Store,
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool = False,
    user: str | None = None,
    password: str | None = None,
    chunk: int = CHUNK,
    timeout: float = 60.0,
    on_chunk: Callable[[int, int], None] | None = None,
) -> PushSummary:
    """Send every graph of ``store`` to ``endpoint``; ``on_chunk(sent, total)`` after each request.

    ``graph``: put the merged (default) graph into this named graph instead of the default one.
    """
    auth = base64.b64encode(f"{user}:{password or ''}".encode()).decode() if user else None
    by_graph: dict[str | None, list[ox.Triple]] = defaultdict(list)
    for q in sorted_quads(store):
        name = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        by_graph[graph if name is None else name].append(q.triple)
    total = sum(len(t) for t in by_graph.values())
    summary = PushSummary(graphs=len(by_graph))
    for name, triples in sorted(by_graph.items(), key=lambda kv: kv[0] or ""):
        url = _target(endpoint, name)
        if replace:
            _send("PUT", url, b"", auth, timeout)
            summary.requests += 1
        for start in range(0, len(triples), chunk):
            body = ox.serialize(triples[start : start + chunk], format=ox.RdfFormat.N_TRIPLES)
            _send("POST", url, body, auth, timeout)
            summary.requests += 1
            summary.triples += len(triples[start : start + chunk])
            if on_chunk:
                on_chunk(summary.triples, total)
    return summary
