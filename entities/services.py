"""The Django side of entity parsing: resolve mentioned names to users in one query, and the
one rule for a post's text that every endpoint taking post text applies."""

from __future__ import annotations

from django.conf import settings
from django.db.models.functions import Lower

from core.errors import Refused, invalid
from core.inputs import storable_text
from users.models import User

from .core import EntityError, ParsedText, mention_candidates, parse_text
from .options import EntityOptions


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


def _too_long(length: int, limit: int) -> Refused:
    return invalid(
        f"text is {length} characters long; the limit is {limit} "
        "(counted in Unicode code points: an emoji counts as one)."
    )


def process_post_text(
    text, options: EntityOptions | None = None, *, limit: int | None = None
) -> ParsedText:
    """Check and process text as a new post's: a string PostgreSQL can store, within the limit
    once markdown links are reduced to their anchor text (the anti-phishing ``[domain]`` does
    not count). Used by post creation and by every dialect's text processor."""
    options = options or EntityOptions()
    limit = settings.POST_TEXT_MAX_LENGTH if limit is None else limit
    text = "" if text is None else text
    if not isinstance(text, str):
        raise invalid("text must be a string.")
    if not storable_text(text):
        raise invalid("text contains a NUL character or a lone surrogate.")
    # Without markdown the stored length is the sent length: refuse before parsing it.
    if not options.parse_markdown_links and len(text) > limit:
        raise _too_long(len(text), limit)
    parse_links = options.links is None if options.parse_links is None else options.parse_links
    try:
        processed = process_text(
            text,
            parse_links=parse_links,
            parse_markdown_links=options.parse_markdown_links,
            links=options.links,
        )
    except EntityError as error:
        raise invalid(str(error)) from None
    if processed.counted_length > limit:
        raise _too_long(processed.counted_length, limit)
    return processed
