"""Hugging Face daily-papers API JSON: ``[{paper: {id, title, summary, authors: [{name,
user?: {user, fullname}}], githubRepo, projectPage, ...}, publishedAt, ...}, ...]``.

Authors come with their Hub usernames: each Record keeps them beside the names, so the
graph can link a name to a username.
"""

from __future__ import annotations

import re
from typing import Iterator

from .. import normalize as norm
from ..records import Event, Record, Rejection, oversized
from . import Reader, register
from ._json import expect, looks_like_json_list, parse_list

FORMAT = "hf-daily-papers"


def sniff(text: str) -> bool:
    return looks_like_json_list(text) and re.search(r'"paper"\s*:\s*\{', text[:4000]) is not None


def parse_hf_api(text: str, source: str) -> Iterator[Event]:
    return parse_list(text, source, _record)


def _record(entry: object, line: int, source: str, file_date: str | None) -> Event:
    if not isinstance(entry, dict) or not isinstance(entry.get("paper"), dict):
        return Rejection(source, line, "entry has no 'paper' object")
    paper = entry["paper"]
    try:
        pid_raw = expect(paper, "id", (str,), "a string") or ""
        title = expect(paper, "title", (str,), "a string") or expect(entry, "title", (str,), "a string") or ""
        summary = expect(paper, "ai_summary", (str,), "a string") or expect(paper, "summary", (str,), "a string") or ""
        people = expect(paper, "authors", (list,), "a list") or []
        published = expect(entry, "publishedAt", (str,), "a string") or ""
        github = expect(paper, "githubRepo", (str,), "a string")
        project = expect(paper, "projectPage", (str,), "a string")
    except ValueError as exc:
        return Rejection(source, line, str(exc))
    too_long = oversized({"title": title, "summary": summary})
    if too_long:
        return Rejection(source, line, too_long)
    pid = norm.arxiv_id(pid_raw)
    if pid is None:
        return Rejection(source, line, f"paper id {pid_raw!r} is not an arXiv id")
    title = norm.collapse(norm.fix_text(title))
    if not title:
        return Rejection(source, line, "paper has no title")
    day = file_date or norm.iso_date(published)
    if day is None:
        return Rejection(source, line, "no date: no 'publishedAt' and none in the file name")
    names: list[str] = []
    users: list[str | None] = []
    for person in people:
        if not isinstance(person, dict):
            continue
        name = norm.collapse(norm.fix_text(str(person.get("name") or "")))
        user = person.get("user") if isinstance(person.get("user"), dict) else {}
        username = user.get("user") if isinstance(user.get("user"), str) else None
        if not name and username:
            name = norm.collapse(norm.fix_text(str(user.get("fullname") or username)))
        if name:
            names.append(name)
            users.append(username or None)
    links = [("github", github)] if github else []
    links += [("project", project)] if project else []
    return Record(
        source=source,
        line=line,
        format=FORMAT,
        date=day,
        arxiv_id=pid,
        title=title,
        authors=tuple(names),
        hub_users=tuple(users),
        summary=norm.clean_summary(summary),
        topics=(),
        links=tuple(links),
    )


register(
    Reader(
        name=FORMAT,
        description="Hugging Face daily-papers API JSON (authors with their Hub usernames)",
        suffixes=(".json",),
        sniff=sniff,
        parse=parse_hf_api,
    )
)
