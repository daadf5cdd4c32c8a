"""One exception hierarchy for paperkg.

Library code raises these; only :mod:`kg.cli` turns them into messages and exit codes.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error paperkg raises on purpose."""


class InputError(KGError):
    """A digest (or a part of one) that cannot be read.

    The message names the file and, where known, the line:
    ``digests/2025-02-04.md:17: row has 4 cells, header has 6``.
    """

    def __init__(self, source: str, line: int | None, reason: str):
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {reason}")


class UnknownFormatError(InputError):
    """A file that no registered reader recognises."""


class GraphError(KGError):
    """An existing graph (an export being merged into, a --graph file) that cannot be used."""


class QueryError(KGError):
    """A SPARQL query that cannot be parsed or run."""
