"""App.net's channel and message endpoints, as a client sees them (one test per documented
endpoint at least; the bad-input tests show an enveloped 4xx and nothing written)."""

from __future__ import annotations

import pytest

from messaging.models import Channel, Subscription, Unread

from .support import ADN, error, ok, snapshot

# Unread fan-out starts when the message's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(make_user, token_for):
    users = {name: make_user(name) for name in ("alice", "bob", "carol", "dave")}
    tokens = {name: token_for(user) for name, user in users.items()}
    return users, tokens


def pm(api, token, destinations, text="hello"):
    return ok(
        api.post(
            f"{ADN}/channels/pm/messages", token, data={"text": text, "destinations": destinations}
        )
    )


def room(api, token, **fields):
    body = {"type": "net.patter-app.room", **fields}
    return ok(api.post(f"{ADN}/channels", token, data=body))


def test_create_a_channel_answers_the_channel(api, people):
    users, tokens = people
    channel = room(
        api,
        tokens["alice"],
        writers={"user_ids": [f"@{users['bob'].username}", str(users["carol"].pk)]},
        annotations=[{"type": "net.patter-app.settings", "value": {"name": "Room"}}],
    )
    assert channel["type"] == "net.patter-app.room"
    assert channel["owner"]["username"] == "alice"
    assert channel["writers"]["user_ids"] == [str(users["bob"].pk), str(users["carol"].pk)]
    assert channel["writers"]["you"] and channel["editors"]["you"] and channel["you_can_edit"]
    assert channel["you_subscribed"] and not channel["you_muted"] and not channel["has_unread"]
    assert channel["counts"] == {"messages": 0, "subscribers": 1}
    assert "annotations" not in channel
    again = ok(api.get(f"{ADN}/channels/{channel['id']}", tokens["alice"], include_annotations=1))
    assert again["annotations"][0]["value"] == {"name": "Room"}


def test_retrieve_a_channel_enforces_readers(api, people, token_for):
    users, tokens = people
    private = room(api, tokens["alice"], readers={"user_ids": [str(users["bob"].pk)]})
    seen = ok(api.get(f"{ADN}/channels/{private['id']}", tokens["bob"]))
    assert (
        seen["readers"]["you"]
        and not seen["writers"]["you"]
        and "subscribers" not in seen["counts"]
    )
    error(api.get(f"{ADN}/channels/{private['id']}", tokens["carol"]), 404)
    app_token = token_for(None, [])
    error(api.get(f"{ADN}/channels/{private['id']}", app_token), 404)
    error(api.get(f"{ADN}/channels/{private['id']}"), 401)
    public = room(api, tokens["alice"], readers={"public": True})
    assert ok(api.get(f"{ADN}/channels/{public['id']}", app_token))["readers"]["public"]
    error(api.get(f"{ADN}/channels/nonsense", tokens["bob"]), 400)


def test_retrieve_multiple_channels_leaves_out_unreadable_ones(api, people):
    _users, tokens = people
    one, two = room(api, tokens["alice"]), room(api, tokens["bob"], readers={"any_user": True})
    hidden = room(api, tokens["carol"])
    found = ok(
        api.get(
            f"{ADN}/channels", tokens["alice"], ids=f"{two['id']},{hidden['id']},{one['id']},999"
        )
    )
    assert [c["id"] for c in found] == [two["id"], one["id"]]


