"""Celery tasks: at-least-once (acks late, redelivered if a worker dies) and idempotent."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import FanOut
from .services import fanout

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 12,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(**RETRY)
def fan_out_post(fan_out_id: int) -> None:
    fanout.run_fan_out(fan_out_id)


@shared_task(**RETRY)
def merge_followee(follower_id: int, followee_id: int) -> None:
    fanout.merge_followee(follower_id, followee_id)


@shared_task(**RETRY)
def remove_followee(follower_id: int, followee_id: int) -> None:
    fanout.remove_followee(follower_id, followee_id)


@shared_task(acks_late=True)
def sweep_pending_fan_outs() -> int:
    """Enqueue fan-outs the broker never took, or whose worker has gone quiet too long."""
    stale = timezone.now() - timedelta(seconds=settings.FANOUT_RETRY_AFTER_SECONDS)
    pending = (
        FanOut.objects.filter(completed_at__isnull=True)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
    return sum(fanout.enqueue_fan_out(fan_out_id) for fan_out_id in pending)
