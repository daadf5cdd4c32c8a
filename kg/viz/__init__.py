"""Self-contained interactive HTML views of the graph (pyvis's vis-network, our own template).

:func:`view_graph` makes the networkx graph of a view from the store; :func:`render` lays it
out in Python (seeded; physics off in the browser, so big graphs open and pan smoothly) and
writes one HTML file with vis-network's JS and CSS inlined: no request leaves the page and
nothing is written beside it.  Every string from a digest reaches the page as JSON data and is
put into the DOM as text; links are made only for http(s) URLs.
"""

from .data import VIEWS, node_info, view_graph
from .render import BUILD_VIEWS, COLOR_BY, MAX_NODES, SIZE_BY, render, write_view, write_views

__all__ = ["VIEWS", "BUILD_VIEWS", "MAX_NODES", "node_info", "COLOR_BY", "SIZE_BY", "view_graph", "render", "write_view",
           "write_views"]
