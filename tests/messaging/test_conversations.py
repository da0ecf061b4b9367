"""Conversations in the messaging domain (``messaging.services.conversations``): a PM channel
of its own per conversation, its subject, hiding and read state, without HTTP."""

from __future__ import annotations

import pytest

from core.errors import Reason, Refused
from messaging.models import Channel, ChannelAcl, Message, Subscription, Unread
from messaging.options import PM
from messaging.services import channels, conversations, messages

pytestmark = pytest.mark.django_db


def test_the_first_conversation_of_a_set_of_users_is_their_pm_channel_and_later_ones_are_not(
    alice, bob
):
    first, opening = conversations.start_conversation(alice, [bob.pk], subject="one", text="hi")
    second, _ = conversations.start_conversation(alice, [bob.pk], subject=" two ", text="hey")
    assert first.type == second.type == PM and first.pk != second.pk
    assert first.pm_key == messages.pm_key([alice.pk, bob.pk]) and second.pm_key is None
    assert conversations.subject_of(first) == "one" and conversations.subject_of(second) == "two"
    assert opening.channel_id == first.pk and first.message_count == 1
    assert messages.find_pm(bob, [alice.pk]).pk == first.pk
    assert messages.send_pm(bob, [alice.pk], text="reply").channel_id == first.pk
    # Both are members who may write, and both are subscribed.
    for channel in (first, second):
        assert set(ChannelAcl.objects.filter(channel=channel).values_list("user", flat=True)) == {
            bob.pk
        }
        assert Subscription.objects.filter(channel=channel).count() == 2


def test_a_conversation_after_an_app_net_pm_is_a_second_pm_channel(alice, bob):
    pm = messages.send_pm(alice, [bob.pk], text="App.net first")
    channel, _ = conversations.start_conversation(bob, [alice.pk], subject="s", text="diaspora")
    assert channel.pk != pm.channel_id and channel.pm_key is None
    assert conversations.subject_of(Channel.objects.get(pk=pm.channel_id)) is None
    mine = conversations.conversations_of(alice)
    assert sorted(mine.values_list("pk", flat=True)) == sorted([pm.channel_id, channel.pk])


@pytest.mark.parametrize(
    "subject,text,recipients",
    [
        ("", "text", None),
        (None, "text", None),
        ("s" * 256, "text", None),
        ("s", "", None),
        ("s", "x" * 2049, None),
        ("s", "text", []),
        ("s", "text", [999_999]),
    ],
)
def test_a_refused_conversation_writes_nothing(alice, bob, subject, text, recipients):
    with pytest.raises(Refused) as caught:
        conversations.start_conversation(
            alice, [bob.pk] if recipients is None else recipients, subject=subject, text=text
        )
    assert caught.value.reason is Reason.INVALID
    assert (Channel.objects.count(), Message.objects.count(), ChannelAcl.objects.count()) == (
        0,
        0,
        0,
    )


def test_recipients_are_named_by_guid_or_username_and_every_one_must_exist(alice, bob, carol):
    assert conversations.recipient_ids([bob.guid, "CAROL", "bob"]) == [bob.pk, carol.pk]
    for bad in ([], "bob", [bob.guid, "nobody"], ["x"] * 201, [""], [5]):
        with pytest.raises(Refused):
            conversations.recipient_ids(bad)


def test_hiding_leaves_the_conversation_out_for_that_user_only(alice, bob):
    channel, _ = conversations.start_conversation(alice, [bob.pk], subject="s", text="hi")
    channels.mute(alice, channel)
    assert not conversations.conversations_of(alice).exists()
    assert conversations.get_conversation(bob, channel.pk).pk == channel.pk
    with pytest.raises(Refused) as caught:
        conversations.get_conversation(alice, channel.pk)
    assert caught.value.reason is Reason.NOT_FOUND and caught.value.subject == "conversation"


def test_read_and_unread(alice, bob, django_capture_on_commit_callbacks):
    channel, _ = conversations.start_conversation(alice, [bob.pk], subject="s", text="hi")
    with django_capture_on_commit_callbacks(execute=True):
        latest = messages.post_message(alice, channel, text="more")
    assert conversations.get_conversation(bob, channel.pk).has_unread
    channel = conversations.get_conversation(bob, channel.pk)
    conversations.set_read(bob, channel, True)
    assert not conversations.get_conversation(bob, channel.pk).has_unread
    assert Subscription.objects.get(channel=channel, user=bob).last_read_id == latest.pk
    conversations.set_read(bob, channel, False)
    assert list(Unread.objects.filter(user=bob).values_list("message", flat=True)) == [latest.pk]
    # Marking unread twice is still one unread message.
    conversations.set_read(bob, channel, False)
    assert Unread.objects.filter(user=bob).count() == 1
