"""The messaging domain without HTTP: channels, PMs, subscriptions, mutes, messages, unread
state and markers, as the dialects (App.net, pnut, diaspora's conversations) call them."""

from __future__ import annotations

import pytest

from core.errors import Reason, Refused
from core.paging import Cursor
from messaging.models import Channel, ChannelAcl, Message, Subscription, Unread
from messaging.options import BROADCAST, PM
from messaging.services import channels, messages, reading
from messaging.services.lookup import get_channel, get_message, own_message
from posts.options import PostFilters
from users.services import graph

# The unread fan-out runs when the message's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


def refused(reason: Reason, call, *args, **kwargs) -> str:
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    assert caught.value.reason is reason, caught.value.message
    return caught.value.message


def unread_of(user) -> list[int]:
    return sorted(Unread.objects.filter(user=user).values_list("message_id", flat=True))


def test_a_pm_finds_the_one_channel_of_exactly_those_users(alice, bob, carol):
    first = messages.send_pm(alice, [bob.pk], text="hi bob")
    second = messages.send_pm(bob, [f"@{alice.username}"], text="hi alice")
    group = messages.send_pm(alice, [bob.pk, carol.pk], text="hi both")
    assert first.channel_id == second.channel_id != group.channel_id
    channel = Channel.objects.get(pk=first.channel_id)
    assert channel.type == PM and channel.message_count == 2
    assert messages.find_pm(bob, [alice.pk]).pk == channel.pk
    assert messages.find_pm(carol, [alice.pk]) is None
    # Both are subscribed; each has the other's message unread, not their own, and writing
    # reads the channel up to one's message (bob answered alice's).
    assert unread_of(alice) == [second.pk]
    assert unread_of(bob) == [group.pk]


def test_a_user_who_blocks_you_cannot_be_messaged_by_you(alice, bob):
    messages.send_pm(alice, [bob.pk], text="before")
    graph.block(bob, alice)
    before = Message.objects.count()
    refused(Reason.BLOCKED, messages.send_pm, alice, [bob.pk], text="after")
    channel = Channel.objects.get(type=PM)
    refused(Reason.BLOCKED, messages.post_message, alice, channel, text="after")
    assert Message.objects.count() == before


@pytest.mark.parametrize(
    "destinations",
    [[], ["@nobody_here"], [999_999], ["not a name"], list(range(1, 10_001))],
)
def test_bad_destinations_write_nothing(alice, destinations):
    refused(Reason.INVALID, messages.send_pm, alice, destinations, text="hello")
    assert not Channel.objects.exists() and not Message.objects.exists()


def test_text_over_2048_characters_is_refused(alice, bob):
    refused(Reason.INVALID, messages.send_pm, alice, [bob.pk], text="x" * 2049)
    assert not Channel.objects.exists()
    assert messages.send_pm(alice, [bob.pk], text="é" * 2048).text == "é" * 2048


def test_a_room_enforces_readers_and_writers(alice, bob, carol):
    room = channels.create_channel(
        alice,
        type="net.patter-app.room",
        readers={"user_ids": [str(bob.pk)]},
        writers={"user_ids": [f"@{carol.username}"]},
    )
    assert set(ChannelAcl.objects.filter(channel=room).values_list("user_id", "role")) == {
        (bob.pk, "read"),
        (carol.pk, "write"),
    }
    assert Subscription.objects.filter(channel=room, user=alice).exists()
    # bob reads but may not write; carol writes (writing implies reading).
    refused(Reason.NOT_ALLOWED, messages.post_message, bob, get_channel(room.pk, bob), text="x")
    said = messages.post_message(carol, get_channel(room.pk, carol), text="hello room")
    assert get_message(room, said.pk, bob).text == "hello room"
    outsider = channels.create_channel(bob, type="com.example.x")
    refused(Reason.NOT_FOUND, get_channel, outsider.pk, alice)


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "no dots"},
        {"type": PM},
        {"type": "net.app.core.other"},
        {"type": "x" * 300 + ".com"},
        {"type": "com.example.x", "readers": {"user_ids": ["999999"]}},
        {"type": "com.example.x", "readers": {"public": True, "any_user": True}},
        {"type": "com.example.x", "writers": {"public": True}},
        {"type": "com.example.x", "annotations": "nope"},
        {"type": BROADCAST, "writers": {"any_user": True}},
    ],
)
def test_bad_channels_write_nothing(alice, fields):
    refused(Reason.INVALID, channels.create_channel, alice, **fields)
    assert not Channel.objects.exists()


