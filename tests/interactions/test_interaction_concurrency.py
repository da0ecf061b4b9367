"""100 concurrent stars and follows through the API leave exactly one interaction per star and
per follow (the callers' locks and the partial unique constraints), and undoing removes it."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from interactions.models import BROADCAST_CREATE, BROADCAST_SUBSCRIBE, FOLLOW, STAR, Interaction
from messaging.services.channels import create_channel

from ..conftest import Api
from ..post_support import POSTS, quick_post

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

THREADS = 25  # the database's 100 connections are shared with other test runs


def run_all(calls: list[tuple[str, str, str]]) -> list[int]:
    """Run the calls from THREADS threads released together; each call's status."""
    barrier = threading.Barrier(THREADS, timeout=60)
    chunks = [calls[i::THREADS] for i in range(THREADS)]

    def worker(chunk):
        try:
            barrier.wait()
            return [Api().call(method, path, token).status_code for method, path, token in chunk]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return [status for statuses in pool.map(worker, chunks) for status in statuses]


def test_a_hundred_concurrent_stars_and_follows_leave_one_interaction_each(make_user, token_for):
    alice = make_user("alice")
    post = quick_post(alice, "star-worthy")
    fans = [make_user(f"fan{i}") for i in range(10)]
    tokens = {fan.pk: token_for(fan) for fan in fans}
    calls = []
    for fan in fans:  # each fan stars five times and follows five times, all at once
        calls += [("POST", f"{POSTS}/{post.pk}/star", tokens[fan.pk])] * 5
        calls += [("POST", f"/stream/0/users/{alice.pk}/follow", tokens[fan.pk])] * 5
    random.shuffle(calls)
    assert run_all(calls) == [200] * 100
    rows = Interaction.objects.filter(user=alice)
    assert sorted(rows.filter(action=STAR).values_list("actor_id", flat=True)) == sorted(
        fan.pk for fan in fans
    )
    assert rows.filter(action=FOLLOW).count() == 10
    assert rows.count() == 20

    undo = [("DELETE", f"{POSTS}/{post.pk}/star", tokens[fan.pk]) for fan in fans] * 5
    assert run_all(undo) == [200] * 50
    assert not rows.filter(action=STAR).exists()
    assert rows.filter(action=FOLLOW).count() == 10


def test_concurrent_subscribes_and_unsubscribes_leave_one_interaction_per_subscriber(
    make_user, token_for
):
    """A broadcast channel's owner has one row per subscriber: their latest subscribe or
    unsubscribe, whatever the concurrency (the channel lock and the partial unique constraint)."""
    alice = make_user("alice")
    cast = create_channel(alice, type="net.app.core.broadcast", readers={"public": True})
    fans = [make_user(f"fan{i}") for i in range(10)]
    tokens = {fan.pk: token_for(fan) for fan in fans}
    path = f"/stream/0/channels/{cast.pk}/subscribe"
    calls = []
    for fan in fans:  # five subscribes each, at once
        calls += [("POST", path, tokens[fan.pk])] * 5
    random.shuffle(calls)
    assert run_all(calls) == [200] * 50
    rows = Interaction.objects.filter(user=alice, channel=cast)
    assert sorted(rows.filter(action=BROADCAST_SUBSCRIBE).values_list("actor_id", flat=True)) == (
        sorted(fan.pk for fan in fans)
    )
    # Then subscribes and unsubscribes mixed: whatever the order, one row per fan.
    calls = [("DELETE", path, tokens[fan.pk]) for fan in fans] * 3
    calls += [("POST", path, tokens[fan.pk]) for fan in fans] * 2
    random.shuffle(calls)
    assert run_all(calls) == [200] * 50
    per_fan = rows.exclude(actor=alice).values_list("actor_id", flat=True)
    assert sorted(per_fan) == sorted(fan.pk for fan in fans)
    assert rows.filter(action=BROADCAST_CREATE).count() == 1
