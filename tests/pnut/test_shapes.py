"""Every pnut object the server draws, live, against the shape pnut's docs give it
(``data/shapes.json``: pnut-api/api-spec v1.3.0, with where each shape came from).

Each object is drawn with as many of its optional parts as the server has (raw, samples, a
reply, a repost, a deleted one, a recent message, a marker), so that a key the docs do not
name, a key they require and is missing, or a value of the wrong JSON type fails here.
"""

from __future__ import annotations

import pytest

from adn_api.oauth.tokens import create_app

from ..images import png
from ..test_files import upload
from .shapes import SHAPES, assert_shape, shape_errors
from .support import V1, data_of, meta_of

pytestmark = pytest.mark.django_db

RAW = {"io.pnut.core.language": [{"language": "en"}]}
EVERYTHING = {"include_raw": 1, "include_bookmarked_by": 1, "include_reposted_by": 1}


def post(api, token, text, status=201, **fields):
    return data_of(api.post(f"{V1}/posts", token, data={"text": text, **fields}), status)


def test_the_checker_catches_what_the_docs_do_not_say():
    good = {"id": "1", "name": "app", "url": "https://example.com"}
    assert shape_errors(good, SHAPES["source"]) == []
    assert shape_errors({**good, "link": "x"}, SHAPES["source"]) == ["$.link: not in pnut's docs"]
    assert shape_errors({"id": "1", "name": "app"}, SHAPES["source"]) == ["$.url: missing"]
    assert shape_errors({**good, "id": 1}, SHAPES["source"]) == [
        "$.id: int where the docs say string"
    ]
    counts = {"bookmarks": True, "replies": 0, "reposts": 0, "threads": 0}
    assert shape_errors(counts, SHAPES["post"]["counts"]) == [
        "$.bookmarks: bool where the docs say integer"
    ]
    assert shape_errors({"is_deleted": False}, {"is_deleted?": "true"}) == [
        "$.is_deleted: False is not true"
    ]


def test_posts_users_and_their_entities_have_pnuts_shape(api, alice, bob, carol, tokens):
    text = "@bob see #shapes at https://pnut.io [docs](https://docs.pnut.io) /@carol"
    original = post(api, tokens["alice"], text, raw=RAW, is_nsfw=True)
    data_of(api.put(f"{V1}/posts/{original['id']}/bookmark", tokens["bob"]))
    data_of(api.put(f"{V1}/posts/{original['id']}/repost", tokens["carol"]), 201)
    reply = post(api, tokens["bob"], "@alice a reply", reply_to=original["id"])
    doomed = post(api, tokens["bob"], "soon gone")
    data_of(api.delete(f"{V1}/posts/{doomed['id']}", tokens["bob"]))

    read = data_of(api.get(f"{V1}/posts/{original['id']}", tokens["bob"], **EVERYTHING))
    assert_shape(read, "post")
    assert {"raw", "is_nsfw", "bookmarked_by", "reposted_by", "you_bookmarked"} <= set(read)
    mentions = read["content"]["entities"]["mentions"]
    assert [m.get("is_leading", False) for m in mentions] == [True, False]
    assert [m.get("is_copy", False) for m in mentions] == [False, True]  # "/@carol"
    assert {"url", "amended_len"} <= set(read["content"]["entities"]["links"][1])

    stream = data_of(
        api.get(f"{V1}/users/{carol.pk}/posts", tokens["alice"], include_deleted=1, **EVERYTHING)
    )
    (repost,) = stream
    assert_shape(repost, "post")
    assert "repost_of" in repost and "pagination_id" in repost
    bobs = data_of(api.get(f"{V1}/users/{bob.pk}/posts", tokens["alice"], include_deleted=1))
    for item in bobs:
        assert_shape(item, "post")
    assert [("reply_to" in p, p.get("is_deleted", False)) for p in bobs] == [
        (False, True),
        (True, False),
    ]
    assert reply["reply_to"] == original["id"]

    anonymous = data_of(api.get(f"{V1}/posts/{original['id']}"))
    assert_shape(anonymous, "post")
    assert not {"you_bookmarked", "you_reposted"} & set(anonymous)
    assert not {"you_follow", "follows_you"} & set(anonymous["user"])

    user = data_of(api.get(f"{V1}/users/@alice", tokens["bob"], include_raw=1))
    assert_shape(user, "user")
    assert {"you_follow", "follows_you", "you_blocked", "you_muted", "you_can_follow"} <= set(user)


