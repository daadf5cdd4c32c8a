"""Digest readers: a registry of formats, chosen by sniffing the content.

Each reader module registers a :class:`Reader` with a ``sniff(text)`` test and a pure
``parse(text, source)`` that yields :mod:`kg.records` events.  A new digest variant is one
module that calls :func:`register`.
"""

from __future__ import annotations

import glob
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InputError, UnknownFormatError
from ..records import Event, Rejection

STDIN = "-"


@dataclass(frozen=True)
class Reader:
    """One digest format: its name, what it is, the suffixes it usually has, how to spot it."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    sniff: Callable[[str], bool]
    parse: Callable[[str, str], Iterator[Event]]


_READERS: list[Reader] = []


def register(reader: Reader) -> Reader:
    """Add a reader; sniffing tries readers in registration order."""
    if any(r.name == reader.name for r in _READERS):
        raise ValueError(f"reader {reader.name!r} is already registered")
    _READERS.append(reader)
    return reader


def readers() -> list[Reader]:
    """The registered readers, in sniffing order."""
    return list(_READERS)


def known_formats() -> str:
    return ", ".join(r.name for r in _READERS)


def find_reader(text: str, source: str) -> Reader:
    """The reader whose sniff test accepts ``text``; :class:`UnknownFormatError` if none does."""
    for reader in _READERS:
        if reader.sniff(text):
            return reader
    raise UnknownFormatError(source, None, f"not a digest in any known format (known: {known_formats()})")


def parse_digest(text: str, source: str) -> Iterator[Event]:
    """Events from the text of one digest file (pure: no I/O)."""
    text = text.lstrip("\ufeff")
    return find_reader(text, source).parse(text, source)


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252/Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(source, None, f"broken UTF-16 text ({exc.reason})") from None
    if b"\x00" in data[:8192]:
        raise InputError(source, None, "binary file, not a text digest")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_digest(path: str) -> Iterator[Event]:
    """Events from one digest file (``-`` reads standard input).

    A file that cannot be read at all yields one :class:`Rejection` naming it, so that
    the other files of a build still go in.
    """
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read()
            source = "<stdin>"
        else:
            data = Path(path).read_bytes()
            source = path
        yield from parse_digest(decode(data, source), source)
    except InputError as exc:
        yield Rejection(exc.source, exc.line or 0, exc.reason)
    except OSError as exc:
        yield Rejection(path, 0, f"cannot read file: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop a build
        yield Rejection(path, 0, f"internal error while reading ({type(exc).__name__}: {exc}); please report it")


_GLOB = re.compile(r"[*?\[]")


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files, directories (recursively: files with a known suffix) and globs, in a stable order.

    Raises :class:`InputError` for a path that does not exist and matches nothing.
    """
    suffixes = {s for r in _READERS for s in r.suffixes}
    out: list[str] = []
    for item in inputs:
        if item == STDIN:
            out.append(item)
        elif os.path.isdir(item):
            found = [
                os.path.join(root, name)
                for root, _dirs, names in os.walk(item)
                for name in names
                if os.path.splitext(name)[1].lower() in suffixes and not name.startswith(".")
            ]
            out.extend(sorted(found))
        elif os.path.exists(item):
            out.append(item)
        elif _GLOB.search(item):
            matches = sorted(p for p in glob.glob(item, recursive=True) if os.path.isfile(p))
            if not matches:
                raise InputError(item, None, "no file matches this pattern")
            out.extend(matches)
        else:
            raise InputError(item, None, "no such file or directory")
    seen: set[str] = set()
    return [p for p in out if not (p in seen or seen.add(p))]


def date_from_path(source: str) -> str | None:
    """``.../2024/10/01.md`` or ``2024-10-01.json`` -> ``2024-10-01``; else None."""
    from ..normalize import iso_date

    norm = source.replace("\\", "/")
    m = re.search(r"(\d{4})[-/_](\d{2})[-/_](\d{2})(?!\d)", norm)
    return iso_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}") if m else None


# Registration order is sniffing order: the JSON shapes first (cheap, specific), then markdown.
from . import hfapi, jsonrecords, markdown  # noqa: E402,F401
