"""Filters the web app's templates use: a user's avatar URL, and a post's time as people say it."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from ..rendering import avatar_of

register = template.Library()


@register.filter
def avatar(user) -> str:
    return avatar_of(user)


@register.filter
def when(moment: datetime) -> str:
    """ "3 minutes ago" within a day, the date after that."""
    age = timezone.now() - moment
    if age.total_seconds() < 60:
        return "just now"
    if age.days < 1:
        return f"{timesince(moment).split(',')[0]} ago"
    return moment.strftime("%-d %b %Y")
