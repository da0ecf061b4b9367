"""Filters the web app's templates use: a user's avatar URL, and a post's time as people say it."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from ..rendering import uploaded_avatar

HUES = 8

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


@register.filter
def when(moment: datetime) -> str:
    """ "3 minutes ago" within a day, the date after that."""
    age = timezone.now() - moment
    if age.total_seconds() < 60:
        return "just now"
    if age.days < 1:
        return f"{timesince(moment).split(',')[0]} ago"
    return moment.strftime("%-d %b %Y")
