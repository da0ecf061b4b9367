"""The fan-out outbox and the Celery tasks that work it.

Services call ``record_fan_out`` inside the transaction that creates a post or repost, and
``follow_changed`` when a follow comes or goes; the work itself (``services.fanout``) runs on a
worker once the change has committed. Tasks are at-least-once (acks late, redelivered if a worker
dies) and idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from celery import Task, shared_task
from celery.exceptions import Reject
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import FanOut
from .services import fanout, trim

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 12,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


class FanOutTask(Task):
    """A failed fan-out whose retry the broker will not take (it is down: Celery then rejects
    the message, which is gone) goes back to the outbox: marked not enqueued, the next sweep
    enqueues it, instead of waiting FANOUT_RETRY_AFTER_SECONDS for its enqueue to go stale."""

    def retry(self, *args, **kwargs):
        try:
            return super().retry(*args, **kwargs)
        except Reject:
            args, kwargs = self.request.args or (), self.request.kwargs or {}
            release_fan_out(args[0] if args else kwargs["fan_out_id"])
            raise


def release_fan_out(fan_out_id: int) -> None:
    try:
        FanOut.objects.filter(pk=fan_out_id, completed_at__isnull=True).update(enqueued_at=None)
    except Exception:  # the database is down too: the sweep finds the row stale later
        logger.warning("fan-out %s not released to the sweep", fan_out_id, exc_info=True)


@shared_task(base=FanOutTask, **RETRY)
def fan_out_post(fan_out_id: int) -> None:
    fanout.run_fan_out(fan_out_id)


@shared_task(**RETRY)
def merge_followee(follower_id: int, followee_id: int) -> None:
    fanout.merge_followee(follower_id, followee_id)


@shared_task(**RETRY)
def remove_followee(follower_id: int, followee_id: int) -> None:
    fanout.remove_followee(follower_id, followee_id)


def record_fan_out(post) -> None:
    """Called inside the post's transaction: the outbox row commits with the post, and the task
    is enqueued once it has."""
    fan_out = FanOut.objects.create(post=post)
    transaction.on_commit(lambda: enqueue_fan_out(fan_out.pk))


def enqueue_fan_out(fan_out_id: int) -> bool:
    """Hand the fan-out to the broker; False (and the row stays pending) if it is unreachable.

    One attempt, no retry (nor kombu's connection retries: ``max_retries`` in the broker's
    transport options) and short timeouts: a write whose broker is down answers at once."""
    try:
        fan_out_post.apply_async((fan_out_id,), retry=False)
    except Exception:  # the broker is down: the sweep will enqueue it later
        logger.warning("broker unreachable; fan-out %s left pending", fan_out_id, exc_info=True)
        return False
    FanOut.objects.filter(pk=fan_out_id, completed_at__isnull=True).update(
        enqueued_at=timezone.now()
    )
    return True


def follow_changed(follower_id: int, followee_id: int, *, following: bool) -> None:
    """Called inside the transaction that adds or removes a follow: once it commits, the
    followee's posts join (or leave) the follower's stream."""
    task = merge_followee if following else remove_followee
    transaction.on_commit(lambda: _run_bounded(task, follower_id, followee_id))


def _run_bounded(task, *args) -> None:
    """Enqueue a bounded graph task (one attempt, as ``enqueue_fan_out``); run it here if the
    broker is unreachable."""
    try:
        task.apply_async(args, retry=False)
    except Exception:
        logger.warning("broker unreachable; running %s inline", task.name, exc_info=True)
        task.run(*args)


@shared_task(acks_late=True)
def sweep_pending_fan_outs() -> int:
    """Enqueue fan-outs the broker never took or lost (not enqueued: the next sweep), or whose
    worker has gone quiet too long (enqueued more than FANOUT_RETRY_AFTER_SECONDS ago: a worker
    killed mid fan-out). Returns how many it enqueued.

    Each row is claimed (its enqueue time set, if it is still due) before it is enqueued, so two
    sweeps at once do not both enqueue it. A fan-out enqueued twice all the same (by a sweep and
    a late retry) does no harm: delivering is idempotent, and one that finds its row completed
    does nothing."""
    return sweep_outbox(FanOut.objects.all(), enqueue_fan_out, release_fan_out)


def sweep_outbox(
    rows: QuerySet, enqueue: Callable[[int], bool], release: Callable[[int], None]
) -> int:
    """Enqueue an outbox's due rows (``completed_at`` unset; ``enqueued_at`` unset or older than
    FANOUT_RETRY_AFTER_SECONDS), each claimed first; stop at the first the broker refuses,
    handing it back with ``release``. Shared by every outbox (fan-outs, derived files)."""
    stale = timezone.now() - timedelta(seconds=settings.FANOUT_RETRY_AFTER_SECONDS)
    due = rows.filter(completed_at__isnull=True).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    )
    enqueued = 0
    for row_id in list(due.order_by("id").values_list("id", flat=True)[:1000]):
        if not due.filter(pk=row_id).update(enqueued_at=timezone.now()):
            continue  # another sweep took it
        if not enqueue(row_id):
            release(row_id)
            break  # the broker is down: the rest wait for the next sweep
        enqueued += 1
    return enqueued


@shared_task(acks_late=True)
def trim_streams() -> int:
    """Cut each owner's stream to STREAM_MAX_ROWS (``services.trim``); returns rows removed."""
    report = trim.trim_streams()
    logger.info("trimmed %s streams of %s, %s rows", report.trimmed, report.owners, report.removed)
    return report.removed