def test_my_subscribed_channels_are_an_inbox_with_unread_counts(api, people):
    users, tokens = people
    first = pm(api, tokens["bob"], [users["alice"].pk], "one")
    chat = room(api, tokens["alice"])
    second = pm(api, tokens["carol"], [users["alice"].pk], "two")
    body = api.get(
        f"{ADN}/channels", tokens["alice"], include_recent_message=1, include_marker=1
    ).json()
    ids = [c["id"] for c in body["data"]]
    assert ids == [second["channel_id"], first["channel_id"], chat["id"]]
    assert body["meta"]["unread_counts"] == {"net.app.core.pm": 2, "net.app.core.broadcast": 0}
    top = body["data"][0]
    assert top["has_unread"] and top["recent_message"]["text"] == "two"
    assert top["marker"] == {"name": f"channel:{second['channel_id']}"}
    only_pm = ok(api.get(f"{ADN}/channels", tokens["alice"], channel_types="net.app.core.pm"))
    assert {c["type"] for c in only_pm} == {"net.app.core.pm"}
    ok(
        api.post(
            f"{ADN}/posts/marker",
            tokens["alice"],
            data={"name": f"channel:{second['channel_id']}", "id": second["id"]},
        )
    )
    unread = ok(api.get(f"{ADN}/channels", tokens["alice"], include_read=0))
    assert [c["id"] for c in unread] == [first["channel_id"]]
    page = api.get(f"{ADN}/channels", tokens["alice"], count=1).json()
    assert page["meta"]["more"] and len(page["data"]) == 1


def test_my_channels_are_the_ones_i_created(api, people):
    users, tokens = people
    mine = room(api, tokens["alice"])
    room(api, tokens["bob"], readers={"any_user": True})
    assert [c["id"] for c in ok(api.get(f"{ADN}/users/me/channels", tokens["alice"]))] == [
        mine["id"]
    ]


def test_update_a_channel(api, people):
    users, tokens = people
    chat = room(api, tokens["alice"], writers={"user_ids": [str(users["bob"].pk)]})
    path = f"{ADN}/channels/{chat['id']}"
    updated = ok(
        api.put(
            path,
            tokens["alice"],
            data={"readers": {"public": True}, "annotations": [{"type": "x.y", "value": {"a": 1}}]},
        )
    )
    assert updated["readers"]["public"]
    assert ok(api.get(path, tokens["dave"]))["readers"]["public"]
    patched = ok(api.patch(path, tokens["alice"], data={"writers": {"user_ids": []}}))
    assert patched["writers"]["user_ids"] == []
    assert "may not edit" in error(
        api.put(path, tokens["bob"], data={"readers": {"public": False}}), 403
    )
    frozen = room(api, tokens["alice"], readers={"immutable": True})
    before = snapshot()
    assert "immutable" in error(
        api.put(
            f"{ADN}/channels/{frozen['id']}", tokens["alice"], data={"readers": {"any_user": True}}
        ),
        400,
    )
    assert snapshot() == before


def test_deactivate_a_channel(api, people):
    users, tokens = people
    chat = room(api, tokens["alice"], readers={"any_user": True})
    ok(api.post(f"{ADN}/channels/{chat['id']}/subscribe", tokens["bob"]))
    error(api.delete(f"{ADN}/channels/{chat['id']}", tokens["bob"]), 403)
    gone = ok(api.delete(f"{ADN}/channels/{chat['id']}", tokens["alice"]))
    assert gone["is_inactive"] and gone["counts"]["subscribers"] == 0 and not gone["you_subscribed"]
    error(
        api.post(f"{ADN}/channels/{chat['id']}/messages", tokens["alice"], data={"text": "hi"}), 403
    )
    assert ok(api.get(f"{ADN}/users/me/channels", tokens["alice"])) == []
    pm_message = pm(api, tokens["alice"], [users["bob"].pk])
    assert "cannot be deactivated" in error(
        api.delete(f"{ADN}/channels/{pm_message['channel_id']}", tokens["alice"]), 400
    )


def test_subscribe_and_unsubscribe(api, people):
    users, tokens = people
    chat = room(api, tokens["alice"], readers={"any_user": True})
    path = f"{ADN}/channels/{chat['id']}/subscribe"
    assert ok(api.post(path, tokens["bob"]))["you_subscribed"]
    assert ok(api.post(path, tokens["bob"]))["you_subscribed"]  # twice is no error
    assert Subscription.objects.filter(channel_id=chat["id"]).count() == 2
    assert not ok(api.delete(path, tokens["bob"]))["you_subscribed"]
    private = room(api, tokens["alice"])
    error(api.post(f"{ADN}/channels/{private['id']}/subscribe", tokens["bob"]), 404)


