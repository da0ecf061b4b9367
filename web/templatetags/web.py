"""Filters the web app's templates use: a user's avatar URL, and a post's time as people say it."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from .. import cards
from ..rendering import HUES, uploaded_avatar, when

register = template.Library()


@register.inclusion_tag("web/_avatar.html")
def avatar(user, size: int = 48) -> dict:
    """The user's avatar, or their initial on a colour of their own (one of ``HUES``)."""
    return {
        "url": uploaded_avatar(user),
        "size": size,
        "initial": user.username[:1].upper(),
        "hue": user.pk % HUES,
    }


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
