"""The derived-files outbox and the Celery tasks that work it (the shape of streams/tasks.py).

``record_derivation`` runs inside the transaction that completes an image: the outbox row
commits with it and the task is enqueued once it has, so the API answers before the thumbnails
exist. A broker that is down leaves the row pending for ``sweep_pending_derivations``.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from streams.tasks import RETRY, sweep_outbox

from .models import Derivation
from .services import derive

logger = logging.getLogger(__name__)


@shared_task(**RETRY)
def derive_files(derivation_id: int) -> None:
    derive.make_derived_files(derivation_id)


def record_derivation(file) -> None:
    derivation, _ = Derivation.objects.get_or_create(file=file)
    transaction.on_commit(lambda: enqueue_derivation(derivation.pk))


def enqueue_derivation(derivation_id: int) -> bool:
    """One attempt, short timeouts (as streams.tasks.enqueue_fan_out): False if the broker is
    unreachable, and the row waits for the sweep."""
    try:
        derive_files.apply_async((derivation_id,), retry=False)
    except Exception:
        logger.warning(
            "broker unreachable; derivation %s left pending", derivation_id, exc_info=True
        )
        return False
    Derivation.objects.filter(pk=derivation_id, completed_at__isnull=True).update(
        enqueued_at=timezone.now()
    )
    return True


@shared_task(acks_late=True)
def sweep_pending_derivations() -> int:
    """Enqueue derivations the broker never took, or whose worker went quiet."""
    return sweep_outbox(Derivation.objects.all(), enqueue_derivation, release_derivation)


def release_derivation(derivation_id: int) -> None:
    Derivation.objects.filter(pk=derivation_id, completed_at__isnull=True).update(enqueued_at=None)


@shared_task(acks_late=True)
def sweep_incomplete_files() -> int:
    return derive.sweep_incomplete()
