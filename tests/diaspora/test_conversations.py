"""diaspora conversations (``/api/v1/conversations…``): list, create, show, mark read or
unread, hide, and their messages, with diaspora's codes and sentences (its request specs,
``spec/integration/api/conversations_controller_spec.rb`` and ``messages_controller_spec.rb``).
Each conversation is a PM channel of the messaging app."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.models import Channel, ChannelAcl, ChannelMute, Message, Subscription, Unread
from messaging.options import PM
from messaging.services import messages
from users.services import graph

from .support import API, PERSON_EXAMPLE, assert_shape, diaspora_error, host_id, mention, ok

NOT_FOUND = "Conversation with provided guid could not be found"
NOT_ACCEPTED = "Couldn't accept or process the conversation"
NOT_UPDATED = "Couldn't update the conversation"
MESSAGE_NOT_ACCEPTED = "Couldn’t accept or process the conversation"
UNKNOWN = "ab" * 16

CONVERSATION_EXAMPLE = {
    "guid": "0000000000000000000000000000002a",
    "subject": "new conversation",
    "created_at": "2016-02-20T03:46:57.955Z",
    "read": True,
    "participants": [PERSON_EXAMPLE],
}
MESSAGE_EXAMPLE = {
    "guid": "0000000000000000000000000000002b",
    "created_at": "2016-02-20T03:46:57.955Z",
    "body": "first message",
    "author": PERSON_EXAMPLE,
}
CONVERSE = ["basic", "conversations"]
# A conversation's messages: the token (with its user), the conversation (its hidden and unread
# flags in the same query), the page of messages with their authors. The list: the token, the
# page of channels with their owners and flags, every channel's other participants.
MESSAGES_QUERIES = 3
LIST_QUERIES = 3


def start(api, token, recipients, subject="new conversation", body="first message"):
    data = {"subject": subject, "body": body, "recipients": recipients}
    return api.post(f"{API}/conversations", token, data)


def started(api, token, recipients, **fields) -> dict:
    return ok(start(api, token, recipients, **fields), 201)


def path(guid: str, tail: str = "") -> str:
    return f"{API}/conversations/{guid}{tail}"


def written() -> tuple[int, int, int, int]:
    return (
        Channel.objects.count(),
        Message.objects.count(),
        ChannelAcl.objects.count(),
        Subscription.objects.count(),
    )


# Create


def test_creating_a_conversation_answers_201_with_it_and_makes_a_pm_channel(
    api, alice, bob, token_for
):
    data = started(api, token_for(alice, CONVERSE), [bob.guid])
    assert_shape(data, CONVERSATION_EXAMPLE)
    assert data["subject"] == "new conversation" and data["read"] is True
    assert sorted(p["guid"] for p in data["participants"]) == sorted([alice.guid, bob.guid])
    assert {p["diaspora_id"] for p in data["participants"]} == {host_id("alice"), host_id("bob")}
    channel = Channel.objects.get()
    assert channel.type == PM and channel.owner == alice and channel.message_count == 1
    assert list(ChannelAcl.objects.filter(channel=channel).values_list("user", flat=True)) == [
        bob.pk
    ]
    assert Message.objects.get().text == "first message"
    # bob sees it too, with the same guid and subject.
    shown = ok(api.get(path(data["guid"]), token_for(bob, CONVERSE)))
    assert shown["guid"] == data["guid"] and shown["subject"] == "new conversation"


def test_recipients_are_guids_or_usernames_and_a_form_body_works(api, alice, bob, carol, token_for):
    token = token_for(alice, CONVERSE)
    data = started(api, token, ["bob", carol.guid])
    assert len(data["participants"]) == 3
    form = api.call(
        "POST",
        f"{API}/conversations",
        token,
        {"subject": "by form", "body": "hello", "recipients": [bob.guid]},
        as_json=False,
    )
    assert ok(form, 201)["subject"] == "by form"


def test_each_creation_is_a_new_conversation_and_the_first_is_the_pm_channel(
    api, alice, bob, token_for
):
    token = token_for(alice, CONVERSE)
    first = started(api, token, [bob.guid], subject="one")
    second = started(api, token, [bob.guid], subject="two")
    assert first["guid"] != second["guid"]
    assert [c["subject"] for c in ok(api.get(f"{API}/conversations", token))] == ["two", "one"]
    # App.net's PM shortcut among the same two people lands in the first conversation.
    message = messages.send_pm(bob, [alice.pk], text="via App.net")
    assert f"{message.channel_id:032x}" == first["guid"]


def test_a_mention_in_the_body_is_diasporas_and_reads_back_so(api, alice, bob, token_for):
    token = token_for(alice, CONVERSE)
    data = started(api, token, [bob.guid], body=f"hello {mention('bob')}")
    assert Message.objects.get().text == "hello @bob"
    listed = ok(api.get(path(data["guid"], "/messages"), token))
    assert listed[0]["body"] == f"hello {mention('bob')}"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"body": "first message", "recipients": ["BOB"]},
        {"subject": "s", "recipients": ["BOB"]},
        {"subject": "s", "body": "first message"},
        {"subject": "s", "body": "first message", "recipients": ["999_999_999"]},
        {"subject": "s", "body": "first message", "recipients": []},
        {"subject": "s", "body": "first message", "recipients": "BOB"},
        {"subject": "s", "body": "first message", "recipients": [7]},
        {"subject": "s", "body": "first message", "recipients": ["alice"]},  # only oneself
        {"subject": "s", "body": "x" * 2049, "recipients": ["BOB"]},
        {"subject": "s" * 256, "body": "first message", "recipients": ["BOB"]},
        {"subject": "a\x00b", "body": "first message", "recipients": ["BOB"]},
        {"subject": "s", "body": "first message", "recipients": ["b\x00ob"]},
        {"subject": "s", "body": "first message", "recipients": ["BOB"] * 201},
        {"subject": "s", "body": "m", "recipients": [f"user{i}" for i in range(10_000)]},
    ],
)
def test_bad_input_is_a_422_and_writes_nothing(api, alice, bob, token_for, data):
    before = written()
    diaspora_error(
        api.post(f"{API}/conversations", token_for(alice, CONVERSE), data), 422, NOT_ACCEPTED
    )
    assert written() == before


def test_a_recipient_on_either_side_of_a_block_cannot_be_in_a_conversation(
    api, alice, bob, carol, token_for
):
    graph.block(bob, alice)
    graph.block(alice, carol)
    token = token_for(alice, CONVERSE)
    for recipient in (bob, carol):
        diaspora_error(start(api, token, [recipient.guid]), 422, NOT_ACCEPTED)
    assert written() == (0, 0, 0, 0)


# Scopes and tokens


@pytest.mark.parametrize(
    "method,tail",
    [
        ("GET", ""),
        ("POST", ""),
        ("GET", "/G"),
        ("PATCH", "/G"),
        ("DELETE", "/G"),
        ("GET", "/G/messages"),
        ("POST", "/G/messages"),
    ],
)
def test_every_endpoint_needs_the_conversations_scope_and_a_token(
    api, alice, bob, token_for, method, tail
):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    url = f"{API}/conversations{tail.replace('G', guid)}"
    body = {"body": "hi", "read": True, "subject": "s", "recipients": [bob.guid]}
    data = None if method == "GET" else body
    before = written()
    diaspora_error(api.call(method, url, token_for(alice, ["basic", "stream"]), data), 403)
    diaspora_error(api.call(method, url, "not-a-token", data), 401)
    diaspora_error(api.call(method, url, None, data), 401)
    assert written() == before
    # ADN's messages scope opens them too (CONTRACT §9: one token, every dialect).
    assert api.call(method, url, token_for(alice, ["basic", "messages"]), data).status_code < 300


# List


def test_the_list_holds_ones_conversations_newest_first_and_filters_unread_and_date(
    api, alice, bob, carol, token_for, django_capture_on_commit_callbacks
):
    token = token_for(alice, CONVERSE)
    first = started(api, token, [bob.guid], subject="first")
    second = started(api, token, [carol.guid], subject="second")
    started(api, token_for(bob, CONVERSE), [carol.guid], subject="not alice's")
    with django_capture_on_commit_callbacks(execute=True):
        ok(
            api.post(path(first["guid"], "/messages"), token_for(bob, CONVERSE), {"body": "hi"}),
            201,
        )
    listed = ok(api.get(f"{API}/conversations", token))
    assert [c["guid"] for c in listed] == [second["guid"], first["guid"]]
    assert [c["read"] for c in listed] == [True, False]
    unread = ok(api.get(f"{API}/conversations", token, only_unread="true"))
    assert [c["guid"] for c in unread] == [first["guid"]]
    everything = ok(api.get(f"{API}/conversations", token, only_unread="false"))
    assert len(everything) == 2
    created = Channel.objects.get(pk=int(second["guid"], 16)).created_at
    after = ok(
        api.get(f"{API}/conversations", token, only_after=created.isoformat().replace("+", "%2B"))
    )
    assert [c["guid"] for c in after] == [second["guid"]]
    assert ok(api.get(f"{API}/conversations", token, only_after="2999-01-01")) == []
    diaspora_error(api.get(f"{API}/conversations", token, only_after="yesterday"), 400)
    diaspora_error(api.get(f"{API}/conversations", token, only_unread="maybe"), 400)


def test_the_list_pages_newest_first_with_link_headers(api, alice, bob, token_for):
    token = token_for(alice, CONVERSE)
    guids = [started(api, token, [bob.guid], subject=f"s{i}")["guid"] for i in range(5)]
    response = api.get(f"{API}/conversations", token, per_page=2)
    assert [c["guid"] for c in ok(response)] == guids[::-1][:2]
    link = response["Link"]
    assert 'rel="next"' in link and 'rel="previous"' not in link
    following = link.split(">")[0].lstrip("<").split("/api/v1", 1)[1]
    second = api.get(f"{API}{following}", token)
    assert [c["guid"] for c in ok(second)] == guids[::-1][2:4]
    assert 'rel="previous"' in second["Link"] and 'rel="next"' in second["Link"]


# Show


def test_show_answers_404_for_unknown_malformed_and_other_peoples_conversations(
    api, alice, bob, carol, token_for
):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    token = token_for(carol, CONVERSE)
    for wanted in (guid, UNKNOWN, "-1", "42", "f" * 32, "x" * 500):
        diaspora_error(api.get(path(wanted), token), 404, NOT_FOUND)
        diaspora_error(api.get(path(wanted, "/messages"), token), 404, NOT_FOUND)
        diaspora_error(api.post(path(wanted, "/messages"), token, {"body": "x"}), 404, NOT_FOUND)
        diaspora_error(api.delete(path(wanted), token), 404, NOT_FOUND)
    assert Message.objects.count() == 1


def test_an_app_net_pm_channel_is_a_conversation_without_a_subject(api, alice, bob, token_for):
    message = messages.send_pm(alice, [bob.pk], text="from App.net")
    listed = ok(api.get(f"{API}/conversations", token_for(bob, CONVERSE)))
    assert [c["guid"] for c in listed] == [f"{message.channel_id:032x}"]
    assert listed[0]["subject"] == "No subject"


# Read and unread (PATCH)


def test_patch_marks_read_and_unread(
    api, alice, bob, token_for, django_capture_on_commit_callbacks
):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    token = token_for(bob, CONVERSE)
    with django_capture_on_commit_callbacks(execute=True):
        ok(api.post(path(guid, "/messages"), token_for(alice, CONVERSE), {"body": "more"}), 201)
    assert ok(api.get(path(guid), token))["read"] is False
    assert ok(api.patch(path(guid), token, {"read": True}))["read"] is True
    assert not Unread.objects.filter(user=bob).exists()
    assert ok(api.get(path(guid), token))["read"] is True
    assert ok(api.put(path(guid), token, {"read": "false"}))["read"] is False
    assert Unread.objects.filter(user=bob).count() == 1
    assert ok(api.get(f"{API}/conversations", token, only_unread="true"))[0]["guid"] == guid


def test_patch_without_read_or_on_an_unknown_conversation_is_diasporas_422(
    api, alice, bob, token_for
):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    token = token_for(bob, CONVERSE)
    diaspora_error(api.patch(path(guid), token, {}), 422, NOT_UPDATED)
    diaspora_error(api.patch(path(guid), token, {"read": "perhaps"}), 422, NOT_UPDATED)
    diaspora_error(api.patch(path(UNKNOWN), token, {"read": True}), 422, NOT_UPDATED)


# Hide (DELETE)


def test_hiding_is_for_oneself_and_a_second_hide_is_404(api, alice, bob, token_for):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    alice_token, bob_token = token_for(alice, CONVERSE), token_for(bob, CONVERSE)
    assert api.delete(path(guid), alice_token).status_code == 204
    diaspora_error(api.get(path(guid), alice_token), 404, NOT_FOUND)
    diaspora_error(api.post(path(guid, "/messages"), alice_token, {"body": "x"}), 404, NOT_FOUND)
    assert ok(api.get(f"{API}/conversations", alice_token)) == []
    assert ok(api.get(path(guid), bob_token))["guid"] == guid
    diaspora_error(api.delete(path(guid), alice_token), 404, NOT_FOUND)
    # bob writes on: alice is not brought back (the channel is muted for her).
    ok(api.post(path(guid, "/messages"), bob_token, {"body": "still here?"}), 201)
    diaspora_error(api.get(path(guid), alice_token), 404, NOT_FOUND)
    assert ChannelMute.objects.filter(user=alice).count() == 1
    assert not Subscription.objects.filter(user=alice).exists()
    assert api.delete(path(guid), bob_token).status_code == 204
    diaspora_error(api.get(path(guid), bob_token), 404, NOT_FOUND)


# Messages


def test_messages_are_listed_oldest_first_and_a_new_one_answers_201(api, alice, bob, token_for):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    token = token_for(bob, CONVERSE)
    created = ok(api.post(path(guid, "/messages"), token, {"body": "reply to first message"}), 201)
    assert_shape(created, MESSAGE_EXAMPLE)
    assert created["body"] == "reply to first message"
    assert created["author"]["guid"] == bob.guid and created["author"]["name"] == "Bob Testing"
    listed = ok(api.get(path(guid, "/messages"), token_for(alice, CONVERSE)))
    for item in listed:
        assert_shape(item, MESSAGE_EXAMPLE)
    assert [m["body"] for m in listed] == ["first message", "reply to first message"]
    assert listed[1]["guid"] == created["guid"]
    assert [m["author"]["guid"] for m in listed] == [alice.guid, bob.guid]


def test_deleted_messages_are_not_listed(api, alice, bob, token_for):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    channel = Channel.objects.get()
    extra = messages.post_message(bob, channel, text="oops")
    messages.delete_message(bob, extra)
    listed = ok(api.get(path(guid, "/messages"), token_for(alice, CONVERSE)))
    assert [m["body"] for m in listed] == ["first message"]


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, MESSAGE_NOT_ACCEPTED),
        ({"body": ""}, MESSAGE_NOT_ACCEPTED),
        ({"body": "   "}, MESSAGE_NOT_ACCEPTED),
        ({"body": 5}, MESSAGE_NOT_ACCEPTED),
        ({"body": "x" * 2049}, None),
        ({"body": "a\x00b"}, None),
    ],
)
def test_a_bad_message_is_a_422_and_writes_nothing(api, alice, bob, token_for, data, message):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    before = written()
    response = api.post(path(guid, "/messages"), token_for(bob, CONVERSE), data)
    text = diaspora_error(response, 422, message)
    if message is None:
        assert text not in (MESSAGE_NOT_ACCEPTED, NOT_ACCEPTED)  # the domain's own reason
    assert written() == before
    assert Channel.objects.get().message_count == 1


def test_a_message_at_the_limit_is_taken(api, alice, bob, token_for):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    response = api.post(path(guid, "/messages"), token_for(bob, CONVERSE), {"body": "é" * 2048})
    assert len(ok(response, 201)["body"]) == 2048


def test_a_message_across_a_block_is_refused(api, alice, bob, token_for):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    graph.block(alice, bob)
    response = api.post(path(guid, "/messages"), token_for(bob, CONVERSE), {"body": "hello?"})
    diaspora_error(response, 422, MESSAGE_NOT_ACCEPTED)
    assert Message.objects.count() == 1


def test_messages_page_by_per_page_with_link_headers(api, alice, bob, token_for):
    guid = started(api, token_for(alice, CONVERSE), [bob.guid])["guid"]
    channel = Channel.objects.get()
    for i in range(4):
        messages.post_message(bob, channel, text=f"m{i}")
    token = token_for(alice, CONVERSE)
    response = api.get(path(guid, "/messages"), token, per_page=2)
    assert [m["body"] for m in ok(response)] == ["first message", "m0"]
    following = response["Link"].split(">")[0].lstrip("<").split("/api/v1", 1)[1]
    assert [m["body"] for m in ok(api.get(f"{API}{following}", token))] == ["m1", "m2"]


# Queries: constant whatever the page holds


def queries_for(api, url: str, token: str, expected: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        items = ok(api.get(url, token, per_page=100))
    assert len(items) == expected
    return len(queries)


def test_a_conversations_messages_cost_the_same_queries_for_20_and_200_messages(
    api, alice, bob, carol, token_for
):
    token = token_for(alice, CONVERSE)
    counts = []
    for size, other in ((20, bob), (200, carol)):
        guid = started(api, token, [other.guid], subject=f"{size}")["guid"]
        channel = Channel.objects.get(pk=int(guid, 16))
        for i in range(size - 1):
            messages.post_message(other if i % 2 else alice, channel, text=f"message {i}")
        counts.append(queries_for(api, path(guid, "/messages"), token, min(size, 100)))
    assert counts == [MESSAGES_QUERIES, MESSAGES_QUERIES]


def test_the_conversations_list_costs_the_same_queries_for_any_page_size(
    api, alice, bob, carol, token_for
):
    token = token_for(alice, CONVERSE)
    counts = []
    for total in (20, 100):
        while Channel.objects.filter(owner=alice).count() < total:
            started(api, token, [bob.guid, carol.guid])
        counts.append(queries_for(api, f"{API}/conversations", token, total))
    assert counts == [LIST_QUERIES, LIST_QUERIES]
