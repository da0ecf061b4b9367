"""Entity extraction and HTML rendering for post, message and profile text.

This module is the pure core of the ``entities`` app: no Django, no database.
Everything a client renders is derived here from the text, so the rules are
spelled out in one place:

* Offsets (``pos``/``len``) are Python ``str`` indices, i.e. Unicode code
  points (the App.net docs say "UTF-32 code points"): an emoji counts as one.
* Mentions are ``@name`` (or ``＠name``) with ``name`` 1-20 of ``[A-Za-z0-9_]``;
  they are entities only when the user exists (the caller passes
  ``known_users``).
* Hashtags are ``#`` (or ``＃``) followed by letters of any script, marks,
  digits, ``_`` and the characters Unicode says join a word, with a letter or
  ``_`` in it (``#123`` is not a hashtag).
* Links are bare ``http(s)://`` URLs and bare domains on a real top-level
  domain (``app.net``), taken from markdown ``[text](url)`` when asked, or
  supplied by the client in ``entities.links``.  Only ``http``/``https`` URLs
  ever become links.  Where a mention, hashtag or URL begins and ends, in
  every script, is ``entities.detect``'s business.
* Ranges never overlap.  Client links win over everything detected; a detected
  URL wins over a mention or hashtag inside it.
* A link whose visible text does not start with its own domain gets
  `` [domain]`` inserted after it and ``amended_len`` set (App.net's
  anti-phishing rule).
* The HTML escapes every character that has a meaning in HTML, so no input can
  inject markup.
"""

from __future__ import annotations

import functools
import html as _html
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit

from .detect import find_hashtags, find_mentions, find_urls, mention_names

__all__ = [
    "EntityError",
    "ParsedText",
    "fill_uri_templates",
    "mention_candidates",
    "parse_text",
    "render_html",
    "shift_entities",
]


class EntityError(ValueError):
    """Malformed client-supplied entities (``entities.links``).

    The message names the offending item (``entities.links[2].pos ...``) so a
    client developer can fix the request; the view turns it into a 400.
    """


class ParsedText(NamedTuple):
    """The result of :func:`parse_text`.

    ``text`` is what gets stored and returned: the input with markdown links
    replaced by their anchor text and anti-phishing `` [domain]`` amendments
    inserted.  ``counted_length`` is the length before the amendments, which
    App.net does not count against the 256-character limit.
    """

    text: str
    entities: dict[str, list[dict[str, Any]]]
    html: str
    counted_length: int


# --------------------------------------------------------------------------
# Mentions and hashtags
# --------------------------------------------------------------------------


def mention_candidates(text: str) -> set[str]:
    """Lower-cased names of every @mention-shaped token in ``text``.

    The caller looks them all up with one query and passes the hits to
    :func:`parse_text` as ``known_users``.  Markdown links are also replaced
    first (when the text has any), so the set covers the text whether or not
    ``parse_markdown_links`` is used.
    """
    names = mention_names(text)
    if names and "[" in text:
        names |= mention_names(_replace_markdown_links(text)[0])
    return names


# --------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------

# Characters a URL in an href (or a naive client's template) must not carry
# literally.  Auto-detected URLs get them percent-encoded.
_URL_UNSAFE_RE = re.compile(
    r"[\"<>\\`\x00-\x20\x7f-\x9f"  # quotes, brackets, space, C0/C1 controls
    r"\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"  # invisible/bidi
)
_URL_WHITESPACE_OR_CONTROL_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def _clean_url(url: str) -> str:
    """Lower-case the scheme and percent-encode characters that must not
    appear literally (quotes, angle brackets, controls, invisible and bidi
    characters), so no client can be tricked by the url it is handed."""
    scheme, sep, rest = url.partition(":")
    if sep and not scheme.islower():
        url = scheme.lower() + sep + rest
    if _URL_UNSAFE_RE.search(url) is None:
        return url
    return _URL_UNSAFE_RE.sub(lambda m: quote(m.group(), safe=""), url)


# A host name (letters of any script, digits, "_", "-", dots) or an IP address
# (IPv6 without its brackets, as urlsplit gives it).
_HOST_RE = re.compile(r"[\w.-]+|[0-9a-f:.]+")


_HTTP_NETLOC_RE = re.compile(r"https?://([^/?#]*)", re.IGNORECASE)


