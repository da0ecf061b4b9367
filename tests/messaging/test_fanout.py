"""The unread fan-out of a broadcast channel on a real Celery worker over real Redis: the API
answers before it finishes, every subscriber ends with exactly one unread row, and a worker
SIGKILLed half-way and started again (the sweep re-enqueues the fan-out) changes that not at
all."""

from __future__ import annotations

import time

import pytest

from messaging.models import Message, MessageFanOut, Subscription, Unread
from messaging.services import channels
from messaging.services.fanout import deliver_unread
from messaging.services.messages import post_message
from users.models import User

from ..processes import celery_worker, wait_for
from .support import ADN

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = 1000
SLOW = {
    "FANOUT_BATCH_SIZE": "50",
    "FANOUT_BATCH_PAUSE_SECONDS": "0.2",
    "FANOUT_RETRY_AFTER_SECONDS": "3",
    "FANOUT_SWEEP_SECONDS": "1",
    "CELERY_VISIBILITY_TIMEOUT": "5",
}


def broadcast_with_subscribers(owner: User, count: int):
    channel = channels.create_channel(
        owner, type="net.app.core.broadcast", readers={"public": True}
    )
    User.objects.bulk_create(User(username=f"s{owner.pk}_{i}") for i in range(count))
    readers = list(
        User.objects.filter(username__startswith=f"s{owner.pk}_").values_list("id", flat=True)
    )
    Subscription.objects.bulk_create(Subscription(channel=channel, user_id=pk) for pk in readers)
    return channel, readers


def unread_by_reader(message_id) -> dict[int, int]:
    counts: dict[int, int] = {}
    for user_id in Unread.objects.filter(message_id=message_id).values_list("user_id", flat=True):
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def test_a_killed_worker_leaves_every_subscriber_exactly_one_unread(make_user, token_for, api):
    owner = make_user("caster")
    channel, readers = broadcast_with_subscribers(owner, SUBSCRIBERS)
    with celery_worker(**SLOW) as worker:
        started = time.monotonic()
        response = api.post(
            f"{ADN}/channels/{channel.pk}/messages", token_for(owner), data={"text": "news"}
        )
        answered = time.monotonic() - started
        assert response.status_code == 200, response.content
        message_id = response.json()["data"]["id"]
        # Answered before the fan-out was done: 20 batches with 0.2 s between them.
        assert not MessageFanOut.objects.filter(
            message_id=message_id, completed_at__isnull=False
        ).exists()
        assert Unread.objects.filter(message_id=message_id).count() < SUBSCRIBERS
        assert answered < 3
        wait_for(
            lambda: Unread.objects.filter(message_id=message_id).count() >= 200,
            60,
            "the fan-out to be under way",
        )
        worker.kill()
    written = Unread.objects.filter(message_id=message_id).count()
    assert 200 <= written < SUBSCRIBERS, "the kill must land mid fan-out"
    with celery_worker(beat=True, **SLOW):
        wait_for(
            lambda: MessageFanOut.objects.filter(
                message_id=message_id, completed_at__isnull=False
            ).exists(),
            120,
            "the fan-out to complete after the restart",
        )
    counts = unread_by_reader(message_id)
    assert set(counts) == set(readers)  # every subscriber, and not the author
    assert set(counts.values()) == {1}
    reader_token = token_for(User.objects.get(pk=readers[0]))
    assert (
        api.get(f"{ADN}/users/me/channels/broadcast/num_unread", reader_token).json()["data"] == 1
    )


def test_delivering_a_message_again_bumps_no_one_twice(make_user):
    owner = make_user("caster")
    channel, readers = broadcast_with_subscribers(owner, 120)
    message = post_message(owner, channel, text="once")  # fanned out when it commits
    Unread.objects.filter(message=message, user_id__in=readers[::2]).delete()
    deliver_unread(Message.objects.get(pk=message.pk))  # as a replayed task would
    deliver_unread(Message.objects.get(pk=message.pk))
    assert unread_by_reader(message.pk) == dict.fromkeys(readers, 1)