def test_subscribers_and_their_ids_leave_out_blocks(api, people):
    users, tokens = people
    chat = room(api, tokens["alice"], readers={"any_user": True})
    for name in ("bob", "carol"):
        ok(api.post(f"{ADN}/channels/{chat['id']}/subscribe", tokens[name]))
    ok(api.post(f"{ADN}/users/{users['carol'].pk}/block", tokens["bob"]))
    names = [
        u["username"]
        for u in ok(api.get(f"{ADN}/channels/{chat['id']}/subscribers", tokens["bob"]))
    ]
    assert names == ["bob", "alice"]
    assert ok(api.get(f"{ADN}/channels/{chat['id']}/subscribers/ids", tokens["carol"])) == [
        str(users["alice"].pk),
        str(users["carol"].pk),
    ]
    other = room(api, tokens["dave"])
    many = ok(
        api.get(
            f"{ADN}/channels/subscribers/ids", tokens["alice"], ids=f"{chat['id']},{other['id']}"
        )
    )
    assert list(many) == [chat["id"]] and len(many[chat["id"]]) == 3


def test_mute_unmute_and_the_muted_list(api, people):
    users, tokens = people
    first = pm(api, tokens["alice"], [users["bob"].pk])
    channel_id = first["channel_id"]
    assert ok(api.get(f"{ADN}/users/me/channels/pm/num_unread", tokens["bob"])) == 1
    muted = ok(api.post(f"{ADN}/channels/{channel_id}/mute", tokens["bob"]))
    assert muted["you_muted"] and not muted["you_subscribed"]
    assert ok(api.get(f"{ADN}/users/me/channels/pm/num_unread", tokens["bob"])) == 0
    pm(api, tokens["alice"], [users["bob"].pk], "still muted")
    assert ok(api.get(f"{ADN}/users/me/channels/pm/num_unread", tokens["bob"])) == 0
    assert [c["id"] for c in ok(api.get(f"{ADN}/users/me/channels/muted", tokens["bob"]))] == [
        channel_id
    ]
    assert channel_id not in [c["id"] for c in ok(api.get(f"{ADN}/channels", tokens["bob"]))]
    unmuted = ok(api.delete(f"{ADN}/channels/{channel_id}/mute", tokens["bob"]))
    assert not unmuted["you_muted"] and not unmuted["you_subscribed"]
    assert ok(api.get(f"{ADN}/users/me/channels/muted", tokens["bob"])) == []


def test_pm_num_unread_goes_to_zero_after_a_marker(api, people):
    users, tokens = people
    a = pm(api, tokens["alice"], [users["bob"].pk], "a")
    pm(api, tokens["carol"], [users["bob"].pk], "c")
    b = pm(api, tokens["alice"], [users["bob"].pk], "b")
    assert ok(api.get(f"{ADN}/users/me/channels/pm/num_unread", tokens["bob"])) == 2
    marker = ok(
        api.post(
            f"{ADN}/posts/marker",
            tokens["bob"],
            data={"name": f"channel:{a['channel_id']}", "id": b["id"], "percentage": 10},
        )
    )
    assert marker["name"] == f"channel:{a['channel_id']}" and marker["last_read_id"] == b["id"]
    assert ok(api.get(f"{ADN}/users/me/channels/pm/num_unread", tokens["bob"])) == 1
    listed = api.get(f"{ADN}/channels/{a['channel_id']}/messages", tokens["bob"]).json()
    assert listed["meta"]["marker"]["last_read_id"] == b["id"]
    assert not ok(api.get(f"{ADN}/channels/{a['channel_id']}", tokens["bob"]))["has_unread"]


def test_broadcast_num_unread_and_mark_all_read(api, people):
    users, tokens = people
    cast = ok(
        api.post(
            f"{ADN}/channels",
            tokens["alice"],
            data={"type": "net.app.core.broadcast", "readers": {"public": True}},
        )
    )
    ok(api.post(f"{ADN}/channels/{cast['id']}/subscribe", tokens["bob"]))
    ok(api.post(f"{ADN}/channels/{cast['id']}/messages", tokens["alice"], data={"text": "news"}))
    assert ok(api.get(f"{ADN}/users/me/channels/broadcast/num_unread", tokens["bob"])) == 1
    assert ok(api.delete(f"{ADN}/users/me/channels/broadcast/num_unread", tokens["bob"])) == 0
    assert ok(api.get(f"{ADN}/users/me/channels/broadcast/num_unread", tokens["bob"])) == 0
    error(
        api.post(f"{ADN}/channels/{cast['id']}/messages", tokens["bob"], data={"text": "me too"}),
        403,
    )


