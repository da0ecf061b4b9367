"""Reports of posts for the admins' moderation queue."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from adn_api.errors import BadRequest, Conflict
from adn_api.text import storable_text
from users.models import User

from ..models import Post, Report

MAX_REASON = 1000


def report_post(reporter: User, post: Post, reason: str = "") -> Report:
    """Raises Conflict when this user already reported this post."""
    if not isinstance(reason, str) or len(reason) > MAX_REASON or not storable_text(reason):
        raise BadRequest(f"reason must be text of at most {MAX_REASON} characters.")
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=reporter, post=post, reason=reason)
    except IntegrityError:
        raise Conflict("This item already has been reported by this user") from None
