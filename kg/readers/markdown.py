"""Markdown digests: every table variant, single days and README aggregates.

One day is ``## Papers for YYYY-MM-DD`` followed by a table.  The table's header names its
columns, so the six-column (Title, Authors, Summary, Classification, GitHub URLs,
HuggingFace URLs), three-column ("Read more on" / "- read more on" in the title cell) and
four-column (a Link column) variants are one parser.  An aggregate is many such sections
in one file; each section is its own digest.

Rows are rebuilt before they are split: a line that does not begin with ``|`` continues the
row above (titles and URLs broken over lines), and a row with too many cells gives the extra
pipes back to the Summary cell.
"""

from __future__ import annotations

import ast
import re
from typing import Iterator

from .. import normalize as norm
from ..records import DigestSeen, Event, Record, Rejection, oversized
from . import Reader, date_from_path, register

FORMAT = "markdown"

_HEADING = re.compile(r"^#{1,6}\s*Papers\s+for\s+(\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)
_SPLIT = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_MD_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)]*)\)", re.DOTALL)
_TITLE_LINK = re.compile(r"^\[(?P<title>.+)\]\((?P<url>[^()]*)\)$", re.DOTALL)
_READ_MORE = re.compile(r"(?:\(\s*|-\s*|\s)read\s+more\s+on\b", re.IGNORECASE)

#: Header cell (lowercased, spaces collapsed) -> field.
COLUMNS = {
    "title": "title",
    "paper": "title",
    "authors": "authors",
    "author": "authors",
    "summary": "summary",
    "classification": "topics",
    "classifications": "topics",
    "topics": "topics",
    "github urls": "github",
    "github url": "github",
    "github": "github",
    "huggingface urls": "huggingface",
    "hugging face urls": "huggingface",
    "huggingface url": "huggingface",
    "huggingface": "huggingface",
    "link": "link",
    "links": "link",
    "url": "link",
}


def sniff(text: str) -> bool:
    head = text[:20000]
    return bool(
        re.search(r"^\s*#{1,6}\s*Papers\s+for\s+\d{4}-\d{2}-\d{2}", head, re.I | re.M)
        or re.search(r"^\s*\|\s*Title\s*\|\s*Authors?\s*\|", head, re.I | re.M)
    )


def split_cells(text: str) -> list[str]:
    """Cells of a table row; the outer pipes do not make cells."""
    cells = _SPLIT.split(text.strip())
    if cells and cells[0].strip() == "":
        cells = cells[1:]
    if cells and cells[-1].strip() == "":
        cells = cells[:-1]
    return [c.replace("\\|", "|") for c in cells]


def _header(cells: list[str]) -> list[str] | None:
    names = [COLUMNS.get(" ".join(c.lower().split()), "") for c in cells]
    if "title" in names and ("authors" in names or "summary" in names):
        return names
    return None


def parse_markdown(text: str, source: str) -> Iterator[Event]:
    """Events for every digest section and every row of ``text``."""
    date = date_from_path(source)
    bad_heading: str | None = None
    announced: set[str] = set()
    columns: list[str] | None = None
    row: list[str] = []
    row_line = 0

    def flush() -> Iterator[Event]:
        nonlocal row
        if row and columns is not None:
            if date is None and bad_heading:
                yield Rejection(source, row_line, f"the section heading at {bad_heading}")
            else:
                yield _parse_row("\n".join(row), row_line, columns, date, source)
        row = []

    lines = text.splitlines()
    for lineno, line in enumerate(lines, 1):
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading:
            yield from flush()
            date, columns = norm.iso_date(heading.group(1)), None
            bad_heading = None if date else f"line {lineno}: {heading.group(1)!r} is not a date"
            if date:
                announced.add(date)
                yield DigestSeen(source, lineno, date)
            continue
        if stripped.startswith("|"):
            cells = split_cells(stripped)
            if all(_SEPARATOR_CELL.match(c) for c in cells):
                continue
            header = _header(cells)
            if header is not None:
                yield from flush()
                columns = header
                if date and date not in announced:
                    announced.add(date)
                    yield DigestSeen(source, lineno, date)
                continue
            if columns is None:
                continue
            yield from flush()
            row, row_line = [line], lineno
        elif row:
            if stripped == "" and len(split_cells("\n".join(row))) >= len(columns or ()):
                yield from flush()
            else:
                row.append(line)
    yield from flush()


