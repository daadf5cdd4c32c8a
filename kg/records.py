"""The shapes every reader produces.

A reader turns a digest file into a stream of events: :class:`DigestSeen` when a
digest (one day) starts, :class:`Record` for each paper row, :class:`Rejection`
for a row it cannot read.  Records carry text as found; :mod:`kg.normalize`
cleans them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

#: Longest text a cell or JSON field may hold.  Real summaries are a few kB; pyoxigraph's
#: JSON-LD parser cannot read back a string of about 10 MB, so a longer one rejects its row.
MAX_CELL = 1_000_000


def oversized(fields: dict[str, str]) -> str | None:
    """The reason to reject a row whose fields are too long, or None."""
    for name, text in fields.items():
        if isinstance(text, str) and len(text) > MAX_CELL:
            return f"{name} is {len(text):,} characters long; the limit is {MAX_CELL:,}"
    return None


@dataclass(frozen=True, slots=True)
class Record:
    """One listing of a paper in a digest, as read from one row or JSON object."""

    source: str
    line: int
    format: str
    date: str
    arxiv_id: str
    title: str
    authors: tuple[str, ...] = ()
    #: Hub usernames parallel to ``authors`` (``None`` where unknown); only the HF API gives them.
    hub_users: tuple[str | None, ...] = ()
    summary: str = ""
    topics: tuple[str, ...] = ()
    #: ``(column, value)`` pairs: column is ``github``, ``huggingface`` or ``project``.
    links: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row (or a whole file) that could not be read, with the reason."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class DigestSeen:
    """A digest (one day's listing) begins; it exists even when it lists no paper."""

    source: str
    line: int
    date: str


Event = Union[Record, Rejection, DigestSeen]
