"""Where mentions, hashtags and URLs are in a text: the boundaries, in every script.

Pure Python, used by ``entities.core``. The rules are those of twitter-text's conformance
suite (tests/entities/extract.yml, run by tests/entities/test_conformance.py), with the few
App.net differences listed there, and they are written as Unicode classes rather than lists of
characters, so that a script nobody here thought of behaves like the ones someone did:

* A word is what Unicode's word-break rules (UAX #29) make one: letters (``WB=ALetter``,
  ``Hebrew_Letter``), digits (``Numeric``), marks and ``_``. A mention or hashtag must not
  continue a word on either side (``x@name``, ``@alicé``, ``日本語#タグ`` are not; the one
  exception is the retweet prefix, ``RT@name``), and ideographs, kana and punctuation are not
  word characters, so ``の@usernameに`` is a mention.
* A hashtag is letters, marks, digits and ``_`` held together by what Unicode says joins a word
  (``Join_Control``: ZWNJ/ZWJ; ``Extender``: the Japanese long vowel, the Catalan middle dot;
  ``WB=MidLetter``), plus the few word-internal punctuation marks UAX #29 leaves unclassified
  (Hebrew maqaf, Tibetan tsheg, the Japanese wave dash and full-width tilde, the ditto mark).
* A URL's host ends at the first character that cannot be in a host name, and only at a top-level
  domain from the Public Suffix List (the ``publicsuffixlist`` package's bundled, dated copy);
  without ``http(s)://`` the host is Latin letters and digits, so ``これはexample.com中国語`` finds
  ``example.com``. A path runs over letters of scripts written with spaces (East Asian wide and
  full-width characters end it) and URL punctuation, and does not end in ``.,:;!?'`` or an
  unbalanced ``)``.

Offsets are Python ``str`` indices (code points) throughout.
"""

from __future__ import annotations

import array
import importlib.resources
import re
from typing import NamedTuple

import regex

__all__ = ["find_hashtags", "find_mentions", "find_urls", "mention_names", "top_level_domains"]


# Every code point of planes 0-3 and 14 but the surrogates (the others are unassigned or private
# use: none is a letter, mark, digit or joiner).
def _code_points() -> str:
    cps = array.array("I", range(0xD800))
    cps.extend(range(0xE000, 0x40000))
    cps.extend(range(0xE0000, 0xE0200))
    return cps.tobytes().decode("utf-32-le")


_CODE_POINTS = _code_points()


class Chars(NamedTuple):
    """A set of characters as stdlib ``re`` pattern pieces (see :func:`unicode_class`)."""

    bmp: str  # class body for the code points up to U+FFFF
    astral: str  # and for the rest

    @property
    def one(self) -> str:
        """One character of the set."""
        if not self.astral:
            return f"[{self.bmp}]"
        return f"(?:[{self.bmp}]|{_ASTRAL}(?<=[{self.astral}]))"

    def plus(self, chars: str) -> Chars:
        """The set with some characters below U+FFFF added (cheaper than a unicode_class)."""
        return Chars(self.bmp + "".join(_char(ord(ch)) for ch in chars), self.astral)

    @property
    def run(self) -> str:
        """Any number of characters of the set, never given back (possessive)."""
        if not self.astral:
            return f"[{self.bmp}]*+"
        return f"(?:[{self.bmp}]++|{_ASTRAL}(?<=[{self.astral}]))*+"


_ASTRAL = "[\\U00010000-\\U0010ffff]"


