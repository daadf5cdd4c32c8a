"""Text repair, arXiv ids, URL classification and author keys.

Pure functions: nothing here reads files or builds RDF.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import ftfy

# Only repair what is broken: keep curly quotes, ligatures and wide characters as written.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    explain=False,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WS = re.compile(r"\s+")


def fix_text(text: str) -> str:
    """Repair mojibake (``1.40Ã—`` -> ``1.40×``) and drop control characters.

    >>> fix_text("a 1.40Ã— speed-up")
    'a 1.40× speed-up'
    """
    if not text.isascii():
        text = ftfy.fix_text(text, _FTFY)
    return _CONTROL.sub("", text)


def collapse(text: str) -> str:
    """Whitespace runs (line breaks included) become one space; ends stripped."""
    return _WS.sub(" ", text).strip()


def clean_summary(text: str) -> str:
    """Tidy a summary: repair text, strip each line, drop a stray ``{...}`` JSON-echo wrapper."""
    text = fix_text(text).strip()
    if text.startswith("{") and text.endswith("}"):
        # One digest echoes its own broken JSON: ``{- bullet ... }``.  A real object with a
        # "summary" key is unwrapped; otherwise the braces go.
        import json

        try:
            obj = json.loads(text)
        except ValueError:
            text = text[1:-1].strip()
        else:
            if isinstance(obj, dict) and isinstance(obj.get("summary"), str):
                text = obj["summary"].strip()
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


# --- dates ---------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def iso_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` if ``text`` starts with a real calendar date, else None.

    >>> iso_date("2025-02-04T03:00:00Z"), iso_date("2025-13-45")
    ('2025-02-04', None)
    """
    import datetime

    m = _ISO_DATE.match(text or "")
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


# --- arXiv ids -------------------------------------------------------------------------

_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z.-]*/\d{7}"
_ID_IN_URL = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html)/|huggingface\.co/papers/|hf\.co/papers/)"
    rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?",
    re.IGNORECASE,
)
_BARE_ID = re.compile(rf"^(?:arxiv:)?(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?$", re.IGNORECASE)


def arxiv_id(value: str) -> str | None:
    """The arXiv id (no version) in an arXiv or HF-paper URL, or a bare id; else None.

    >>> arxiv_id("https://arxiv.org/abs/2502.01456v2")
    '2502.01456'
    >>> arxiv_id("https://huggingface.co/papers/2409.03810")
    '2409.03810'
    >>> arxiv_id("hep-th/9901001v1")
    'hep-th/9901001'
    """
    value = _WS.sub("", value)
    m = _ID_IN_URL.search(value) or _BARE_ID.match(value)
    return m.group("id").lower() if m else None


# --- authors ---------------------------------------------------------------------------


