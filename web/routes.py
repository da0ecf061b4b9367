"""Which first path segments are routes rather than usernames.

``/{username}`` is the last route of the URLconf, so nothing it could match shadows another
route; a name equal to some other route's first segment (``admin``, ``stream``, ``home``, …)
would never reach its profile, so signing up with one is refused. The list is read from the
URLconf itself, so a route added later is reserved without anyone remembering to.
"""

from __future__ import annotations

from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

# Names that are no route today but read as the server's own, and names of static prefixes.
ALWAYS = {"static", "media", "files", "about", "help", "settings", "api", "www", "me", "docs"}


def _first_segment(pattern) -> str:
    text = str(pattern.pattern).lstrip("^")
    for stop in "/<([$?\\":
        text = text.split(stop)[0]
    return text.lower()


@cache
def reserved_names() -> frozenset[str]:
    names = set(ALWAYS)
    for entry in get_resolver().url_patterns:
        segment = _first_segment(entry)
        if segment:
            names.add(segment)
        if isinstance(entry, URLResolver) and not segment:
            for inner in entry.url_patterns:
                if isinstance(inner, URLPattern | URLResolver) and (name := _first_segment(inner)):
                    names.add(name)
    return frozenset(names)


def is_reserved(username: str) -> bool:
    return username.lower() in reserved_names()
