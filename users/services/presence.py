"""pnut's presence: ``PUT users/me/presence`` says one is here (with an optional status),
``GET presence`` lists who said so in the last 15 minutes, newest first. ``offline`` ends it."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from core.errors import invalid
from core.inputs import storable_text

from ..models import Presence, User, visible_users

RECENT = timedelta(minutes=15)
MAX_STATUS = 100
MAX_LISTED = 200  # one page: presence is a glance at who is here, not an archive


def set_presence(user: User, status: str | None) -> Presence | None:
    """Record the user as present with ``status`` (``online`` by default); ``offline`` removes
    the row (None)."""
    status = "online" if status is None else status
    if not isinstance(status, str) or not status.strip() or len(status) > MAX_STATUS:
        raise invalid(f"presence must be a text of 1 to {MAX_STATUS} characters.")
    if not storable_text(status):
        raise invalid("presence must not contain NUL characters or lone surrogates.")
    if status.strip() == "offline":
        Presence.objects.filter(user=user).delete()
        return None
    presence, _ = Presence.objects.update_or_create(
        user=user, defaults={"status": status.strip(), "last_seen_at": timezone.now()}
    )
    return presence


def present(viewer: User | None) -> QuerySet:
    """Who is present now, as a list shows users (blocks and suspensions left out)."""
    since = timezone.now() - RECENT
    rows = Presence.objects.filter(visible_users(viewer, "user__"), last_seen_at__gte=since)
    return rows.select_related("user").order_by("-last_seen_at")


def presence_of(user_ids: set[int]) -> dict[int, str]:
    """The users' presence now (pnut's ``include_presence``), one query: their status if they
    said it in the last 15 minutes; users not here are left out (``offline``)."""
    if not user_ids:
        return {}
    since = timezone.now() - RECENT
    rows = Presence.objects.filter(user_id__in=user_ids, last_seen_at__gte=since)
    return dict(rows.values_list("user_id", "status"))
