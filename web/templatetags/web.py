"""Filters the web app's templates use: a user's avatar URL, and a post's time as people say it."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .. import cards
from ..rendering import HUES, uploaded_avatar, when

register = template.Library()


@register.simple_tag
def avatar(user, size: int = 48) -> SafeString:
    """The user's avatar, or their initial on a colour of their own (one of ``HUES``)."""
    url = uploaded_avatar(user)
    if url:
        return format_html(
            '<img class="avatar-img s{}" src="{}" alt="" width="{}" height="{}" loading="lazy">\n',
            size,
            url,
            size,
            size,
        )
    return format_html(
        '<span class="avatar-img initial s{} hue-{}" aria-hidden="true">{}</span>\n',
        size,
        user.pk % HUES,
        user.username[:1].upper(),
    )


register.filter("when", when)


@register.simple_tag(takes_context=True)
def post_card(context, card, highlight: bool = False, in_thread: bool = False):
    """One post (``web/cards.py``)."""
    return cards.post_card(
        card,
        context["request"],
        signed_in=context.get("viewer") is not None,
        highlight=highlight,
        in_thread=in_thread,
    )


@register.simple_tag(takes_context=True)
def post_cards(context, page_cards) -> SafeString:
    """A page's posts, one after the other: one tag rather than one per post."""
    request, signed_in = context["request"], context.get("viewer") is not None
    written = (cards.post_card(card, request, signed_in=signed_in) for card in page_cards)
    return mark_safe("".join(written))  # noqa: S308 - each card is escaped html (web/cards.py)