def test_channel_search(api, people):
    users, tokens = people
    info = [
        {
            "type": "net.app.core.channel.info",
            "value": {"name": "Birdwatchers", "description": "owls"},
        }
    ]
    found = room(api, tokens["alice"], readers={"public": True}, annotations=info)
    room(api, tokens["alice"], annotations=info)  # private: not found by others
    hits = ok(api.get(f"{ADN}/channels/search", tokens["bob"], q="birdwatch"))
    assert [c["id"] for c in hits] == [found["id"]]
    assert ok(api.get(f"{ADN}/channels/search", tokens["bob"], type="com.other")) == []
    assert [
        c["id"] for c in ok(api.get(f"{ADN}/channels/search", tokens["bob"], creator_id="@alice"))
    ] == [found["id"]]


def test_channel_messages_page_like_posts(api, people):
    _users, tokens = people
    chat = room(api, tokens["alice"], writers={"any_user": True})
    path = f"{ADN}/channels/{chat['id']}/messages"
    sent = [
        ok(api.post(path, tokens["alice"], data={"text": f"m{i} #tag @bob"}))["id"]
        for i in range(5)
    ]
    body = api.get(path, tokens["bob"], count=2).json()
    assert [m["id"] for m in body["data"]] == sent[:-3:-1] and body["meta"]["more"]
    assert body["meta"]["min_id"] == sent[3] and body["meta"]["marker"] == {
        "name": f"channel:{chat['id']}"
    }
    older = ok(api.get(path, tokens["bob"], before_id=sent[3], count=2))
    assert [m["id"] for m in older] == [sent[2], sent[1]]
    newer = ok(api.get(path, tokens["bob"], since_id=sent[3]))
    assert [m["id"] for m in newer] == [sent[4]]
    message = body["data"][0]
    assert (
        message["channel_id"] == chat["id"] and message["entities"]["hashtags"][0]["name"] == "tag"
    )
    assert message["entities"]["mentions"][0]["name"] == "bob" and "<span" in message["html"]
    assert message["source"]["client_id"] and message["thread_id"] == message["id"]
    error(api.get(path, tokens["bob"], count="x"), 400)


def test_create_a_message_with_entities_annotations_reply_and_machine_only(api, people):
    _users, tokens = people
    chat = room(api, tokens["alice"])
    path = f"{ADN}/channels/{chat['id']}/messages"
    first = ok(
        api.post(
            path,
            tokens["alice"],
            data={
                "text": "see [docs](https://example.com)",
                "entities": {"parse_markdown_links": True},
                "annotations": [{"type": "x.note", "value": {"n": 1}}],
            },
        )
    )
    assert (
        first["text"].startswith("see docs")
        and first["entities"]["links"][0]["url"] == "https://example.com"
    )
    assert "annotations" not in first
    reply = ok(
        api.post(
            path,
            tokens["alice"],
            data={"text": "a reply", "reply_to": first["id"]},
            include_annotations=1,
        )
    )
    assert (
        reply["reply_to"] == first["id"]
        and reply["thread_id"] == first["id"]
        and reply["annotations"] == []
    )
    machine = ok(
        api.post(
            path,
            tokens["alice"],
            data={"machine_only": True, "annotations": [{"type": "x.ping", "value": {}}]},
        )
    )
    assert machine["machine_only"] and machine["text"] == ""
    listed = [m["id"] for m in ok(api.get(path, tokens["alice"]))]
    assert machine["id"] not in listed and machine["id"] in [
        m["id"] for m in ok(api.get(path, tokens["alice"], include_machine=1))
    ]
    assert (
        ok(api.get(f"{ADN}/channels/{chat['id']}/messages/{first['id']}", tokens["alice"]))[
            "num_replies"
        ]
        == 1
    )


