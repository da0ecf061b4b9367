"""A channel's page of messages from the rendered-message cache (messaging/rendered.py) is what
rendering its rows whole gives, in App.net's and pnut's spelling, for each viewer; and a change
to any row a message shows is on the next read, never a stale rendering."""

from __future__ import annotations

import pytest

from adn_api.rendered import local_renderings
from core.paging import Cursor
from messaging.models import Message
from messaging.serializers import MessageOptions, MessagePage, messages_to_adn
from messaging.services import channels, messages
from messaging.services.reading import channel_messages
from pnut.channels import messages_to_pnut
from users.models import User
from users.services import graph

from .support import ADN, ok

pytestmark = pytest.mark.django_db

WHOLE = {"adn": (ADN, messages_to_adn), "pnut": ("/v1", messages_to_pnut)}


@pytest.fixture
def room(make_user, token_for):
    alice, bob, carol = (make_user(name) for name in ("alice", "bob", "carol"))
    chat = channels.create_channel(
        alice,
        type="net.patter-app.room",
        readers={"any_user": True},
        writers={"user_ids": [str(bob.pk), str(carol.pk)]},
    )
    first = messages.post_message(bob, chat, text="hello @alice #tag https://example.com")
    messages.post_message(alice, chat, text="a reply", reply_to=first.pk)
    messages.post_message(
        bob, chat, text="", machine_only=True, annotations=[{"type": "x.y", "value": {}}]
    )
    messages.post_message(carol, chat, text="from carol")
    graph.follow(alice, bob)
    graph.follow(carol, alice)
    graph.mute(bob, carol)
    return chat, {u.username: (u, token_for(u)) for u in (alice, bob, carol)}


def whole(dialect: str, channel, viewer, params: dict) -> list[dict]:
    """The page rendered from its rows, as before the cache."""
    options = MessageOptions.parse(params, dialect)
    page = channel_messages(viewer, channel, options.read.filters, Cursor())
    return WHOLE[dialect][1](MessagePage(page.items, viewer, options))


@pytest.mark.parametrize("dialect", ["adn", "pnut"])
@pytest.mark.parametrize(
    "params", [{}, {"include_machine": "1"}, {"include_html": "0"}, {"include_muted": "1"}]
)
def test_cached_page_is_the_whole_rendering_for_each_viewer(api, room, dialect, params):
    chat, people = room
    prefix = WHOLE[dialect][0]
    for user, token in people.values():
        for _ in range(2):  # rendered and stored, then from the caches
            page = ok(api.get(f"{prefix}/channels/{chat.pk}/messages", token, **params))
            assert page == whole(dialect, chat, user, params)
        local_renderings.clear()  # the shared cache's copies
        assert ok(api.get(f"{prefix}/channels/{chat.pk}/messages", token, **params)) == page


def test_a_change_to_any_row_a_message_shows_is_read_at_once(api, room):
    chat, people = room
    alice, token = people["alice"]
    path = f"{ADN}/channels/{chat.pk}/messages"
    first = Message.objects.filter(channel=chat).order_by("id").first()
    assert ok(api.get(path, token))[-1]["num_replies"] == 1
    User.objects.filter(username="bob").update(name="Robert")
    messages.post_message(alice, chat, text="another", reply_to=first.pk)
    page = ok(api.get(path, token))
    assert page[-1]["user"]["name"] == "Robert" and page[-1]["num_replies"] == 2
    messages.delete_message(people["bob"][0], first)
    page = ok(api.get(path, token, include_deleted=1))
    assert page[-1]["is_deleted"] and "text" not in page[-1]
    assert page == whole("adn", chat, alice, {"include_deleted": "1"})


def test_a_muted_author_is_left_out_or_shown_muted(api, room):
    chat, people = room
    path = f"{ADN}/channels/{chat.pk}/messages"
    token = people["bob"][1]
    assert "carol" not in [m["user"]["username"] for m in ok(api.get(path, token))]
    shown = ok(api.get(path, token, include_muted=1))
    assert [m["user"]["you_muted"] for m in shown if m["user"]["username"] == "carol"] == [True]
    follows = {m["user"]["username"]: m["user"]["follows_you"] for m in shown}
    assert follows == {"carol": False, "alice": True, "bob": False}
    alice = {m["user"]["username"]: m["user"] for m in ok(api.get(path, people["alice"][1]))}
    assert alice["bob"]["you_follow"] and alice["carol"]["follows_you"]
