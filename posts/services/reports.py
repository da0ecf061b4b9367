"""Reports of posts for the admins' moderation queue."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from core.errors import Reason, Refused, invalid
from core.inputs import storable_text
from users.models import User
from users.services.graph import mute

from ..models import Post, Report

MAX_REASON = 1000


def check_reason(reason) -> None:
    """A report's reason: text of at most MAX_REASON characters that can be stored."""
    if not isinstance(reason, str) or len(reason) > MAX_REASON or not storable_text(reason):
        raise invalid(f"reason must be text of at most {MAX_REASON} characters.")


def report_post(reporter: User, post: Post, reason: str = "") -> Report:
    """Refused (already done) when this user already reported this post."""
    check_reason(reason)
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=reporter, post=post, reason=reason)
    except IntegrityError:
        raise Refused(Reason.ALREADY_DONE, "You already reported this post.") from None


def report_spam(reporter: User, post: Post, reason: str = "") -> Post:
    """App.net's report: the post (a repost's original, which holds the content) goes to the
    admins' queue and its author is muted for the reporter. Reporting again is no error, as
    App.net answered it like the first time. Returns the reported post."""
    post = post.original
    try:
        report_post(reporter, post, reason)
    except Refused as refusal:
        if refusal.reason is not Reason.ALREADY_DONE:
            raise
    if post.user_id != reporter.pk:
        mute(reporter, post.user)
    return post