def test_pm_shortcut_finds_or_creates_the_one_channel(api, people):
    users, tokens = people
    first = pm(api, tokens["alice"], [f"@{users['bob'].username}"], "hi")
    second = pm(api, tokens["bob"], [users["alice"].pk], "hello")
    assert first["channel_id"] == second["channel_id"]
    channel = ok(api.get(f"{ADN}/channels/{first['channel_id']}", tokens["bob"]))
    assert (
        channel["type"] == "net.app.core.pm"
        and channel["writers"]["immutable"]
        and channel["readers"]["immutable"]
    )
    assert channel["you_subscribed"] and channel["counts"]["messages"] == 2
    error(api.get(f"{ADN}/channels/{first['channel_id']}", tokens["carol"]), 404)
    assert "PM channels cannot be created directly" in error(
        api.post(f"{ADN}/channels", tokens["alice"], data={"type": "net.app.core.pm"}), 400
    )


def test_retrieve_one_and_many_messages_and_my_messages(api, people):
    users, tokens = people
    a = pm(api, tokens["alice"], [users["bob"].pk], "to bob")
    c = pm(api, tokens["alice"], [users["carol"].pk], "to carol")
    got = ok(api.get(f"{ADN}/channels/{a['channel_id']}/messages/{a['id']}", tokens["bob"]))
    assert got["text"] == "to bob"
    error(api.get(f"{ADN}/channels/{a['channel_id']}/messages/{a['id']}", tokens["carol"]), 404)
    error(api.get(f"{ADN}/channels/{c['channel_id']}/messages/{a['id']}", tokens["alice"]), 404)
    many = ok(api.get(f"{ADN}/channels/messages", tokens["bob"], ids=f"{c['id']},{a['id']}"))
    assert [m["id"] for m in many] == [a["id"]]
    mine = ok(api.get(f"{ADN}/users/me/messages", tokens["alice"]))
    assert [m["id"] for m in mine] == [c["id"], a["id"]]
    error(api.get(f"{ADN}/channels/messages", tokens["bob"]), 400)


def test_delete_a_message_answers_it_deleted(api, people):
    users, tokens = people
    sent = pm(api, tokens["alice"], [users["bob"].pk], "regret")
    path = f"{ADN}/channels/{sent['channel_id']}/messages/{sent['id']}"
    error(api.delete(path, tokens["bob"]), 403)
    gone = ok(api.delete(path, tokens["alice"]))
    assert gone["is_deleted"] and "text" not in gone and "html" not in gone
    assert gone["entities"] == {"mentions": [], "hashtags": [], "links": []}
    assert ok(api.get(f"{ADN}/users/me/channels/pm/num_unread", tokens["bob"])) == 0
    assert ok(api.get(path, tokens["bob"]))["is_deleted"]
    assert sent["id"] not in [
        m["id"]
        for m in ok(
            api.get(
                f"{ADN}/channels/{sent['channel_id']}/messages", tokens["bob"], include_deleted=0
            )
        )
    ]
    error(api.delete(path, tokens["alice"]), 404)


def test_message_search(api, people):
    users, tokens = people
    pm(api, tokens["alice"], [users["bob"].pk], "the owl flies")
    pm(api, tokens["alice"], [users["carol"].pk], "the owl sleeps")
    assert [
        m["text"]
        for m in ok(api.get(f"{ADN}/channels/messages/search", tokens["bob"], query="OWL"))
    ] == ["the owl flies"]
    error(api.get(f"{ADN}/channels/messages/search", tokens["bob"]), 400)


def test_blocks_keep_messages_apart(api, people):
    users, tokens = people
    pm(api, tokens["alice"], [users["bob"].pk], "before")
    ok(api.post(f"{ADN}/users/{users['alice'].pk}/block", tokens["bob"]))
    before = snapshot()
    assert "blocked you" in error(
        api.post(
            f"{ADN}/channels/pm/messages",
            tokens["alice"],
            data={"text": "x", "destinations": [users["bob"].pk]},
        ),
        403,
    )
    assert snapshot() == before
    chat = room(api, tokens["carol"], writers={"any_user": True})
    ok(
        api.post(
            f"{ADN}/channels/{chat['id']}/messages", tokens["alice"], data={"text": "from alice"}
        )
    )
    assert ok(api.get(f"{ADN}/channels/{chat['id']}/messages", tokens["bob"])) == []


