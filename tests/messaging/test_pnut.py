"""pnut's channel and message endpoints: the same rows and rules as App.net's, in pnut's
objects (``acl {full, write, read}``, ``content``, ``io.pnut.core.*`` types), verbs (PUT to
subscribe and mute) and paths (``users/me/channels/subscribed``, ``existing_pm``,
``num_unread/pm``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .support import error, ok, snapshot

pytestmark = pytest.mark.django_db(transaction=True)

V1 = "/v1"


@pytest.fixture
def people(make_user, token_for):
    users = {name: make_user(name) for name in ("alice", "bob", "carol")}
    return users, {name: token_for(user) for name, user in users.items()}


def created(response) -> dict:
    assert response.status_code == 201, response.content
    return response.json()["data"]


def test_create_a_chat_channel_in_pnuts_shape(api, people):
    users, tokens = people
    body = {
        "type": "io.pnut.core.chat",
        "acl": {"write": {"user_ids": [str(users["bob"].pk)]}, "read": {"public": True}},
        "raw": {"io.pnut.core.chat-settings": [{"name": "Lobby"}]},
    }
    channel = created(api.post(f"{V1}/channels", tokens["alice"], data=body))
    assert channel["type"] == "io.pnut.core.chat" and "is_active" not in channel  # only if false
    assert channel["acl"]["write"]["user_ids"] == [str(users["bob"].pk)]
    assert channel["acl"]["read"]["public"] and channel["acl"]["full"]["you"]
    assert channel["user"]["username"] == "alice" and "content" in channel["user"]
    assert channel["you_subscribed"] and not channel["you_muted"]
    shown = ok(api.get(f"{V1}/channels/{channel['id']}", tokens["bob"], include_raw=1))
    assert shown["raw"] == {"io.pnut.core.chat-settings": [{"name": "Lobby"}]}
    assert shown["acl"]["write"]["you"] and not shown["acl"]["full"]["you"]
    updated = ok(
        api.put(
            f"{V1}/channels/{channel['id']}",
            tokens["alice"],
            data={"acl": {"read": {"any_user": True}}},
        )
    )
    assert updated["acl"]["read"]["any_user"] and not updated["acl"]["read"]["public"]


def test_pm_existing_pm_and_num_unread(api, people):
    users, tokens = people
    sent = created(
        api.post(
            f"{V1}/channels/pm/messages",
            tokens["alice"],
            data={"text": "hi @bob", "destinations": [str(users["bob"].pk)]},
        )
    )
    assert (
        sent["content"]["text"] == "hi @bob"
        and sent["content"]["entities"]["mentions"][0]["text"] == "bob"
    )
    assert 'itemscope="https://pnut.io/schemas/Post"' in sent["content"]["html"]
    channel = ok(
        api.get(f"{V1}/users/me/channels/existing_pm", tokens["bob"], ids=str(users["alice"].pk))
    )
    assert channel["id"] == sent["channel_id"] and channel["type"] == "io.pnut.core.pm"
    error(
        api.get(f"{V1}/users/me/channels/existing_pm", tokens["bob"], ids=str(users["carol"].pk)),
        404,
    )
    assert ok(api.get(f"{V1}/users/me/channels/num_unread/pm", tokens["bob"])) == 1
    assert (
        ok(
            api.get(
                f"{V1}/users/me/channels/num_unread", tokens["bob"], channel_types="io.pnut.core.pm"
            )
        )
        == 1
    )
    subscribed = api.get(f"{V1}/users/me/channels/subscribed", tokens["bob"]).json()
    assert [c["id"] for c in subscribed["data"]] == [sent["channel_id"]]
    assert subscribed["meta"]["unread_counts"]["io.pnut.core.pm"] == 1
    ok(
        api.post(
            f"{V1}/markers",
            tokens["bob"],
            data=[{"name": f"channel:{sent['channel_id']}", "id": sent["id"]}],
        )
    )
    assert ok(api.get(f"{V1}/users/me/channels/num_unread/pm", tokens["bob"])) == 0


def test_subscribe_and_mute_by_put_and_delete(api, people):
    users, tokens = people
    channel = created(
        api.post(
            f"{V1}/channels",
            tokens["alice"],
            data={"type": "io.pnut.core.chat", "acl": {"read": {"any_user": True}}},
        )
    )
    path = f"{V1}/channels/{channel['id']}"
    assert ok(api.put(f"{path}/subscribe", tokens["bob"]))["you_subscribed"]
    error(api.post(f"{path}/subscribe", tokens["bob"]), 405)
    names = [u["username"] for u in ok(api.get(f"{path}/subscribers", tokens["bob"]))]
    assert names == ["bob", "alice"]
    assert not ok(api.delete(f"{path}/subscribe", tokens["bob"]))["you_subscribed"]
    muted = ok(api.put(f"{path}/mute", tokens["bob"]))
    assert muted["you_muted"] and not muted["you_subscribed"]
    assert [c["id"] for c in ok(api.get(f"{V1}/users/me/channels/muted", tokens["bob"]))] == [
        channel["id"]
    ]
    assert not ok(api.delete(f"{path}/mute", tokens["bob"]))["you_muted"]


def test_messages_in_pnuts_shape(api, people):
    users, tokens = people
    channel = created(
        api.post(
            f"{V1}/channels",
            tokens["alice"],
            data={"type": "io.pnut.core.chat", "acl": {"write": {"any_user": True}}},
        )
    )
    path = f"{V1}/channels/{channel['id']}/messages"
    first = created(
        api.post(path, tokens["alice"], data={"text": "first", "raw": {"x.y": [{"a": 1}]}})
    )
    reply = created(api.post(path, tokens["bob"], data={"text": "second", "reply_to": first["id"]}))
    assert reply["reply_to"] == first["id"] and reply["thread_id"] == first["id"]
    listed = api.get(path, tokens["bob"], include_message_raw=1).json()
    assert [m["id"] for m in listed["data"]] == [reply["id"], first["id"]]
    assert (
        listed["data"][1]["raw"] == {"x.y": [{"a": 1}]}
        and listed["data"][1]["counts"]["replies"] == 1
    )
    assert listed["meta"]["marker"] == {"name": f"channel:{channel['id']}"}
    one = ok(api.get(f"{path}/{first['id']}", tokens["bob"]))
    assert one["content"]["text"] == "first" and one["source"]["id"]
    many = ok(api.get(f"{V1}/channels/messages", tokens["bob"], ids=f"{first['id']},{reply['id']}"))
    assert [m["id"] for m in many] == [first["id"], reply["id"]]
    assert [m["id"] for m in ok(api.get(f"{V1}/users/me/messages", tokens["bob"]))] == [reply["id"]]
    gone = ok(api.delete(f"{path}/{reply['id']}", tokens["bob"]))
    assert gone["is_deleted"] and "content" not in gone
    hits = ok(api.get(f"{V1}/channels/messages/search", tokens["bob"], q="first"))
    assert [m["id"] for m in hits] == [first["id"]]
    found = ok(api.get(f"{V1}/channels/search", tokens["bob"], type="io.pnut.core.chat"))
    assert [c["id"] for c in found] == [channel["id"]]


def test_pnut_bad_input_is_an_enveloped_400_and_writes_nothing(api, people):
    users, tokens = people
    before = snapshot()
    error(api.post(f"{V1}/channels", tokens["alice"], data={"type": "io.pnut.core.pm"}), 400)
    error(api.post(f"{V1}/channels", tokens["alice"], data={"type": "x.y", "acl": "all"}), 400)
    error(
        api.post(
            f"{V1}/channels",
            tokens["alice"],
            data={"type": "x.y", "acl": {"read": {"user_ids": ["99999"]}}},
        ),
        400,
    )
    error(
        api.post(
            f"{V1}/channels/pm/messages",
            tokens["alice"],
            data={"text": "x" * 2049, "destinations": ["@bob"]},
        ),
        400,
    )
    error(
        api.post(
            f"{V1}/channels/pm/messages",
            tokens["alice"],
            data={"text": "x", "destinations": [str(i) for i in range(10_000)]},
        ),
        400,
    )
    assert snapshot() == before


def test_sticky_messages_are_kept_by_editors(api, people):
    users, tokens = people
    channel = created(
        api.post(
            f"{V1}/channels",
            tokens["alice"],
            data={"type": "io.pnut.core.chat", "acl": {"write": {"any_user": True}}},
        )
    )
    path = f"{V1}/channels/{channel['id']}"
    said = created(api.post(f"{path}/messages", tokens["bob"], data={"text": "rules: be kind"}))
    error(api.put(f"{path}/messages/{said['id']}/sticky", tokens["bob"]), 403)
    stuck = ok(api.put(f"{path}/messages/{said['id']}/sticky", tokens["alice"]))
    assert stuck["is_sticky"] is True
    assert [m["id"] for m in ok(api.get(f"{path}/sticky_messages", tokens["bob"]))] == [said["id"]]
    unstuck = ok(api.delete(f"{path}/messages/{said['id']}/sticky", tokens["alice"]))
    assert unstuck["is_sticky"] is False  # pnut 1.x: always present
    assert ok(api.get(f"{path}/sticky_messages", tokens["bob"])) == []


def test_my_channels_many_by_id_broadcast_unread_patch_and_deactivate(api, people):
    users, tokens = people
    cast = created(
        api.post(
            f"{V1}/channels",
            tokens["alice"],
            data={"type": "io.pnut.core.broadcast", "acl": {"read": {"public": True}}},
        )
    )
    assert cast["type"] == "io.pnut.core.broadcast"
    assert [c["id"] for c in ok(api.get(f"{V1}/users/me/channels", tokens["alice"]))] == [
        cast["id"]
    ]
    assert [c["id"] for c in ok(api.get(f"{V1}/channels", tokens["bob"], ids=cast["id"]))] == [
        cast["id"]
    ]
    ok(api.put(f"{V1}/channels/{cast['id']}/subscribe", tokens["bob"]))
    created(
        api.post(f"{V1}/channels/{cast['id']}/messages", tokens["alice"], data={"text": "news"})
    )
    unread = f"{V1}/users/me/channels/num_unread/broadcast"
    assert ok(api.get(unread, tokens["bob"])) == 1
    assert ok(api.delete(unread, tokens["bob"])) == 0
    assert ok(api.get(unread, tokens["bob"])) == 0
    patched = ok(
        api.patch(
            f"{V1}/channels/{cast['id']}",
            tokens["alice"],
            data={"raw": {"io.pnut.core.chat-settings": [{"name": "News"}]}},
            include_raw=1,
        )
    )
    assert patched["raw"] == {"io.pnut.core.chat-settings": [{"name": "News"}]}
    gone = ok(api.delete(f"{V1}/channels/{cast['id']}", tokens["alice"]))
    assert gone["is_active"] is False and gone["you_subscribed"] is False


def test_a_messages_thread_is_its_root_and_replies_newest_first(api, people):
    users, tokens = people
    body = {"type": "io.pnut.core.chat", "acl": {"write": {"user_ids": [str(users["bob"].pk)]}}}
    channel = created(api.post(f"{V1}/channels", tokens["alice"], data=body))
    path = f"{V1}/channels/{channel['id']}/messages"
    root = created(api.post(path, tokens["alice"], data={"text": "root"}))
    reply = created(api.post(path, tokens["bob"], data={"text": "re", "reply_to": root["id"]}))
    deeper = created(
        api.post(path, tokens["alice"], data={"text": "re re", "reply_to": reply["id"]})
    )
    created(api.post(path, tokens["bob"], data={"text": "another topic"}))
    thread = f"{path}/{reply['id']}/thread"
    listed = ok(api.get(thread, tokens["bob"]))
    assert [m["id"] for m in listed] == [deeper["id"], reply["id"], root["id"]]
    assert {m["thread_id"] for m in listed} == {root["id"]}
    paged = api.get(thread, tokens["bob"], count=2).json()
    assert [m["id"] for m in paged["data"]] == [deeper["id"], reply["id"]]
    assert paged["meta"]["more"] is True
    counts = []
    for count in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            assert len(ok(api.get(thread, tokens["bob"], count=count))) == count
        counts.append(len(queries))
    assert counts[0] == counts[1]  # a constant number of queries, whatever the page size
    error(api.get(thread, tokens["carol"]), 404)  # not in the ACL: the channel stays hidden
    error(api.get(f"{path}/999999/thread", tokens["bob"]), 404)