def _parse_row(text: str, line: int, columns: list[str], date: str | None, source: str) -> Event:
    cells = split_cells(text)
    if len(cells) > len(columns) and "summary" in columns:
        # Unescaped pipes inside the summary: the Summary cell absorbs the extra cells.
        s = columns.index("summary")
        extra = len(cells) - len(columns)
        cells = cells[:s] + ["|".join(cells[s : s + extra + 1])] + cells[s + extra + 1 :]
    if len(cells) != len(columns):
        return Rejection(source, line, f"row has {len(cells)} cells, header has {len(columns)}")
    if date is None:
        return Rejection(source, line, "no digest date: no '## Papers for YYYY-MM-DD' heading and none in the file name")
    fields: dict[str, str] = {}
    for name, cell in zip(columns, cells):
        if name:
            fields[name] = cell
    too_long = oversized(fields)
    if too_long:
        return Rejection(source, line, too_long)
    title, url = parse_title_cell(fields.get("title", ""))
    candidates = [url] if url else []
    candidates += [m.group("url") for m in _MD_LINK.finditer(fields.get("link", ""))]
    candidates += fields.get("link", "").split()
    candidates += [m.group("url") for m in _MD_LINK.finditer(fields.get("title", ""))]
    pid = next((i for i in map(norm.arxiv_id, filter(None, candidates)) if i), None)
    if pid is None:
        return Rejection(source, line, "no arXiv or Hugging Face paper link in the title or link cell")
    title = norm.collapse(norm.fix_text(title))
    if not title:
        return Rejection(source, line, "empty title")
    links = tuple(
        (column, value)
        for column in ("github", "huggingface")
        for value in link_values(fields.get(column, ""))
    )
    return Record(
        source=source,
        line=line,
        format=FORMAT,
        date=date,
        arxiv_id=pid,
        title=title,
        authors=tuple(norm.split_authors(fields.get("authors", ""))),
        summary=norm.clean_summary(fields.get("summary", "")),
        topics=tuple(parse_topics(fields.get("topics", ""))),
        links=links,
    )


def parse_title_cell(cell: str) -> tuple[str, str | None]:
    """``(title, paper URL)`` from a title cell of any variant.

    >>> parse_title_cell("[GPT-[n] and o-[n]](https://arxiv.org/abs/2501.00001)")
    ('GPT-[n] and o-[n]', 'https://arxiv.org/abs/2501.00001')
    >>> parse_title_cell("Hyper-Connections - read more on [arXiv](https://arxiv.org/abs/2409.19606)")
    ('Hyper-Connections', 'https://arxiv.org/abs/2409.19606')
    """
    text = cell.strip()
    m = _TITLE_LINK.match(text)
    if m:
        return m.group("title"), m.group("url")
    more = _READ_MORE.search(text)
    if more:
        tail = text[more.start() :]
        urls = [u.group("url") for u in _MD_LINK.finditer(tail)]
        url = next((u for u in urls if norm.arxiv_id(u)), urls[0] if urls else None)
        return text[: more.start()].rstrip(" -("), url
    return text, None


def parse_topics(cell: str) -> list[str]:
    """Labels from a classification cell: a Python list literal, or a plain comma list."""
    text = cell.strip()
    if not text or text.lower() in norm.PLACEHOLDERS:
        return []
    values: list = []
    if text.startswith("[") and len(text) < 5000:
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
            parsed = None
        if isinstance(parsed, (list, tuple)):
            values = [str(v) for v in parsed]
    if not values:
        quoted = re.findall(r"'([^']*)'|\"([^\"]*)\"", text)
        values = [a or b for a, b in quoted] if quoted else text.strip("[]").split(",")
    return [label for label in map(norm.topic_label, values) if label]


def link_values(cell: str) -> list[str]:
    """Raw link values from a link cell: markdown link targets, else comma/space separated."""
    text = cell.strip()
    if not text or text.upper() == "N/A":  # the format's own "no links", not a junk value
        return []
    targets = [m.group("url") for m in _MD_LINK.finditer(text)]
    if targets:
        return targets
    return [v for v in re.split(r"[,\s]+", text) if v]


register(
    Reader(
        name=FORMAT,
        description="markdown digests: six-, four- and three-column tables, one day or a README of many",
        suffixes=(".md", ".markdown"),
        sniff=sniff,
        parse=parse_markdown,
    )
)