def _http_host(url: str) -> str | None:
    """Lower-cased host of an absolute http(s) URL, or None for anything else.

    ``javascript:``, ``data:``, ``mailto:``, ``ftp:``, protocol-relative and
    host-less URLs all give None: only http and https are ever linked.  So do
    hosts with characters no host name has (``http://<b>/``): the host is
    shown to readers as the anti-phishing `` [domain]``.  The host is the one
    ``urllib.parse.urlsplit`` sees; plain ASCII URLs take a shortcut that
    gives the same answer several times faster.
    """
    m = _HTTP_NETLOC_RE.match(url)
    if m is not None:
        netloc = m.group(1)
        if netloc.isascii() and "[" not in netloc and "]" not in netloc and "\\" not in url:
            host = netloc.rpartition("@")[2].partition(":")[0].lower()
            return host if host and _HOST_RE.fullmatch(host) else None
    return _urlsplit_host(url)


def _urlsplit_host(url: str) -> str | None:
    """The general case of :func:`_http_host`."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if _HOST_RE.fullmatch(host) is None:
        return None
    return host


def _is_http_url(url: object) -> bool:
    """Cheap scheme check for rendering stored entities."""
    return isinstance(url, str) and url[:8].lower().startswith(("http://", "https://"))


# --------------------------------------------------------------------------
# Client links: markdown and entities.links
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Link:
    start: int
    end: int
    url: str
    host: str = ""  # for the anti-phishing amendment
    index: int | None = None  # position in entities.links, for error messages
    process_template: bool = True


# [anchor](url): the anchor is one line without brackets; the url has no
# whitespace and may contain balanced parentheses (Wikipedia URLs).
_MARKDOWN_LINK_RE = re.compile(r"\[([^\[\]\r\n]+)\]\(([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)\)")


@functools.lru_cache(maxsize=256)
def _replace_markdown_links(text: str) -> tuple[str, tuple[_Link, ...]]:
    """Replace each valid ``[anchor](url)`` by its anchor text.

    Only http(s) URLs with a host are taken; anything else (``javascript:``,
    relative URLs, empty anchors) is left in the text literally, so nothing is
    hidden behind an anchor that would not be linked.  Cached because
    mention_candidates and parse_text both need it for the same text (the
    _Link objects are never modified).
    """
    if "](" not in text:
        return text, ()
    pieces: list[str] = []
    links: list[_Link] = []
    last = 0
    removed = 0
    for m in _MARKDOWN_LINK_RE.finditer(text):
        anchor, url = m.group(1), m.group(2)
        host = _http_host(url)
        if host is None or not anchor.strip():
            continue
        pieces.append(text[last : m.start()])
        start = m.start() - removed
        pieces.append(anchor)
        links.append(_Link(start, start + len(anchor), _clean_url(url), host))
        removed += len(m.group()) - len(anchor)
        last = m.end()
    if not links:
        return text, ()
    pieces.append(text[last:])
    return "".join(pieces), tuple(links)


def _check_int(value: object, where: str) -> int:
    if type(value) is not int:
        raise EntityError(f"{where} must be an integer, not {type(value).__name__}")
    return value


def _validate_client_links(text: str, links: object) -> list[_Link]:
    """Check ``entities.links`` against the text; raise EntityError if bad."""
    if not isinstance(links, list):
        raise EntityError("entities.links must be a list of link objects")
    result: list[_Link] = []
    n = len(text)
    for i, link in enumerate(links):
        where = f"entities.links[{i}]"
        if not isinstance(link, dict):
            raise EntityError(f"{where} must be an object with pos, len and url")
        if "pos" not in link or "len" not in link:
            raise EntityError(f"{where} needs pos and len")
        pos = _check_int(link["pos"], f"{where}.pos")
        length = _check_int(link["len"], f"{where}.len")
        if pos < 0 or length < 1 or pos + length > n:
            raise EntityError(
                f"{where} (pos {pos}, len {length}) is outside the text, which is {n} "
                "characters long; pos must be >= 0, len >= 1 and pos + len <= the length "
                "(counted in Unicode code points, so an emoji counts as 1)"
            )
        url = link.get("url")
        if not isinstance(url, str) or not url:
            raise EntityError(f"{where}.url is required and must be a string")
        if _URL_WHITESPACE_OR_CONTROL_RE.search(url):
            raise EntityError(f"{where}.url must not contain whitespace or control characters")
        host = _http_host(url)
        if host is None:
            raise EntityError(
                f"{where}.url must be an absolute http:// or https:// URL with a valid host"
            )
        if link.get("text") is not None and link["text"] != text[pos : pos + length]:
            raise EntityError(
                f"{where}.text does not match the text at pos {pos}, len {length} "
                f"({text[pos : pos + length]!r}); omit text, it is filled in from the post"
            )
        process_template = link.get("process_template", True)
        if not isinstance(process_template, bool):
            raise EntityError(f"{where}.process_template must be true or false")
        result.append(
            _Link(
                pos,
                pos + length,
                _clean_url(url),
                host,
                index=i,
                process_template=process_template,
            )
        )
    result.sort(key=lambda link: link.start)
    for a, b in zip(result, result[1:], strict=False):
        if b.start < a.end:
            raise EntityError(
                f"entities.links[{a.index}] and entities.links[{b.index}] overlap; "
                "link ranges may be adjacent but must not overlap"
            )
    return result


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


def _shows_own_domain(anchor: str, host: str) -> bool:
    """True when the visible text starts with the link's own domain.

    ``s3rv.com/mndp`` -> ``http://s3rv.com/mndp`` shows its domain;
    ``this new site`` -> ``https://join.app.net`` does not, and neither does
    ``paypal.com@evil.com`` -> ``http://paypal.com@evil.com`` (the reader sees
    paypal.com, the browser goes to evil.com).
    """
    shown = anchor.strip().lower()
    for prefix in ("https://", "http://"):
        if shown.startswith(prefix):
            shown = shown[len(prefix) :]
            break
    host = host.rstrip(".")
    if not shown.startswith(host):
        return False
    rest = shown[len(host) :]
    # "x.com", "x.com/path", "x.com:8080", "x.com?q", "x.com." but not "x.com.evil.io"
    return not rest or rest[0] in "/:?#" or rest == "."


_first = operator.itemgetter(0)


def _blocked(
    blockers: list[tuple[int, int, _Link | None]], start: int, end: int, kind: str, token: str
) -> bool:
    """Whether a mention/hashtag at ``start:end`` falls in a URL or client link.

    A client link from ``entities.links`` that cuts it in two is the client's
    mistake (the docs forbid it), so that raises EntityError.
    """
    for b_start, b_end, client in blockers:
        if start < b_end and b_start < end:
            if (
                client is not None
                and client.index is not None
                and not (b_start <= start and end <= b_end)
            ):
                raise EntityError(
                    f"entities.links[{client.index}] (pos {b_start}, len {b_end - b_start}) "
                    f"partially overlaps the {kind} {token!r} at pos {start}, len {end - start}; "
                    "a link must cover a mention or hashtag entirely or not at all"
                )
            return True
    return False


def parse_text(
    text: str,
    *,
    known_users: Mapping[str, tuple[int, str]],
    parse_links: bool | None = None,
    parse_markdown_links: bool = False,
    links: list[dict] | None = None,
) -> ParsedText:
    """Derive the stored text, entities and html of a post, message or bio.

    ``known_users`` maps lower-cased names (from :func:`mention_candidates`)
    to ``(user id, canonical username)``; mentions of anyone else are not
    entities.  A mention's ``name`` is the canonical username, so clients can
    build profile links from it whatever case the author typed.  A mention is
    ``is_leading`` when only whitespace (and no other entity) comes before it;
    that makes the post a directed one.

    ``links`` is the client's ``entities.links`` (``None`` when absent).  As
    the App.net docs say, giving it -- even an empty list -- switches off link
    detection unless ``parse_links`` is true; ``parse_links=None`` means
    "the client did not say", so pass the client's value only when it sent
    one.  With ``parse_markdown_links``, ``[anchor](url)`` is replaced by
    ``anchor`` and linked, and ``links`` is discarded (the docs' "overwriting
    any links you provided").

    Client links (markdown or ``entities.links``) win over detected links,
    mentions and hashtags: whatever lies inside one is dropped.  A client link
    in ``entities.links`` that cuts a mention or hashtag in two is an
    EntityError, as documented; for markdown the mention/hashtag is dropped.

    Raises EntityError for malformed ``entities.links``.
    """
    client_links: Sequence[_Link]
    if parse_markdown_links:
        text, client_links = _replace_markdown_links(text)
    elif links is not None:
        client_links = _validate_client_links(text, links)
    else:
        client_links = ()
    detect_links = parse_links if parse_links is not None else links is None

    # URL spans: linked when detection is on and they are http(s) and clear of
    # client links; in every case nothing inside them is a mention/hashtag.
    url_spans = find_urls(text)
    # (start, end, kind, payload) with kind 0 = mention, 1 = hashtag, 2 = client link (a
    # _Link), 3 = detected link (its url)
    found: list[tuple[int, int, int, Any]] = []
    blockers: list[tuple[int, int, _Link | None]] = []
    if client_links:
        for c in client_links:
            found.append((c.start, c.end, 2, c))
            blockers.append((c.start, c.end, c))
    if url_spans:
        for start, end, url in url_spans:
            blockers.append((start, end, None))
            if (
                detect_links
                and url is not None
                and not any(start < c.end and c.start < end for c in client_links)
            ):
                found.append((start, end, 3, url))

    if known_users:
        for start, end, name in find_mentions(text):
            user = known_users.get(name.lower())
            if user is None:
                continue
            if blockers and _blocked(blockers, start, end, "mention", text[start:end]):
                continue
            found.append((start, end, 0, user))
    for start, end, name in find_hashtags(text):
        if blockers and _blocked(blockers, start, end, "hashtag", text[start:end]):
            continue
        found.append((start, end, 1, name))
    if len(found) > 1:
        found.sort(key=_first)

    mentions: list[dict[str, Any]] = []
    hashtags: list[dict[str, Any]] = []
    out_links: list[dict[str, Any]] = []
    # (pos, len, kind, entity) in the stored text, for _render.
    items: list[tuple[int, int, int, Mapping[str, Any]]] = []
    pieces: list[str] = []
    last = 0
    shift = 0  # characters inserted by anti-phishing amendments so far
    for start, end, kind, payload in found:
        pos = start + shift
        length = end - start
        entity: dict[str, Any]
        if kind == 0:
            user_id, username = payload
            # Leading: nothing but whitespace before it, not even another entity.
            leading = not items and (start == 0 or text[:start].isspace())
            entity = {
                "name": username,
                "id": str(user_id),
                "pos": pos,
                "len": length,
                "is_leading": leading,
            }
            mentions.append(entity)
        elif kind == 1:
            entity = {"name": payload, "pos": pos, "len": length}
            hashtags.append(entity)
        elif kind == 3:  # detected links show their own url: never amended
            entity = {"text": text[start:end], "url": payload, "pos": pos, "len": length}
            out_links.append(entity)
            kind = 2
        else:
            link: _Link = payload
            anchor = text[start:end]
            entity = {"text": anchor, "url": link.url, "pos": pos, "len": length}
            host = link.host
            if not _shows_own_domain(anchor, host):
                amendment = f" [{host}]"
                pieces.append(text[last:end])
                pieces.append(amendment)
                last = end
                shift += len(amendment)
                entity["amended_len"] = length + len(amendment)
            if not link.process_template:
                entity["process_template"] = False
            out_links.append(entity)
        items.append((pos, length, kind, entity))
    counted_length = len(text)
    if pieces:
        pieces.append(text[last:])
        text = "".join(pieces)
    entities = {"mentions": mentions, "hashtags": hashtags, "links": out_links}
    return ParsedText(text, entities, _render(text, items), counted_length)


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

_HTML_OPEN = '<span itemscope="https://app.net/schemas/Post">'
_HTML_CLOSE = "</span>"
# Attribute order as in the docs' text-processor example.
_MENTION_HTML = '<span data-mention-id="{}" data-mention-name="{}" itemprop="mention">{}</span>'
_HASHTAG_HTML = '<span data-hashtag-name="{}" itemprop="hashtag">{}</span>'
_LINK_HTML = '<a href="{}">{}</a>'


def _needs_escape(s: str) -> bool:
    # Six substring tests (memchr each) beat one regex class scan several times over.
    return "&" in s or "<" in s or ">" in s or '"' in s or "'" in s or "\n" in s


def _escape_text(s: str) -> str:
    if not _needs_escape(s):  # the common case, and much cheaper
        return s
    return _html.escape(s).replace("\n", "<br>")


def _escape_attr(value: object) -> str:
    s = value if isinstance(value, str) else str(value)
    if s.isalnum():  # ids, usernames, most hashtags: one scan
        return s
    return _html.escape(s) if _needs_escape(s) else s


def _escape_segment(s: str) -> str:
    return _html.escape(s).replace("\n", "<br>")


def _render(text: str, items: list[tuple[int, int, int, Mapping[str, Any]]]) -> str:
    """HTML for ``items`` = ``(pos, len, kind, entity)``, sorted, in range and
    not overlapping; kind 0 = mention, 1 = hashtag, 2 = link."""
    if not items:
        return f"{_HTML_OPEN}{_escape_text(text)}{_HTML_CLOSE}"
    # Most texts have nothing to escape at all: then no segment has either.
    escape = _escape_segment if _needs_escape(text) else str
    out = [_HTML_OPEN]
    append = out.append
    cursor = 0
    for pos, length, kind, entity in items:
        end = pos + length
        if pos > cursor:
            append(escape(text[cursor:pos]))
        inner = escape(text[pos:end])
        if kind == 0:
            user_id, name = entity.get("id", ""), entity.get("name", "")
            append(_MENTION_HTML.format(_escape_attr(user_id), _escape_attr(name), inner))
        elif kind == 1:
            append(_HASHTAG_HTML.format(_escape_attr(entity.get("name", "")), inner))
        else:
            append(_LINK_HTML.format(_escape_attr(entity["url"]), inner))
        cursor = end
    append(escape(text[cursor:]))
    append(_HTML_CLOSE)
    return "".join(out)


def render_html(text: str, entities: Mapping[str, Any]) -> str:
    """Render ``text`` with its entities as App.net html.

    The markup matches the docs' text-processor example::

        <span itemscope="https://app.net/schemas/Post">This is
        <span data-hashtag-name="awesome" itemprop="hashtag">#awesome</span> tell
        <span data-mention-id="3" data-mention-name="voidfiles" itemprop="mention">@voidfiles</span>
        about <a href="http://google.com">http://google.com</a></span>

    Every ``& < > " '`` in the text, urls and names is escaped and newlines
    become ``<br>``.  A link's anti-phishing `` [domain]`` is plain text after
    the ``<a>``.  Entities that are out of range, overlap an earlier one or
    (links) are not http(s) are rendered as plain text rather than trusted, so
    stored data can never produce broken or dangerous markup.
    """
    items: list[tuple[int, int, int, Mapping[str, Any]]] = []
    for kind, key in ((0, "mentions"), (1, "hashtags"), (2, "links")):
        for entity in entities.get(key) or ():
            try:
                pos, length = entity["pos"], entity["len"]
            except (KeyError, TypeError):
                continue
            if type(pos) is not int or type(length) is not int or pos < 0 or length < 1:
                continue
            if kind == 2 and not _is_http_url(entity.get("url")):
                continue
            items.append((pos, length, kind, entity))
    items.sort(key=lambda item: (item[0], item[2]))
    kept: list[tuple[int, int, int, Mapping[str, Any]]] = []
    cursor = 0
    n = len(text)
    for item in items:
        if item[0] >= cursor and item[0] + item[1] <= n:
            kept.append(item)
            cursor = item[0] + item[1]
    return _render(text, kept)


# --------------------------------------------------------------------------
# After saving
# --------------------------------------------------------------------------

_TEMPLATE_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill_uri_templates(entities: Mapping[str, Any], **values: int | str) -> dict[str, Any]:
    """Return a copy of ``entities`` with ``{name}`` in link urls filled in.

    Call it once the object has its id, e.g. ``fill_uri_templates(entities,
    post_id=123)`` or ``message_id=...``, then re-render the html with
    :func:`render_html`.  Variables that are not given are passed through
    unchanged (as the docs require), links created with
    ``"process_template": false`` are left alone, and the
    ``process_template`` marker is removed from the result.  The input is not
    modified.
    """
    filled = dict(entities)
    encoded = {name: quote(str(value), safe="") for name, value in values.items()}

    def substitute(m: re.Match[str]) -> str:
        return encoded.get(m.group(1), m.group())

    new_links = []
    for link in entities.get("links") or ():
        link = dict(link)
        process = link.pop("process_template", True)
        url = link.get("url")
        if process is not False and isinstance(url, str) and "{" in url:
            link["url"] = _TEMPLATE_RE.sub(substitute, url)
        new_links.append(link)
    filled["links"] = new_links
    return filled


def shift_entities(entities: Mapping[str, Any], offset: int) -> dict[str, Any]:
    """Return a copy of ``entities`` with every ``pos`` moved by ``offset``.

    For reposts, whose text is the original's behind a ``>> @username: ``
    prefix: shifting keeps every entity on its own characters.
    """
    shifted: dict[str, Any] = dict(entities)
    for key in ("mentions", "hashtags", "links"):
        shifted[key] = [
            {**entity, "pos": entity["pos"] + offset} for entity in entities.get(key) or ()
        ]
    return shifted