def unicode_class(expression: str) -> Chars:
    """The characters of the ``regex`` module's class ``expression`` (V1 syntax, e.g.
    ``[\\p{L}--\\p{ea=W}]``), as pieces of stdlib ``re`` patterns.

    The rules are written with Unicode properties, which only ``regex`` knows; ``re`` runs
    them several times faster, so each class is translated once, at import. ``re`` keeps the
    part of a class up to U+FFFF as a bitmap but tries the ranges above it one by one, even
    for a character below U+FFFF that is not in the bitmap; so the two parts are kept apart and
    the astral ranges are tried only on an astral character. Ranges separated only by
    unassigned code points are merged.
    """
    ranges: list[list[int]] = []
    for m in regex.finditer(f"(?V1){expression}+", _CODE_POINTS):
        lo, hi = ord(_CODE_POINTS[m.start()]), ord(_CODE_POINTS[m.end() - 1])
        if ranges and _UNASSIGNED.fullmatch(_CODE_POINTS, _index(ranges[-1][1] + 1), _index(lo)):
            ranges[-1][1] = hi
        else:
            ranges.append([lo, hi])
    bmp, astral = [], []
    for lo, hi in ranges:
        if lo <= 0xFFFF < hi:
            bmp.append((lo, 0xFFFF))
            lo = 0x10000
        (bmp if hi <= 0xFFFF else astral).append((lo, hi))
    return Chars(_ranges(bmp), _ranges(astral))


def _ranges(ranges: list[tuple[int, int]]) -> str:
    # Literal characters rather than escapes: re parses them several times faster.
    return "".join(_char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}" for lo, hi in ranges)


def _char(cp: int) -> str:
    ch = chr(cp)
    return "\\" + ch if ch in "\\]^-[" or cp < 0x21 else ch


_UNASSIGNED = regex.compile(r"\p{Cn}*")


def _index(cp: int) -> int:
    """Where code point ``cp`` is in ``_CODE_POINTS``."""
    if cp < 0xD800:
        return cp
    if cp < 0xE0000:  # (code points of planes 4-13 are not in it: where plane 14 starts)
        return min(cp, 0x40000) - 0x800
    return min(cp, 0xE0200) - 0x800 - (0xE0000 - 0x40000)


def _alternation(words: list[str]) -> str:
    """A regex matching any of ``words``, as a trie (``re`` tries the branches of a plain
    alternation one by one; a trie decides on each character)."""
    children: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            children.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    branches = [re.escape(ch) + _alternation(rest) for ch, rest in sorted(children.items())]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def top_level_domains() -> frozenset[str]:
    """Every ICANN top-level domain in the Public Suffix List, lower-cased (IDN ones in
    Unicode, as the list spells them: ``みんな``, ``中国``)."""
    data = (importlib.resources.files("publicsuffixlist") / "public_suffix_list.dat").read_text(
        encoding="utf-8"
    )
    icann = data.split("===BEGIN ICANN DOMAINS===", 1)[1].split("===END ICANN DOMAINS===", 1)[0]
    tlds = set()
    for line in icann.splitlines():
        rule = line.strip()
        if rule and not rule.startswith("//"):
            tlds.add(rule.lstrip("!*.").rsplit(".", 1)[-1].lower())
    return frozenset(tlds)


# --------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------

# A character that makes whatever follows it part of the same word (UAX #29: letters, digits,
# marks; "_" joins words too), and the same or a symbol that glues onto a mention ("f!@name",
# "me@@you").
_WORDISH = unicode_class(r"[\p{WB=ALetter}\p{WB=Hebrew_Letter}\p{WB=Numeric}\p{M}_]")
_GLUED = _WORDISH.plus("!#$%&*@＠＃")


# Not after a word or glued on, not followed by more of a word ("@alicé"), another "@" (an
# e-mail address) or "://". (The lookbehind comes after the "@" so the engine can jump from "@"
# to "@"; it can only when the pattern starts with one literal character, hence a pattern for
# text without the full-width "＠" as well.)
def _mention_re(at: str) -> re.Pattern[str]:
    return re.compile(
        rf"{at}(?<!{_GLUED.one}{at})([A-Za-z0-9_]{{1,20}})(?!{_WORDISH.one}|[@＠]|://)"
    )


