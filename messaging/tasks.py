"""The unread fan-out's outbox and the Celery tasks that work it, as ``streams.tasks`` for
posts: ``record_fan_out`` writes the outbox row in the message's transaction and enqueues the
task once it commits; if the broker is down then, or the worker dies mid-way, the periodic
sweep enqueues it again. Delivering is idempotent, so a fan-out run twice bumps no one twice.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from streams.tasks import RETRY, sweep_outbox

from .models import MessageFanOut
from .services import fanout

logger = logging.getLogger(__name__)


@shared_task(**RETRY)
def fan_out_message(fan_out_id: int) -> None:
    fanout.run_fan_out(fan_out_id)


def record_fan_out(message) -> None:
    """Called inside the message's transaction."""
    fan_out = MessageFanOut.objects.create(message=message)
    transaction.on_commit(lambda: enqueue_fan_out(fan_out.pk))


def enqueue_fan_out(fan_out_id: int) -> bool:
    """One attempt to hand the fan-out to the broker; False (the row stays pending for the
    sweep) if it is unreachable, so a message answers at once with the broker down."""
    try:
        fan_out_message.apply_async((fan_out_id,), retry=False)
    except Exception:
        logger.warning("broker unreachable; message fan-out %s left pending", fan_out_id)
        return False
    MessageFanOut.objects.filter(pk=fan_out_id, completed_at__isnull=True).update(
        enqueued_at=timezone.now()
    )
    return True


def release_fan_out(fan_out_id: int) -> None:
    MessageFanOut.objects.filter(pk=fan_out_id, completed_at__isnull=True).update(enqueued_at=None)


@shared_task(acks_late=True)
def sweep_pending_message_fan_outs() -> int:
    """Enqueue message fan-outs the broker never took, or whose worker went quiet too long
    (``streams.tasks.sweep_outbox``, shared by every outbox). Returns how many it enqueued."""
    return sweep_outbox(MessageFanOut.objects.all(), enqueue_fan_out, release_fan_out)
