"""Conversations started and written to at once, each request on its own database connection
(threads): every request answers, the counters equal the rows, and the users' one keyed PM
channel is one channel whichever dialect gets there first."""

from __future__ import annotations

import pytest

from messaging.models import Channel, ChannelAcl, Message
from messaging.services.messages import pm_key

from ..concurrency import run_together
from .support import API

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CONVERSE = ["basic", "conversations"]


def at_once(calls: list[tuple[str, str, dict]]) -> list[tuple[int, dict]]:
    """POST each ``(path, token, body)`` at once."""
    return run_together([("POST", url, token, body) for url, token, body in calls])


def assert_counters_match(channels) -> None:
    for channel in channels:
        live = Message.objects.filter(channel=channel, is_deleted=False).count()
        assert channel.message_count == live, channel


def test_conversations_started_at_once_are_each_one_channel_and_one_holds_the_key(
    alice, bob, token_for
):
    token = token_for(alice, CONVERSE)
    body = {"subject": "at once", "body": "hello", "recipients": [bob.guid]}
    results = at_once([(f"{API}/conversations", token, body)] * 20)
    assert [status for status, _ in results] == [201] * 20, results
    assert len({data["guid"] for _, data in results}) == 20
    channels = list(Channel.objects.all())
    assert len(channels) == 20 and Message.objects.count() == 20
    assert [c.pm_key for c in channels if c.pm_key] == [pm_key([alice.pk, bob.pk])]
    assert ChannelAcl.objects.count() == 20
    assert_counters_match(channels)


def test_app_net_pms_and_diaspora_conversations_at_once_share_one_keyed_channel(
    alice, bob, token_for
):
    adn = token_for(alice, ["basic", "messages"])
    diaspora = token_for(bob, CONVERSE)
    pm = {"text": "from App.net", "destinations": [bob.pk]}
    start = {"subject": "from diaspora", "body": "hello", "recipients": [alice.guid]}
    calls = [("/stream/0/channels/pm/messages", adn, pm), (f"{API}/conversations", diaspora, start)]
    results = at_once(calls * 10)
    assert sorted(status for status, _ in results) == [200] * 10 + [201] * 10, results
    keyed = Channel.objects.get(pm_key=pm_key([alice.pk, bob.pk]))
    adn_channels = {data["data"]["channel_id"] for status, data in results if status == 200}
    assert adn_channels == {str(keyed.pk)}
    assert Message.objects.filter(channel=keyed, user=alice).count() == 10
    assert Channel.objects.count() in (10, 11)  # the key went to a PM or to a conversation
    assert Message.objects.count() == 20
    assert_counters_match(Channel.objects.all())


def test_messages_written_at_once_into_one_conversation_are_all_counted(alice, bob, token_for):
    from tests.conftest import Api

    tokens = [token_for(alice, CONVERSE), token_for(bob, CONVERSE)]
    created = Api().post(
        f"{API}/conversations",
        tokens[0],
        {"subject": "busy", "body": "first", "recipients": [bob.guid]},
    )
    url = f"{API}/conversations/{created.json()['guid']}/messages"
    results = at_once([(url, tokens[i % 2], {"body": f"message {i}"}) for i in range(30)])
    assert [status for status, _ in results] == [201] * 30, results
    channel = Channel.objects.get()
    assert channel.message_count == Message.objects.count() == 31
    assert channel.recent_message_id == Message.objects.latest("id").pk
