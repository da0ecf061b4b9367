"""Channels, messages and reported messages in the admin: reports of messages are in the one
reports queue beside posts', and its actions delete the message (as its author would: a
tombstone, out of unread counts) or suspend its author, each seen through the API afterwards."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from core.errors import Reason, Refused
from messaging.models import Message
from messaging.services import messages
from messaging.services.moderation import report_message
from operations.services.dashboard import dashboard
from posts.models import Report
from posts.services.posting import create_post
from posts.services.reports import report_post
from users.models import User

from ..operations.test_moderation import act
from .support import ADN, ok

pytestmark = pytest.mark.django_db(transaction=True)

REPORTS = "/admin/posts/report/"


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
    assert set(Report.objects.values_list("status", flat=True)) == {"actioned"}
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


def test_one_queue_holds_posts_and_messages_and_acts_on_both(
    moderator_client, alice, bob, carol, token_for, api
):
    post = create_post(alice, text="cheap watches, posted")
    sent = messages.send_pm(carol, [bob.pk], text="cheap watches, sent")
    post_report = report_post(bob, post, "spam post")
    message_report = report_message(bob, sent, "spam message")
    assert dashboard().open_reports == 2
    page = moderator_client.get(REPORTS, {"status__exact": "open"}).content.decode()
    assert "cheap watches, posted" in page and "cheap watches, sent" in page
    assert "spam message" in page and ">message<" in page and "@carol" in page
    searched = moderator_client.get(REPORTS, {"q": "carol"}).content.decode()
    assert "cheap watches, sent" in searched and "cheap watches, posted" not in searched
    landed = act(moderator_client, REPORTS, "delete_content", [post_report, message_report])
    assert "Deleted 1 post(s) and 1 message(s); 2 report(s) actioned." in landed
    assert Message.objects.get(pk=sent.pk).is_deleted
    assert dashboard().open_reports == 0
    assert ok(api.get(f"{ADN}/users/me/channels/pm/num_unread", token_for(bob))) == 0


def test_suspending_from_the_mixed_queue_counts_each_author_once(
    moderator_client, alice, bob, carol
):
    post = create_post(alice, text="a rude post")
    sent = messages.send_pm(alice, [bob.pk], text="a rude message")
    chosen = [report_post(bob, post), report_message(bob, sent), report_message(carol, sent)]
    landed = act(moderator_client, REPORTS, "suspend_author", chosen[:2])
    assert "Suspended 1 user(s); 3 report(s) actioned." in landed
    assert not User.objects.get(pk=alice.pk).is_active


def test_a_report_names_exactly_one_post_or_message(alice, bob):
    post = create_post(alice, text="hello")
    sent = messages.send_pm(alice, [bob.pk], text="hi")
    for both_or_neither in ({"post": post, "message": sent}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.create(reporter=bob, **both_or_neither)
    assert not Report.objects.exists()
