"""The real pnut client library, pnutpy, driving channels and messages against the server in
gunicorn: a PM between two users, a room with five subscribers, unread counts going to zero
after a stream marker, and a muted channel.

ADNpy, the App.net library, installs on Python 3.11 but cannot make a call with a path
argument there (it calls Python 2's ``unicode``), so App.net's side is driven by the API tests
(tests/messaging/test_adn.py) instead.
"""

from __future__ import annotations

import pnutpy
import pytest
from pnutpy.errors import PnutBadRequestAPIException, PnutMissing

from ..processes import web_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_pnutpy_pms_rooms_unread_markers_and_mutes(make_user, token_for):
    users = [make_user(name) for name in ("alice", "bob", "carol", "dave", "erin", "frank")]
    alice, bob = users[0], users[1]
    with web_server(TEST_CELERY_EAGER="1") as base:

        def client(user) -> pnutpy.API:
            return pnutpy.API.build_api(api_root=f"{base}/v1", access_token=token_for(user))

        as_alice, as_bob = client(alice), client(bob)

        # A PM between two users, found again by existing_pm.
        sent, meta = as_alice.create_message(
            "pm", data={"text": "hello bob", "destinations": [bob.pk]}
        )
        assert meta.code == 201 and isinstance(sent, pnutpy.models.Message)
        assert sent.content.text == "hello bob" and sent.user.username == "alice"
        pm_channel, _ = as_bob.existing_pm(ids=str(alice.pk))
        assert pm_channel.id == sent.channel_id and pm_channel.type == "io.pnut.core.pm"
        reply, _ = as_bob.create_message(pm_channel.id, data={"text": "hi alice"})
        thread, _ = as_alice.get_channel_messages(pm_channel.id)
        assert [m.id for m in thread] == [reply.id, sent.id]
        with pytest.raises(PnutMissing):
            client(users[2]).get_channel(pm_channel.id)

        # A room with five subscribers besides its owner.
        room, meta = as_alice.create_channel(
            data={
                "type": "io.pnut.core.chat",
                "acl": {"read": {"any_user": True}, "write": {"any_user": True}},
            }
        )
        assert meta.code == 201 and room.acl.full.you is True
        for user in users[1:]:
            subscribed, _ = client(user).subscribe_channel(room.id)
            assert subscribed.you_subscribed is True
        subscribers, _ = as_alice.subscribed_users(room.id)
        assert {u.username for u in subscribers} == {u.username for u in users}
        news, _ = as_alice.create_message(room.id, data={"text": "welcome, all five"})

        # Unread counts go to zero after a marker.
        counted, _ = as_bob.num_unread_pm_channels()
        assert counted == 0  # bob answered alice: his PM is read
        carols = client(users[2])
        listed, _ = carols.subscribed_channels(include_read=0)
        assert [c.id for c in listed] == [room.id] and listed[0].has_unread is True
        carols.request_json(
            "POST", "/markers", data=[{"name": f"channel:{room.id}", "id": news.id}]
        )
        listed, _ = carols.subscribed_channels(include_read=0)
        assert listed == []
        pm_again, _ = as_alice.create_message(
            "pm", data={"text": "one more", "destinations": [bob.pk]}
        )
        counted, _ = as_bob.num_unread_pm_channels()
        assert counted == 1
        as_bob.request_json(
            "POST", "/markers", data=[{"name": f"channel:{pm_channel.id}", "id": pm_again.id}]
        )
        counted, _ = as_bob.num_unread_pm_channels()
        assert counted == 0

        # A muted channel: out of the subscriptions and the unread counts.
        muted, _ = as_bob.mute_channel(pm_channel.id)
        assert muted.you_muted is True and muted.you_subscribed is False
        as_alice.create_message("pm", data={"text": "are you there?", "destinations": [bob.pk]})
        counted, _ = as_bob.num_unread_pm_channels()
        assert counted == 0
        mine, _ = as_bob.subscribed_channels()
        assert pm_channel.id not in [c.id for c in mine]
        muted_list, _ = as_bob.muted_channels()
        assert [c.id for c in muted_list] == [pm_channel.id]
        unmuted, _ = as_bob.unmute_channel(pm_channel.id)
        assert unmuted.you_muted is False

        with pytest.raises(PnutBadRequestAPIException):
            as_alice.create_message("pm", data={"text": "x" * 2049, "destinations": [bob.pk]})
