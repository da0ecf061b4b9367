"""Reports of messages and what the admins do with them: the same steps as for posts'
reports (posts.services.moderation), over messages, in the same queue (posts.Report). A
moderator's delete is the author's own (``messages.delete_message``): a tombstone, out of
every unread count."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from core.errors import Reason, Refused
from posts.models import Report
from posts.services.reports import check_reason
from users.models import User
from users.services.moderation import suspend

from ..models import Message
from .messages import delete_message


def report_message(reporter: User, message: Message, reason: str = "") -> Report:
    """Queue ``message`` (which the reporter found readable) for the admins. Refused (already
    done) when this user reported it before, (invalid) a reason that is not short text."""
    check_reason(reason)
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=reporter, message=message, reason=reason)
    except IntegrityError:
        raise Refused(Reason.ALREADY_DONE, "You already reported this message.") from None


def delete_as_moderator(message_id: int) -> bool:
    """Delete a message whoever wrote it; False if it was already deleted or is gone."""
    message = Message.objects.filter(pk=message_id).select_related("user").first()
    if message is None or message.is_deleted:
        return False
    try:
        delete_message(message.user, message)
    except Refused:  # deleted meanwhile
        return False
    return True


def _close(reports: list[Report]) -> int:
    """Mark actioned the chosen reports and every open report of their messages; returns how
    many."""
    chosen = Report.objects.filter(pk__in=[r.pk for r in reports]).exclude(
        status=Report.Status.ACTIONED
    )
    settled = Report.objects.filter(
        message_id__in={r.message_id for r in reports}, status=Report.Status.OPEN
    )
    return (chosen | settled).update(status=Report.Status.ACTIONED)


def _reports(report_ids: Iterable[int]) -> list[Report]:
    """The reports of messages among these (the queue holds posts' too)."""
    return list(
        Report.objects.filter(pk__in=list(report_ids), message__isnull=False).select_related(
            "message"
        )
    )


def delete_reported_messages(report_ids: Iterable[int]) -> tuple[int, int]:
    """Delete the reported messages and close every open report of them; returns (deleted,
    reports actioned). Reports of posts among ``report_ids`` are left alone."""
    reports = _reports(report_ids)
    deleted = sum(delete_as_moderator(pk) for pk in sorted({r.message_id for r in reports}))
    return deleted, _close(reports)


def suspend_reported_authors(report_ids: Iterable[int]) -> tuple[int, int]:
    """Suspend the authors of the reported messages; returns (suspended, reports actioned)."""
    reports = _reports(report_ids)
    suspended = suspend({r.message.user_id for r in reports})
    return len(suspended), _close(reports)
