"""Concurrent PMs through the API, each thread on its own database connection: the unique
``pm_key`` and the channel row lock leave one channel, every message, and counts equal to the
rows, with no deadlock and no 500."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from messaging.models import Channel, Message, Subscription, Unread
from tests.conftest import Api

from .support import ADN

pytestmark = pytest.mark.django_db(transaction=True)


def post_together(path: str, bodies: list[tuple[str, dict]]) -> list[tuple[int, dict]]:
    """POST each ``(token, body)`` at once (a barrier releases them together)."""
    barrier = threading.Barrier(len(bodies), timeout=60)

    def one(item):
        token, body = item
        try:
            barrier.wait()
            response = Api().post(path, token, data=body)
            return response.status_code, response.json()
        finally:
            connection.close()  # each thread opened its own connection

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(one, bodies))


def test_fifty_concurrent_pms_to_the_same_people_make_one_channel(make_user, token_for, api):
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    token = token_for(alice)
    bodies = [
        (token, {"text": f"message {i}", "destinations": [f"@{bob.username}", carol.pk]})
        for i in range(50)
    ]
    results = post_together(f"{ADN}/channels/pm/messages", bodies)
    assert [status for status, _ in results] == [200] * 50, results
    (channel_id,) = {body["data"]["channel_id"] for _, body in results}
    assert Channel.objects.count() == 1
    channel = Channel.objects.get(pk=channel_id)
    ids = sorted(int(body["data"]["id"]) for _, body in results)
    assert sorted(Message.objects.filter(channel=channel).values_list("id", flat=True)) == ids
    assert channel.message_count == 50 and channel.recent_message_id == ids[-1]
    assert set(Subscription.objects.filter(channel=channel).values_list("user_id", flat=True)) == {
        alice.pk,
        bob.pk,
        carol.pk,
    }
    for reader in (bob, carol):
        assert Unread.objects.filter(user=reader, channel=channel).count() == 50
    assert not Unread.objects.filter(user=alice).exists()
    shown = api.get(f"{ADN}/channels/{channel_id}", token_for(bob)).json()["data"]
    assert shown["counts"]["messages"] == 50 and shown["has_unread"]
    assert api.get(f"{ADN}/users/me/channels/pm/num_unread", token_for(bob)).json()["data"] == 1
