"""JSON daily records: a list of ``{title, authors, link, github_repo, summary,
classification, github_urls, huggingface_urls, date}`` objects (``[]`` for an empty day)."""

from __future__ import annotations

from typing import Iterator

from .. import normalize as norm
from ..records import Event, Record, Rejection, oversized
from . import Reader, register
from ._json import expect, looks_like_json_list, parse_list

FORMAT = "json-records"


def sniff(text: str) -> bool:
    return looks_like_json_list(text)


def parse_json_records(text: str, source: str) -> Iterator[Event]:
    return parse_list(text, source, _record)


def _record(obj: object, line: int, source: str, file_date: str | None) -> Event:
    if not isinstance(obj, dict):
        return Rejection(source, line, f"record is a {type(obj).__name__}, expected an object")
    try:
        title = expect(obj, "title", (str,), "a string") or ""
        authors = expect(obj, "authors", (str, list), "a string or a list")
        link = expect(obj, "link", (str,), "a string") or ""
        summary = expect(obj, "summary", (str,), "a string") or ""
        topics = expect(obj, "classification", (list, str), "a list")
        date = expect(obj, "date", (str,), "a string")
        links: list[tuple[str, str]] = []
        for key, column in (("github_repo", "github"), ("github_urls", "github"), ("huggingface_urls", "huggingface")):
            value = expect(obj, key, (str, list), "a string or a list")
            values = [value] if isinstance(value, str) else (value or [])
            links += [(column, "null" if v is None else str(v)) for v in values]
    except ValueError as exc:
        return Rejection(source, line, str(exc))
    too_long = oversized({"title": title, "link": link, "summary": summary,
                          "authors": authors if isinstance(authors, str) else ""})
    if too_long:
        return Rejection(source, line, too_long)
    pid = norm.arxiv_id(link)
    if pid is None:
        return Rejection(source, line, f"no arXiv link in 'link' ({link!r})" if link else "record has no 'link'")
    title = norm.collapse(norm.fix_text(title))
    if not title:
        return Rejection(source, line, "record has no title")
    day = norm.iso_date(date) or file_date
    if day is None:
        why = f"'date' {date!r} is not a date" if date else "no 'date' field"
        return Rejection(source, line, f"no date: {why} and none in the file name")
    if isinstance(authors, list):
        names = [norm.collapse(norm.fix_text(str(a))) for a in authors if a]
    else:
        names = norm.split_authors(authors or "")
    if isinstance(topics, str):
        topics = [topics]
    # github_repo usually repeats one of github_urls: keep each value once, in order.
    unique_links = tuple(dict.fromkeys(links))
    return Record(
        source=source,
        line=line,
        format=FORMAT,
        date=day,
        arxiv_id=pid,
        title=title,
        authors=tuple(n for n in names if n),
        summary=norm.clean_summary(summary),
        topics=tuple(t for t in (norm.topic_label(str(x)) for x in (topics or []) if x is not None) if t),
        links=unique_links,
    )


register(
    Reader(
        name=FORMAT,
        description="JSON daily records: a list of {title, authors, link, summary, classification, ...}",
        suffixes=(".json",),
        sniff=sniff,
        parse=parse_json_records,
    )
)