_MENTION_RE = _mention_re("[@＠]")
_ASCII_MENTION_RE = _mention_re("@")
# The one word a mention may be glued to: the retweet prefix ("RT@name", as twitter-text).
_RT_MENTION_RE = re.compile(
    rf"(?<![A-Za-z0-9_+~.\-])[Rr][Tt]([@＠]([A-Za-z0-9_]{{1,20}}))(?!{_WORDISH.one}|[@＠]|://)"
)


# The last text searched and its mentions: a post's text is searched twice, once for the names
# to look up and once by parse_text, always as the same string object.
_last_mentions: tuple[str, tuple[tuple[int, int, str], ...]] = ("", ())


def find_mentions(text: str) -> tuple[tuple[int, int, str], ...]:
    """``(start, end, name)`` of every ``@name`` (or ``＠name``); ``end`` is exclusive."""
    global _last_mentions
    last = _last_mentions  # (one read: another thread may replace it meanwhile)
    if last[0] is text:
        return last[1]
    if "@" in text:
        full_width = "＠" in text
    elif "＠" in text:
        full_width = True
    else:
        return ()
    pattern = _MENTION_RE if full_width else _ASCII_MENTION_RE
    found = tuple((m.start(), m.end(), m.group(1)) for m in pattern.finditer(text))
    if "t@" in text or "T@" in text or (full_width and ("t＠" in text or "T＠" in text)):
        rt = [(m.start(1), m.end(), m.group(2)) for m in _RT_MENTION_RE.finditer(text)]
        if rt:
            found = tuple(sorted({*found, *rt}))
    _last_mentions = (text, found)
    return found


def mention_names(text: str) -> set[str]:
    """Lower-cased names of every mention in ``text``."""
    return {name.lower() for _, _, name in find_mentions(text)}


# --------------------------------------------------------------------------
# Hashtags
# --------------------------------------------------------------------------

# Word-internal punctuation that UAX #29 classifies as Other although the scripts use it inside
# words: Hebrew maqaf, Tibetan tsheg, ideographic ditto mark, wave dash, full-width tilde,
# katakana middle dot.
_SCRIPT_JOINERS = "\u05be\u0f0b\u3003\u301c\uff5e\u30fb"
# Letters (and what UAX #29 counts as one, such as the Hebrew geresh), marks, digits, "_", the
# joiners (ZWNJ, ZWJ), extenders (long vowel mark, middle dot)
# and MidLetter without the colons (UAX #29 notes tailorings drop them; "#tag:" is punctuation).
_HASHTAG_CHAR = unicode_class(
    r"[\p{L}\p{WB=ALetter}\p{M}\p{Nd}_\p{Join_Control}\p{Extender}"
    + _SCRIPT_JOINERS
    + r"[\p{WB=MidLetter}--[:\ufe13\ufe55\uff1a]]]"
)
# Not after a word, "&" (HTML entities), another "#" or "@"; variation selectors end an emoji,
# not a word ("✌️#tag").
_BEFORE_HASHTAG = unicode_class(r"[[\p{L}\p{M}\p{Nd}_&#＃@＠]--\p{Variation_Selector}]")


# Not "#️⃣" (a keycap emoji); not followed by another "#" or "://" ("#foo#bar", "#http://x").
# (Two patterns, as for mentions.)
def _hashtag_re(hash_sign: str) -> re.Pattern[str]:
    return re.compile(
        rf"{hash_sign}(?<!{_BEFORE_HASHTAG.one}{hash_sign})(?![\ufe0f\u20e3])"
        rf"({_HASHTAG_CHAR.one}{_HASHTAG_CHAR.run})(?![#＃]|://)"
    )


_HASHTAG_RE = _hashtag_re("[#＃]")
_ASCII_HASHTAG_RE = _hashtag_re("#")
_HAS_LETTER_RE = re.compile(unicode_class(r"[\p{L}_]").one)


