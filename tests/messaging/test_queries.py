"""Channel and message lists cost the same few SQL queries for a page of 20 and of 200, in
App.net and pnut: the token, the channel the URL names (with the viewer's marker), the page
itself (authors, apps, owners and recent messages joined in), and one query each for the
viewer's relations to the users (``ViewerContext``) and to the channels (``channel_relations``:
ACLs, subscriptions, mutes, unread state and counts)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from adn_api.oauth.tokens import create_app, issue_token
from messaging.models import Channel
from messaging.services import channels, messages
from messaging.services.reading import update_markers
from users.models import User

from .support import ok

pytestmark = pytest.mark.django_db

LIST_QUERIES = 4
# pnut adds one query for its users' client counts (counts.clients), and on channel lists one
# for which of them hold sticky messages (has_sticky_messages).
PNUT_MESSAGE_QUERIES = LIST_QUERIES + 1
PNUT_CHANNEL_QUERIES = LIST_QUERIES + 2


def pinned_queries(path: str) -> int:
    if not path.startswith("/v1/"):
        return LIST_QUERIES
    return PNUT_MESSAGE_QUERIES if path.endswith("/messages") else PNUT_CHANNEL_QUERIES


ROWS = 205  # more than the largest page


@dataclass
class World:
    viewer: User
    room: Channel
    token: str


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The viewer is in 205 PM channels with 205 people (each with an unread message and a
    marker), owns 205 rooms with annotations and a notes channel of 205 of their own messages,
    and reads a room of 205 messages from five writers, some replies, some with annotations.
    Committed, so fan-out runs as each message commits; removed at the end."""
    with django_db_blocker.unblock():
        app, _ = create_app("Query counter", link="https://client.example.com")
        viewer = User.objects.create_user(username="viewer")
        others = [User.objects.create_user(username=f"other{i}") for i in range(ROWS)]
        writers = others[:5]
        room = channels.create_channel(
            viewer, type="net.patter-app.room", writers={"user_ids": [str(u.pk) for u in writers]}
        )
        previous = None
        for i in range(ROWS):
            previous = messages.post_message(
                writers[i % 5],
                room,
                text=f"message {i} @viewer #tag",
                source=app,
                reply_to=previous.pk if previous and i % 3 == 0 else None,
                annotations=[{"type": "x.n", "value": {"i": i}}] if i % 2 else None,
            )
        notes = channels.create_channel(viewer, type="com.example.notes")
        for _ in range(ROWS):
            messages.post_message(viewer, notes, text="hi back", source=app)
        for i, other in enumerate(others):
            sent = messages.send_pm(other, [viewer.pk], text=f"hi {i}", source=app)
            if i % 2:
                messages.send_pm(viewer, [other.pk], text="hi back")
            channels.create_channel(
                viewer,
                type="com.example.room",
                annotations=[{"type": "net.app.core.channel.info", "value": {"name": f"r{i}"}}],
                readers={"user_ids": [str(other.pk)]},
            )
            if i % 3 == 0:
                update_markers(
                    viewer,
                    [{"name": f"channel:{sent.channel_id}", "id": str(sent.pk)}],
                    reset_read_id=False,
                )
        token = issue_token(viewer, app, ["basic", "messages"])
        yield World(viewer, room, token)
        Channel.objects.all().delete()
        User.objects.filter(pk__in=[viewer.pk, *(u.pk for u in others)]).delete()
        app.delete()


def read(api, world, path, count, django_assert_max_num_queries, **params) -> list[dict]:
    with django_assert_max_num_queries(pinned_queries(path)):
        items = ok(api.get(path, world.token, count=count, **params))
    assert len(items) == count
    return items


@pytest.mark.parametrize("count", [20, 200])
@pytest.mark.parametrize("prefix", ["/stream/0", "/v1"])
def test_a_channels_messages_cost_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, prefix, count
):
    path = f"{prefix}/channels/{world.room.pk}/messages"
    items = read(api, world, path, count, django_assert_max_num_queries, include_annotations=1)
    assert len({m["user"]["id"] for m in items}) == 5
    assert any(m.get("reply_to") for m in items)


@pytest.mark.parametrize("count", [20, 200])
@pytest.mark.parametrize(
    "path",
    ["/stream/0/channels", "/v1/users/me/channels/subscribed", "/stream/0/users/me/channels"],
)
def test_channel_lists_cost_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, path, count
):
    items = read(
        api,
        world,
        path,
        count,
        django_assert_max_num_queries,
        include_recent_message=1,
        include_marker=1,
        include_annotations=1,
    )
    assert all("marker" in c for c in items)
    if "users/me/channels" not in path or "subscribed" in path:
        assert any(c["has_unread"] for c in items) and any(not c["has_unread"] for c in items)
        assert all("recent_message" in c for c in items)


@pytest.mark.parametrize("count", [20, 200])
@pytest.mark.parametrize("prefix", ["/stream/0", "/v1"])
def test_my_messages_cost_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, prefix, count
):
    items = read(api, world, f"{prefix}/users/me/messages", count, django_assert_max_num_queries)
    assert all((m.get("text") or m["content"]["text"]) == "hi back" for m in items)
