"""Channels, messages and reported messages in the admin: the queue lists reports, and its
actions delete the message (as its author would: a tombstone, out of unread counts) or suspend
its author, each seen through the API afterwards."""

from __future__ import annotations

import pytest
from django.test import Client

from core.errors import Reason, Refused
from messaging.models import Message, MessageReport
from messaging.services import messages
from messaging.services.moderation import report_message
from users.models import User

from ..operations.test_moderation import act
from .support import ADN, ok

pytestmark = pytest.mark.django_db(transaction=True)

REPORTS = "/admin/messaging/messagereport/"


@pytest.fixture
def moderator_client(make_user) -> Client:
    client = Client()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_reported_messages_queue_and_its_actions(
    moderator_client, alice, bob, carol, token_for, api
):
    spam = messages.send_pm(alice, [bob.pk, carol.pk], text="buy cheap watches")
    report = report_message(bob, spam, "spam")
    report_message(carol, spam, "spam too")
    with pytest.raises(Refused) as again:
        report_message(bob, spam, "twice")
    assert again.value.reason is Reason.ALREADY_DONE
    page = moderator_client.get(REPORTS, {"status__exact": "open"}).content.decode()
    assert "buy cheap watches" in page and "@alice" in page and "spam too" in page
    for changelist in ("/admin/messaging/channel/", "/admin/messaging/message/"):
        assert moderator_client.get(changelist).status_code == 200
    assert ok(api.get(f"{ADN}/users/me/channels/pm/num_unread", token_for(bob))) == 1
    landed = act(moderator_client, REPORTS, "delete_content", [report])
    assert "Deleted 1 message(s); 2 report(s) actioned." in landed
    assert Message.objects.get(pk=spam.pk).is_deleted
    assert set(MessageReport.objects.values_list("status", flat=True)) == {"actioned"}
    assert ok(api.get(f"{ADN}/users/me/channels/pm/num_unread", token_for(bob))) == 0


def test_suspending_a_reported_author_hides_their_messages(
    moderator_client, alice, bob, token_for, api
):
    sent = messages.send_pm(alice, [bob.pk], text="rude words")
    report = report_message(bob, sent)
    landed = act(moderator_client, REPORTS, "suspend_author", [report])
    assert "Suspended 1 user(s); 1 report(s) actioned." in landed
    assert not User.objects.get(pk=alice.pk).is_active
    listed = ok(api.get(f"{ADN}/channels/{sent.channel_id}/messages", token_for(bob)))
    assert listed == []
