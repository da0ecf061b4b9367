"""The unread fan-out of a message: one ``Unread`` row for each subscriber but its author.

Subscribers are walked in batches by subscription id (keyset, no OFFSET); each batch is one
INSERT … SELECT that skips rows already there, so a replayed batch (a retried task, a worker
killed half-way) bumps no one twice. On PostgreSQL the subscriptions are read ``FOR SHARE``:
a stream marker moving past this message at the same time (which updates the subscription,
then deletes the unread rows it covers) either waits for this batch or is waited for and
seen, so a message marked read never comes back unread.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from users.models import Block

from ..models import Channel, Message, MessageFanOut, Subscription, Unread


def _next_batch(channel_id: int, after: int, size: int) -> tuple[int, int]:
    """The last subscription id of the next batch, and the batch's size (0: none left)."""
    ids = list(
        Subscription.objects.filter(channel_id=channel_id, id__gt=after)
        .order_by("id")
        .values_list("id", flat=True)[:size]
    )
    return (ids[-1], len(ids)) if ids else (after, 0)


def _write_batch(message: Message, low: int, high: int) -> None:
    subs = Subscription._meta.db_table
    unread = Unread._meta.db_table
    block = Block._meta.db_table
    lock = " FOR SHARE OF s" if connection.vendor == "postgresql" else ""
    share = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with transaction.atomic(), connection.cursor() as cursor:
        # A message deleted meanwhile gets no unread rows: its delete, which locks the row and
        # removes them, waits for this batch or is seen by it.
        cursor.execute(
            f"SELECT 1 FROM {Message._meta.db_table} WHERE id = %s AND NOT is_deleted{share}",
            [message.pk],
        )
        if cursor.fetchone() is None:
            return
        cursor.execute(
            f"INSERT INTO {unread} (user_id, channel_id, message_id, kind) "
            f"SELECT s.user_id, s.channel_id, %s, "
            f"(SELECT type FROM {Channel._meta.db_table} WHERE id = s.channel_id) FROM {subs} s "
            f"WHERE s.channel_id = %s AND s.id > %s AND s.id <= %s "
            f"AND s.user_id <> %s AND s.last_read_id < %s "
            f"AND NOT EXISTS (SELECT 1 FROM {block} b WHERE "
            f"(b.blocker_id = s.user_id AND b.blocked_id = %s) "
            f"OR (b.blocker_id = %s AND b.blocked_id = s.user_id)){lock} "
            "ON CONFLICT DO NOTHING",
            [
                message.pk,
                message.channel_id,
                low,
                high,
                message.user_id,
                message.pk,
                message.user_id,
                message.user_id,
            ],
        )


def deliver_unread(message: Message) -> int:
    """Give every subscriber of the message's channel (but its author, readers past it, and
    those on either side of a block with the author) one unread row; returns how many
    subscriptions were walked."""
    walked, low = 0, 0
    size = settings.FANOUT_BATCH_SIZE
    while True:
        high, count = _next_batch(message.channel_id, low, size)
        if not count:
            return walked
        _write_batch(message, low, high)
        walked += count
        low = high
        if settings.FANOUT_BATCH_PAUSE_SECONDS:
            time.sleep(settings.FANOUT_BATCH_PAUSE_SECONDS)


def run_fan_out(fan_out_id: int) -> None:
    fan_out = MessageFanOut.objects.select_related("message").filter(pk=fan_out_id).first()
    if fan_out is None or fan_out.completed_at is not None:
        return  # the message is gone, or a replayed task finds the work done
    message = Message.objects.get(pk=fan_out.message_id)  # afresh: deleted meanwhile?
    walked = deliver_unread(message)
    MessageFanOut.objects.filter(pk=fan_out.pk).update(
        completed_at=timezone.now(), delivered=walked
    )