def test_scopes_pm_channels_need_messages(api, people, token_for):
    users, tokens = people
    sent = pm(api, tokens["alice"], [users["bob"].pk])
    public_only = token_for(users["bob"], ["basic", "public_messages"])
    none = token_for(users["bob"], ["basic", "stream"])
    assert "'messages' scope" in error(
        api.get(f"{ADN}/channels/{sent['channel_id']}", public_only), 403
    )
    error(api.get(f"{ADN}/channels", none), 403)
    assert ok(api.get(f"{ADN}/channels", public_only)) == []
    error(
        api.post(
            f"{ADN}/channels/pm/messages",
            public_only,
            data={"text": "x", "destinations": [users["alice"].pk]},
        ),
        403,
    )
    assert room(api, public_only)["type"] == "net.patter-app.room"
    error(api.get(f"{ADN}/users/me/channels/pm/num_unread", public_only), 403)


@pytest.mark.parametrize(
    "body, words",
    [
        ({"type": "not-reverse-domain"}, "reverse-domain"),
        ({"type": ["net.app.x"]}, "type"),
        ({"type": "com.example.x", "writers": {"user_ids": ["123456789"]}}, "do not exist"),
        ({"type": "com.example.x", "readers": {"user_ids": ["@nobody"]}}, "do not exist"),
        ({"type": "com.example.x", "readers": {"user_ids": "1"}}, "list"),
        ({"type": "com.example.x", "readers": {"public": True, "user_ids": ["@bob"]}}, "exclude"),
        ({"type": "com.example.x", "editors": {"any_user": True}}, "editors"),
        ({"type": "com.example.x", "readers": {"colour": "red"}}, "unknown"),
    ],
)
def test_bad_channels_are_400_and_write_nothing(api, people, body, words):
    _users, tokens = people
    before = snapshot()
    assert words in error(api.post(f"{ADN}/channels", tokens["alice"], data=body), 400)
    assert snapshot() == before


@pytest.mark.parametrize(
    "body, words",
    [
        ({"text": "x" * 2049, "destinations": ["@bob"]}, "limit is 2048"),
        ({"text": "hi", "destinations": list(range(1, 10_001))}, "at most 200"),
        ({"text": "hi", "destinations": ["@nobody"]}, "do not exist"),
        ({"text": "hi", "destinations": []}, "destinations"),
        ({"text": "hi"}, "destinations"),
        ({"text": "hi", "destinations": "bob"}, "destinations"),
        ({"text": "", "destinations": ["@bob"]}, "text is required"),
        (
            {
                "machine_only": True,
                "annotations": [{"type": "a.b", "value": {}}],
                "destinations": ["@bob"],
            },
            "machine_only",
        ),
        ({"text": "hi", "destinations": ["@bob"], "annotations": "x"}, "annotations"),
        ({"text": "hi", "destinations": ["@bob"], "reply_to": "999999"}, "reply_to"),
    ],
)
def test_bad_messages_are_400_and_write_nothing(api, people, body, words):
    _users, tokens = people
    before = snapshot()
    assert words in error(api.post(f"{ADN}/channels/pm/messages", tokens["alice"], data=body), 400)
    assert snapshot() == before


def test_unread_rows_exist_per_subscriber_and_message(api, people):
    users, tokens = people
    chat = room(api, tokens["alice"], readers={"any_user": True})
    for name in ("bob", "carol"):
        ok(api.post(f"{ADN}/channels/{chat['id']}/subscribe", tokens[name]))
    sent = ok(
        api.post(f"{ADN}/channels/{chat['id']}/messages", tokens["alice"], data={"text": "hi"})
    )
    assert sorted(
        Unread.objects.filter(message_id=sent["id"]).values_list("user_id", flat=True)
    ) == sorted([users["bob"].pk, users["carol"].pk])
    assert Channel.objects.get(pk=chat["id"]).message_count == 1
