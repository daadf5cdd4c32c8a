"""Shared by the JSON readers: a top-level list read element by element, with line numbers.

Decoding one element at a time means a file broken half-way still yields the elements
before the break, and each element knows the line it starts on.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterator

from ..errors import InputError
from ..records import DigestSeen, Event, Record, Rejection

_WS = re.compile(r"\s*")


def iter_elements(text: str, source: str) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each element of the JSON list in ``text``.

    Raises :class:`InputError` (with the line) where the text stops being valid JSON, after
    yielding every element before that point.
    """
    decoder = json.JSONDecoder()
    pos = _WS.match(text, 0).end()
    if pos >= len(text) or text[pos] != "[":
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise InputError(source, None, f"invalid JSON: {getattr(exc, 'msg', exc)} (line {getattr(exc, 'lineno', '?')})") from None
        except RecursionError:
            raise InputError(source, None, "JSON nested too deeply") from None
        raise InputError(source, None, f"JSON is a {type(value).__name__}, expected a list of records")
    pos = _WS.match(text, pos + 1).end()
    if text.startswith("]", pos):
        return
    while True:
        line = text.count("\n", 0, pos) + 1
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(source, exc.lineno, f"invalid JSON: {exc.msg}") from None
        except RecursionError:
            raise InputError(source, line, "JSON nested too deeply") from None
        yield line, value
        pos = _WS.match(text, pos).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
            continue
        if text.startswith("]", pos):
            rest = text[pos + 1 :].strip()
            if rest:
                raise InputError(source, text.count("\n", 0, pos) + 1, "text after the end of the JSON list")
            return
        lineno = text.count("\n", 0, pos) + 1
        raise InputError(source, lineno, "invalid JSON: expected ',' or ']' between records")


def looks_like_json_list(text: str) -> bool:
    return text.lstrip()[:1] in ("[", "{")


def expect(obj: dict, key: str, kinds: tuple[type, ...], what: str) -> Any:
    """``obj[key]`` if it is missing/None or of one of ``kinds``; else a ValueError naming it."""
    value = obj.get(key)
    if value is None or isinstance(value, kinds):
        return value
    raise ValueError(f"field {key!r} is {type(value).__name__}, expected {what}")


def parse_list(
    text: str, source: str, make: Callable[[object, int, str, str | None], Event]
) -> Iterator[Event]:
    """Events of a JSON digest: ``make(element, line, source, file_date)`` reads each element.

    The day comes from the file name when it has one, else from each record; a digest is
    announced before its first record.  Where the JSON breaks, one Rejection says where.
    """
    from . import date_from_path

    file_date = date_from_path(source)
    announced: set[str] = set()
    if file_date:
        announced.add(file_date)
        yield DigestSeen(source, 1, file_date)
    try:
        for line, obj in iter_elements(text, source):
            event = make(obj, line, source, file_date)
            if isinstance(event, Record) and event.date not in announced:
                announced.add(event.date)
                yield DigestSeen(source, line, event.date)
            yield event
    except InputError as exc:
        yield Rejection(source, exc.line or 0, exc.reason)
