"""diaspora's spelling of a mention, ``@{user@host}`` or ``@{Name; user@host}``.

One rule both ways: a diaspora mention of a local user (host = ``PUBLIC_HOST``) is written as the
domain's ``@username`` before the text reaches ``create_post``, so the entity parser, the mentions
stream and every dialect see an ordinary mention; on the way out each mention entity is spelled
back as ``@{username@host}``. Mentions of people on other pods stay as typed (no such user here).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from users.models.user import USERNAME_PATTERN

# ``@{`` optional ``Name;`` then ``user@host`` and ``}``; the name may not contain ``;{}``.
DIASPORA_MENTION = re.compile(r"@\{(?:[^;{}]*;\s*)?([^@{};\s]+)@([^{};\s]+)\s*\}")
USERNAME = re.compile(USERNAME_PATTERN)


def diaspora_id(username: str) -> str:
    return f"{username}@{settings.PUBLIC_HOST}"


def to_domain_text(body: str) -> str:
    """``@{alice@this.host}`` and ``@{Alice; alice@this.host}`` become ``@alice``."""
    host = settings.PUBLIC_HOST.lower()

    def local(match: re.Match[str]) -> str:
        user, mention_host = match.group(1), match.group(2)
        if mention_host.lower() != host or not USERNAME.match(user):
            return match.group(0)
        return f"@{user}"

    return DIASPORA_MENTION.sub(local, body)


def to_diaspora_body(text: str, entities: Mapping[str, Any]) -> str:
    """The text with each mention entity (``pos``/``len`` in code points, as Python indexes
    strings) spelled ``@{username@host}``."""
    mentions = sorted(entities.get("mentions", []), key=lambda m: m["pos"])
    parts, cursor = [], 0
    for mention in mentions:
        start = mention["pos"]
        parts.append(text[cursor:start])
        parts.append(f"@{{{diaspora_id(mention['name'])}}}")
        cursor = start + mention["len"]
    parts.append(text[cursor:])
    return "".join(parts)


def mentioned_ids(entities: Mapping[str, Any]) -> list[int]:
    """Ids of the mentioned users, first mention first, each once."""
    ids = (int(m["id"]) for m in entities.get("mentions", []) if m.get("id"))
    return list(dict.fromkeys(ids))