def find_hashtags(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of every hashtag: a name with a letter or ``_`` in it."""
    if "＃" in text:
        pattern = _HASHTAG_RE
    elif "#" in text:
        pattern = _ASCII_HASHTAG_RE
    else:
        return []
    found = []
    for m in pattern.finditer(text):
        name = m.group(1)
        # (An ASCII name is letters, digits and "_": it has a letter or "_" unless all digits.)
        if not name.isdigit() if name.isascii() else _HAS_LETTER_RE.search(name):
            found.append((m.start(), m.end(), name))
    return found


# --------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------

TLDS = top_level_domains()

# A character of a host name after "http(s)://": letters, marks and digits of any script and
# pictographs ("http://✪df.ws"); not punctuation, spaces, controls, format characters
# (directional marks) or other symbols.
_HOST_CHAR = unicode_class(r"[\p{L}\p{M}\p{N}\p{So}]")
_HOST_CHAR_OR_DASH = _HOST_CHAR.plus("-")
_HOST_CHAR_OR_JOIN = _HOST_CHAR.plus("_-")
# Without a scheme, only Latin letters and digits (not full-width ones) make a host name.
_BARE = unicode_class(r"[[A-Za-z0-9][\p{Latin}&&\p{L}--\p{ea=F}]]")
_BARE_OR_DASH = _BARE.plus("-")
_NO_BARE_AFTER = _BARE.plus("@$#_./-＠＃")
# What must not follow a top-level domain: more of the word, "@" (an e-mail address), "-" or
# "+" ("domain.com-that", "name.al+x@y.com").
_TLD = f"(?i:{_alternation(sorted(TLDS))})(?!{_WORDISH.one}|[@＠+\\-])"
# Subdomains may hold "_" and "-" inside, the registered name only "-".
_SCHEME_HOST = (
    rf"(?:{_HOST_CHAR.one}{_HOST_CHAR_OR_JOIN.run}(?<![_\-])\.)*"
    rf"{_HOST_CHAR.one}{_HOST_CHAR_OR_DASH.run}(?<!-)\.{_TLD}"
)
_BARE_HOST = rf"(?:{_BARE.one}{_BARE_OR_DASH.run}(?<!-)\.)+{_TLD}"
# Path and query characters: letters, marks and digits of scripts written with spaces (East
# Asian wide and full-width characters end a URL), and the URL punctuation; "{}" for App.net's
# URI templates ("photos.app.net/{post_id}/1", filled in after saving).
_TAIL_CHAR = unicode_class(
    r"[[\p{L}\p{M}\p{Nd}--\p{ea=W}--\p{ea=F}][!*';:=+,.$/%#\[\]\-\u2013_~&|@()?{}]]"
)
_URL_RE = re.compile(
    rf"(?:(?<![A-Za-z0-9@＠$#＃_])(?P<scheme>(?i:https?)://)(?P<host>{_SCHEME_HOST})"
    rf"|(?<!{_NO_BARE_AFTER.one})(?P<bare>{_BARE_HOST}))"
    rf"(?::[0-9]{{1,5}}(?![0-9]))?(?P<tail>[/?]{_TAIL_CHAR.run})?"
)
# Characters a path or query may end with (besides a balanced ")").
_TAIL_END_RE = re.compile(unicode_class(r"[[\p{L}\p{M}\p{Nd}--\p{ea=W}--\p{ea=F}]=_#/+\-&}]").one)
# Twitter's own shortener: a slug of at most 40 letters and digits.
_TCO_SLUG_RE = re.compile(r"/[A-Za-z0-9]+")
# The scheme before a "://". Other schemes than http(s) ("ftp://", "ssh://") are never linked,
# and nothing inside them is an entity.
_SCHEME_BEFORE_RE = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*\Z")
_NON_SPACE_RE = re.compile(r"\S*")
# Every URL has a dot followed by a top-level domain's first character.
_MARKER_RE = re.compile(r"\.[^\W_]")


def _trim_tail(tail: str) -> str:
    """Drop what a URL does not end with: ``.,:;!?'`` and unbalanced ``)``."""
    if tail[-1:].isalnum() and tail[-1:].isascii():
        return tail  # the common case
    end_re = _TAIL_END_RE.match
    while tail:
        last = tail[-1]
        if last == ")":
            if tail.count("(") >= tail.count(")"):
                break
        elif end_re(last) is not None:
            break
        tail = tail[:-1]
    return tail


def _valid_host(host: str) -> bool:
    if len(host) <= 63 and host.isascii():
        return True  # the common case
    for label in host.split("."):
        if len(label) > 63:
            return False
        if label[:4].lower() == "xn--" and not label.isascii():
            return False  # punycode is ASCII by definition
    return True


def _take_url(text: str, m: re.Match[str], found: list[tuple[int, int, str | None]]) -> int:
    """Check the match and add its URL to ``found``; return where to search on from."""
    start, end = m.span()
    scheme, host, bare, matched_tail = m.group("scheme", "host", "bare", "tail")
    host = host or bare
    if not _valid_host(host):
        return start + 1
    if matched_tail:
        tail = matched_tail
        if host == "t.co" or host.lower() == "t.co":
            slug = _TCO_SLUG_RE.match(tail)
            if slug is not None:
                if slug.end() - 1 > 40:
                    return end
                if tail[slug.end() : slug.end() + 1] != "?":
                    tail = tail[: slug.end()]
        tail = _trim_tail(tail)
        end -= len(matched_tail) - len(tail)
    # The classes above hold no character that needs encoding in an href (quotes, angle
    # brackets, controls, format characters): only the scheme is normalised.
    if scheme is None:
        url = "http://" + text[start:end]
    elif scheme.islower():
        url = text[start:end]  # already lower case
    else:
        url = scheme.lower() + text[start + len(scheme) : end]
    found.append((start, end, url))
    return end


def _run_bounds(text: str, dot: int, floor: int) -> tuple[int, int]:
    """The run of text around ``dot`` between spaces or newlines, not before ``floor``.

    Other whitespace (tabs, U+3000, ...) is not looked for: no URL holds whitespace, so a run
    that goes past some only costs the regex a few more positions to try.
    """
    start = max(text.rfind(" ", floor, dot), text.rfind("\n", floor, dot), floor - 1) + 1
    space, newline = text.find(" ", dot), text.find("\n", dot)
    if space < 0:
        return start, len(text) if newline < 0 else newline
    return start, space if newline < 0 or space < newline else newline


def _other_schemes(text: str, found: list[tuple[int, int, str | None]]) -> None:
    i = text.find("://")
    while i >= 0:
        scheme = _SCHEME_BEFORE_RE.search(text, max(0, i - 16), i)
        if scheme is not None and scheme.group().lower() not in ("http", "https"):
            found.append((scheme.start(), _NON_SPACE_RE.match(text, i).end(), None))
        i = text.find("://", i + 3)


def find_urls(text: str) -> list[tuple[int, int, str | None]]:
    """``(start, end, url)`` of every URL; ``url`` is the http(s) link to make of it, or None
    for spans that are not linked but hold no mention or hashtag (``ftp://...``)."""
    found: list[tuple[int, int, str | None]] = []
    if "://" in text:
        _other_schemes(text, found)
    # A URL has no whitespace and holds a marker, so only the runs that hold one are searched
    # (the regex costs tens of nanoseconds for every position it tries).
    marker = _MARKER_RE.search(text)
    pos = 0
    while marker is not None:
        pos, run_end = _run_bounds(text, marker.start(), pos)
        while (m := _URL_RE.search(text, pos, run_end)) is not None:
            pos = _take_url(text, m, found)
        pos = run_end
        marker = _MARKER_RE.search(text, run_end)
    if len(found) > 1:
        found.sort()
    return found
