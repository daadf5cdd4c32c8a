"""Network analysis over the projections: centralities, clusters, co-authorship, trends.

Functions take a networkx graph (or a store) and return plain data; where randomness enters
there is a ``seed``.
"""
