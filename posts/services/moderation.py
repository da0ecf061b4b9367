"""What the admins do with posts and the reports queue: delete content as a moderator, dismiss
or act on reports. The deletion is the author's own (``posting.erase_post``), so a moderated
post leaves streams, counters and threads exactly as a post its author deleted does.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from core.errors import Refused
from users.services.moderation import suspend

from ..models import Post, Report
from .posting import erase_post


def delete_as_moderator(post_id: int) -> bool:
    """Delete a post whoever wrote it (a suspended author included); False if it was already
    deleted or is gone."""
    post = Post.objects.select_related("user", "repost_of").filter(pk=post_id).first()
    if post is None or post.is_deleted:
        return False
    try:
        erase_post(post)
    except Refused:  # deleted by someone else in the meantime
        return False
    return True


def dismiss_reports(report_ids: Iterable[int]) -> int:
    """Close open reports without acting on them; returns how many were open."""
    return Report.objects.filter(pk__in=list(report_ids), status=Report.Status.OPEN).update(
        status=Report.Status.DISMISSED
    )


def delete_reported_content(report_ids: Iterable[int]) -> tuple[int, int]:
    """Delete the posts (or comments) the reports name and close every open report of them.
    Returns (posts deleted, reports actioned)."""
    report_ids = list(report_ids)
    post_ids = set(
        Report.objects.filter(pk__in=report_ids, post__isnull=False).values_list(
            "post_id", flat=True
        )
    )
    deleted = sum(delete_as_moderator(post_id) for post_id in sorted(post_ids))
    actioned = _action(Report.objects.filter(post_id__in=post_ids), report_ids)
    return deleted, actioned


def suspend_reported_authors(report_ids: Iterable[int]) -> tuple[int, int]:
    """Suspend the authors of the reported posts and close every open report of their posts.
    Returns (users suspended, reports actioned)."""
    report_ids = list(report_ids)
    author_ids = set(
        Report.objects.filter(pk__in=report_ids, post__isnull=False).values_list(
            "post__user_id", flat=True
        )
    )
    suspended = suspend(author_ids)
    actioned = _action(Report.objects.filter(post__user_id__in=author_ids), report_ids)
    return len(suspended), actioned


def _action(related: QuerySet, report_ids: list[int]) -> int:
    """Mark actioned the chosen reports (whatever their state) and the open ones they settle."""
    chosen = Report.objects.filter(pk__in=report_ids, post__isnull=False).exclude(
        status=Report.Status.ACTIONED
    )
    settled = related.filter(status=Report.Status.OPEN)
    return (chosen | settled).update(status=Report.Status.ACTIONED)