def test_mute_unsubscribes_and_keeps_the_channel_out_of_unread_counts(alice, bob):
    first = messages.send_pm(alice, [bob.pk], text="one")
    channel = first.channel
    assert reading.num_unread(bob) == 1
    channels.mute(bob, channel)
    assert reading.num_unread(bob) == 0
    messages.send_pm(alice, [bob.pk], text="two")  # a muted PM does not resubscribe bob
    assert reading.num_unread(bob) == 0
    assert not Subscription.objects.filter(channel=channel, user=bob).exists()
    channels.unmute(bob, channel)
    channels.subscribe(bob, get_channel(channel.pk, bob))
    messages.send_pm(alice, [bob.pk], text="three")
    assert reading.num_unread(bob) == 1


def test_a_deactivated_channel_leaves_no_unread_behind(alice, bob):
    """num_unread counts the user's unread rows alone: deactivating a channel takes them."""
    channel = channels.create_channel(alice, type=BROADCAST, readers={"public": True})
    channels.subscribe(bob, get_channel(channel.pk, bob))
    messages.post_message(alice, channel, text="news")
    assert reading.num_unread(bob, BROADCAST) == 1
    channels.deactivate_channel(alice, channel)
    assert reading.num_unread(bob, BROADCAST) == 0
    assert not Unread.objects.filter(channel=channel).exists()


def test_a_marker_reads_the_channel_up_to_its_id(alice, bob):
    sent = [messages.send_pm(alice, [bob.pk], text=f"m{i}") for i in range(3)]
    channel_id = sent[0].channel_id
    assert len(unread_of(bob)) == 3
    reading.update_markers(
        bob, [{"name": f"channel:{channel_id}", "id": str(sent[1].pk)}], reset_read_id=False
    )
    assert unread_of(bob) == [sent[2].pk]
    reading.update_markers(
        bob, [{"name": f"channel:{channel_id}", "id": str(sent[2].pk)}], reset_read_id=False
    )
    assert reading.num_unread(bob) == 0
    refused(
        Reason.NOT_FOUND,
        reading.update_markers,
        bob,
        [{"name": "channel:999999", "id": "1"}],
        reset_read_id=False,
    )


def test_deleting_a_message_leaves_a_tombstone_and_no_unread(alice, bob, carol):
    sent = messages.send_pm(alice, [bob.pk], text="oops")
    refused(Reason.NOT_ALLOWED, own_message, bob, sent.channel_id, sent.pk)
    gone = messages.delete_message(alice, own_message(alice, sent.channel_id, sent.pk))
    assert gone.is_deleted and gone.text == ""
    assert reading.num_unread(bob) == 0
    refused(Reason.DELETED, messages.delete_message, alice, gone)
    refused(Reason.NOT_FOUND, own_message, carol, sent.channel_id, sent.pk)


def test_channel_messages_page_through_the_visibility_rule(alice, bob, carol):
    room = channels.create_channel(alice, type="com.example.room", writers={"any_user": True})
    for i in range(5):
        messages.post_message(alice, room, text=f"a{i}")
    messages.post_message(carol, room, text="from carol")
    graph.block(bob, carol)
    page = reading.channel_messages(bob, room, PostFilters(), Cursor(count=3))
    assert [m.text for m in page.items] == ["a4", "a3", "a2"] and page.more
    everything = reading.channel_messages(bob, room, PostFilters(), Cursor(count=20))
    assert "from carol" not in [m.text for m in everything.items]