def author_key(name: str) -> str:
    """The author key: casefolded, accents stripped, letters and digits only.

    >>> author_key("Franck-Dernoncourt") == author_key("franck dernoncourt")
    True
    >>> author_key("José Á. Núñez")
    'joseanunez'
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def split_authors(cell: str) -> list[str]:
    """Split a comma-joined author cell; empty names dropped."""
    return [n for n in (collapse(fix_text(part)) for part in cell.split(",")) if n]


# --- URLs ------------------------------------------------------------------------------

PLACEHOLDERS = {"", "null", "none", "n/a", "na", "string", "nan", "-", "undefined", "[]", "link"}
_HOST_TYPOS = {
    "hf.co": "huggingface.co",
    "hugface.co": "huggingface.co",
    "huggingface.com": "huggingface.co",
    "hugginface.co": "huggingface.co",
    "huggingfaces.co": "huggingface.co",
    "huggingface.c": "huggingface.co",
    "githb.com": "github.com",
    "guthub.com": "github.com",
    "gihub.com": "github.com",
    "github.co": "github.com",
}
_GITHUB_RESERVED = {
    "about", "apps", "collections", "enterprise", "explore", "features", "login",
    "marketplace", "pricing", "search", "settings", "site", "sponsors", "topics", "trending",
}
_HF_SITE_PAGES = {
    "api", "blog", "chat", "docs", "join", "learn", "login", "models", "posts", "pricing",
    "settings", "tasks", "search", "enterprise",
}
_HF_KINDS = {"datasets": "dataset", "spaces": "space", "collections": "collection"}
_SCHEMELESS_HOST = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]|$)", re.I)
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_TRAILING = ".,;:'\"<>`"  # stripped from the end of a value: sentence punctuation, quotes
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True, slots=True, order=True)
class Link:
    """A classified link.

    ``kind`` is ``repository``, ``model``, ``dataset``, ``space``, ``collection``
    (Hugging Face artefacts), ``agent`` (a GitHub or Hub user/organisation page),
    ``page`` (a project page or any other host) or ``paper`` (an arXiv / HF paper page).
    ``key`` is the path of the node under the data namespace (for ``page``: the URL),
    ``url`` the normalised URL, ``label`` the display name (``Owner/Repo``).
    """

    kind: str
    key: str
    url: str
    label: str
    owner_key: str = ""
    owner_label: str = ""


@dataclass(frozen=True, slots=True)
class Junk:
    """A link value that is not a usable URL, with why (``placeholder``, ``not-a-url``...)."""

    kind: str
    value: str


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_UNCHANGED = re.compile(r"[A-Za-z0-9:/?#\[\]@!$&'()*+,;=~._-]*")


def iri_safe(text: str) -> str:
    """Percent-encode what may not stand in an IRI (spaces, ``<>"{}|^`` and backticks...).

    Existing escapes are kept (upper-cased), so encoding twice changes nothing.

    >>> iri_safe('a b"{x}%2f%')
    'a%20b%22%7Bx%7D%2F%25'
    """
    if _UNCHANGED.fullmatch(text):  # most ids and keys: nothing to encode
        return text
    quoted = quote(_BAD_PERCENT.sub("%25", text), safe=_IRI_SAFE)
    return _ESCAPE.sub(lambda m: m.group(0).upper(), quoted)


def _segment(text: str) -> str:
    return quote(text.lower(), safe="-._~")


def classify_url(raw: str) -> Link | Junk:
    """Classify one link value from a digest.

    >>> classify_url("github.com/PRIME-RL/PRIME/tree/main/src").key
    'repo/github/prime-rl/prime'
    >>> classify_url("https://hf.co/datasets/allenai/multipref").kind
    'dataset'
    >>> classify_url("null")
    Junk(kind='placeholder', value='null')
    """
    value = _WS.sub("", raw).strip("<>\"'`").rstrip(_TRAILING)
    if value.lower() in PLACEHOLDERS:
        return Junk("placeholder", raw.strip())
    value = re.sub(r"^(https?):/*", lambda m: m.group(1).lower() + "://", value, flags=re.I)
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
        if _SCHEMELESS_HOST.match(value):
            value = "https://" + value
        else:
            return Junk("not-a-url", raw.strip())
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return Junk("not-a-url", raw.strip())
    if parts.scheme.lower() not in ("http", "https") or not _HOST.fullmatch(host):
        return Junk("not-a-url", raw.strip())
    bare = host[4:] if host.startswith("www.") else host
    bare = _HOST_TYPOS.get(bare, bare)
    # Segments lose trailing punctuation as the whole value does, so a normalised URL
    # classifies to the same link again.
    segs = [seg for seg in (unquote(s).rstrip(_TRAILING) for s in parts.path.split("/")) if seg]
    if bare == "github.com":
        return _github(segs, value)
    if bare == "huggingface.co":
        return _huggingface(segs, value)
    if bare == "arxiv.org" and arxiv_id(value):
        return Link("paper", arxiv_id(value) or "", value, arxiv_id(value) or "")
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return Junk("not-a-url", raw.strip())
    url = f"{parts.scheme.lower()}://{host}{port}{parts.path}"
    if parts.query:
        url += "?" + parts.query
    url = iri_safe(url).rstrip(_TRAILING)
    return Link("page", url, url, url)


def _github(segs: list[str], value: str) -> Link | Junk:
    if segs and segs[0].lower() in ("orgs", "users") and len(segs) > 1:
        segs = segs[1:2]
    if not segs or segs[0].lower() in _GITHUB_RESERVED:
        url = iri_safe("https://github.com/" + "/".join(segs))
        return Link("page", url, url, url)
    owner = segs[0]
    owner_key, owner_url = "github/" + _segment(owner), iri_safe("https://github.com/" + owner)
    if len(segs) == 1:
        return Link("agent", owner_key, owner_url, owner)
    repo = segs[1][:-4] if segs[1].lower().endswith(".git") else segs[1]
    if not repo:
        return Link("agent", owner_key, owner_url, owner)
    return Link(
        "repository",
        f"repo/github/{_segment(owner)}/{_segment(repo)}",
        iri_safe(f"https://github.com/{owner}/{repo}"),
        f"{owner}/{repo}",
        owner_key,
        owner,
    )


def _huggingface(segs: list[str], value: str) -> Link | Junk:
    if not segs:
        return Link("page", "https://huggingface.co/", "https://huggingface.co/", "huggingface.co")
    head = segs[0].lower()
    if head == "papers" and len(segs) > 1 and arxiv_id(segs[1]):
        pid = arxiv_id(segs[1]) or ""
        return Link("paper", pid, f"https://huggingface.co/papers/{pid}", pid)
    kind, prefix = "model", ""
    if head in _HF_KINDS:
        kind, prefix, segs = _HF_KINDS[head], head + "/", segs[1:]
    elif head in _HF_SITE_PAGES or head == "papers":
        url = iri_safe("https://huggingface.co/" + "/".join(segs))
        return Link("page", url, url, url)
    if not segs or segs[0].lower() in _HF_KINDS or segs[0].lower() in _HF_SITE_PAGES or segs[0].lower() == "papers":
        url = iri_safe("https://huggingface.co/" + prefix + "/".join(segs)).rstrip("/")
        return Link("page", url, url, url)
    owner = segs[0]
    owner_key, owner_url = "hf/" + _segment(owner), iri_safe("https://huggingface.co/" + owner)
    if len(segs) == 1:
        return Link("agent", owner_key, owner_url, owner)
    name = segs[1]
    return Link(
        kind,
        f"hf/{kind}/{_segment(owner)}/{_segment(name)}",
        iri_safe(f"https://huggingface.co/{prefix}{owner}/{name}"),
        f"{owner}/{name}",
        owner_key,
        owner,
    )


# --- topics ----------------------------------------------------------------------------


def topic_label(raw: str) -> str:
    """A classification label, cleaned: quotes and brackets gone, whitespace collapsed."""
    return collapse(fix_text(raw).strip().strip("[]'\"` ").strip())


def slug(label: str) -> str:
    """``Text2Text Generation`` -> ``text2text-generation`` (used in topic IRIs)."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    out = "".join(ch if ch.isalnum() and not unicodedata.combining(ch) else "-" for ch in decomposed)
    return re.sub(r"-+", "-", out).strip("-") or iri_safe(label)
