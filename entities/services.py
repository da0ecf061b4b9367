"""The Django side of entity parsing: resolve mentioned names to users in one query."""

from __future__ import annotations

from django.db.models.functions import Lower

from users.models import User

from .core import ParsedText, mention_candidates, parse_text


def known_users(names: set[str]) -> dict[str, tuple[int, str]]:
    if not names:
        return {}
    rows = (
        User.objects.annotate(lower_name=Lower("username"))
        .filter(lower_name__in=names, is_active=True)
        .values_list("lower_name", "id", "username")
    )
    return {lower: (user_id, username) for lower, user_id, username in rows}


def process_text(
    text: str,
    *,
    parse_links: bool = True,
    parse_markdown_links: bool = False,
    links: list[dict] | None = None,
) -> ParsedText:
    return parse_text(
        text,
        known_users=known_users(mention_candidates(text)),
        parse_links=parse_links,
        parse_markdown_links=parse_markdown_links,
        links=links,
    )