def test_the_token_clients_and_markers_have_pnuts_shape(api, alice, tokens):
    token = data_of(api.get(f"{V1}/token", tokens["alice"]))
    assert_shape(token, "token")

    app, _secret = create_app("Alice's app", owner=alice, link="https://alice.example.com")
    assert_shape(data_of(api.get(f"{V1}/clients/{app.client_id}", tokens["alice"])), "client")
    (summary,) = data_of(api.get(f"{V1}/users/{alice.pk}/clients", tokens["alice"]))
    assert_shape(summary, "client_summary")

    made = post(api, tokens["alice"], "mark me")
    markers = data_of(
        api.post(f"{V1}/markers", tokens["alice"], data=[{"name": "personal", "id": made["id"]}])
    )
    for marker in markers:
        assert_shape(marker, "marker")
    meta = meta_of(api.get(f"{V1}/posts/streams/me", tokens["alice"]))
    assert_shape(meta["marker"], "marker")


def test_files_have_pnuts_shape(api, alice, tokens, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the thumbnails get made
        made = upload(api, tokens["alice"], png(300, 200), path=f"{V1}/files", is_public="1")
    created = data_of(made, 201)
    assert_shape(created, "file")
    read = data_of(api.get(f"{V1}/files/{created['id']}", tokens["alice"], include_raw=1))
    assert_shape(read, "file")
    assert read["derived_files"], "the thumbnails are there to be checked"
    placeholder = data_of(
        api.post(f"{V1}/files", tokens["alice"], data={"type": "com.example.x", "kind": "other"}),
        201,
    )
    assert_shape(placeholder, "file")
    assert placeholder["is_complete"] is False and "url" not in placeholder


def test_channels_and_messages_have_pnuts_shape(api, alice, bob, tokens):
    body = {
        "type": "io.pnut.core.chat",
        "acl": {"write": {"any_user": True}, "read": {"public": True}},
        "raw": {"io.pnut.core.chat-settings": [{"name": "Shapes"}]},
    }
    channel = data_of(api.post(f"{V1}/channels", tokens["alice"], data=body), 201)
    assert_shape(channel, "channel")
    path = f"{V1}/channels/{channel['id']}"
    said = data_of(api.post(f"{path}/messages", tokens["alice"], data={"text": "hi"}), 201)
    assert_shape(said, "message")
    data_of(api.put(f"{path}/messages/{said['id']}/sticky", tokens["alice"]))
    reply = data_of(
        api.post(f"{path}/messages", tokens["bob"], data={"text": "yo", "reply_to": said["id"]}),
        201,
    )
    data_of(
        api.post(
            f"{V1}/markers",
            tokens["alice"],
            data=[{"name": f"channel:{channel['id']}", "id": reply["id"]}],
        )
    )
    read = data_of(
        api.get(path, tokens["alice"], include_recent_message=1, include_raw=1, include_marker=1)
    )
    assert_shape(read, "channel")
    assert read["has_sticky_messages"] is True and read["recent_message_id"] == reply["id"]
    assert {"recent_message", "marker", "raw", "user"} <= set(read)

    messages = data_of(api.get(f"{path}/messages", tokens["alice"], include_raw=1))
    for message in messages:
        assert_shape(message, "message")
    data_of(api.delete(f"{path}/messages/{reply['id']}", tokens["bob"]))
    after = data_of(api.get(path, tokens["alice"], include_recent_message=1))
    assert_shape(after, "channel")
    assert after["recent_deleted_message_id"] == reply["id"] and "recent_message_id" not in after
    (gone, _) = data_of(api.get(f"{path}/messages", tokens["alice"]))
    assert_shape(gone, "message")
    assert gone["is_deleted"] is True and "content" not in gone

    pm = data_of(
        api.post(
            f"{V1}/channels/pm/messages",
            tokens["alice"],
            data={"text": "psst", "destinations": [str(bob.pk)]},
        ),
        201,
    )
    pm_channel = data_of(api.get(f"{V1}/channels/{pm['channel_id']}", tokens["bob"]))
    assert_shape(pm_channel, "channel")
    # pnut 1.x: a PM channel has no owner; its members are all writers.
    assert "user" not in pm_channel and "user_id" not in pm_channel
    assert set(pm_channel["acl"]["write"]["user_ids"]) == {str(alice.pk), str(bob.pk)}


def test_include_presence_adds_each_users_presence(api, alice, bob, tokens):
    data_of(api.put(f"{V1}/users/me/presence", tokens["alice"], data={"presence": "coding"}))
    made = post(api, tokens["bob"], "@alice hi")
    users = data_of(
        api.get(f"{V1}/users", tokens["bob"], ids=f"{alice.pk},{bob.pk}", include_presence=1)
    )
    for user in users:
        assert_shape(user, "user")
    assert [u["presence"] for u in users] == ["coding", "offline"]
    read = data_of(api.get(f"{V1}/posts/{made['id']}", include_presence=1))
    assert_shape(read, "post")
    assert read["user"]["presence"] == "offline"
    assert "presence" not in data_of(api.get(f"{V1}/users/{alice.pk}"))  # only when asked
