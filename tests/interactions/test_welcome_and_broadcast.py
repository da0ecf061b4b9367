"""App.net's welcome and broadcast interactions: ``welcome`` when someone signs up (objects
empty), ``broadcast_create``/``broadcast_subscribe``/``broadcast_unsubscribe`` on a broadcast
channel (objects: the channel). pnut's actions and diaspora's notifications have no such types
and leave them out."""

from __future__ import annotations

import pytest

from interactions.models import (
    BROADCAST_CREATE,
    BROADCAST_SUBSCRIBE,
    BROADCAST_UNSUBSCRIBE,
    WELCOME,
    Interaction,
)
from messaging.services.channels import create_channel, deactivate_channel
from users.models import User

from ..post_support import error, ok

pytestmark = pytest.mark.django_db

ADN = "/stream/0/users/me/interactions"
PNUT = "/v1/users/me/actions"
CHANNELS = "/stream/0/channels"
BROADCAST = {"type": "net.app.core.broadcast", "readers": {"public": True}}


def sign_up(client, username: str, **params) -> User:
    response = client.post(
        "/signup/" + (f"?from={params['inviter']}" if params else ""),
        {
            "username": username,
            "email": f"{username}@example.com",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 302, response.content
    return User.objects.get(username=username)


def test_signing_up_welcomes_the_new_user(api, client, token_for):
    dana = sign_up(client, "dana")
    data = ok(api.get(ADN, token_for(dana)))
    assert len(data) == 1
    welcome = data[0]
    assert welcome["action"] == "welcome"
    assert welcome["objects"] == []
    assert [u["username"] for u in welcome["users"]] == ["dana"]
    assert welcome["event_date"].endswith("Z")
    # The domain's users (seeded, created by an admin) were never signed up: no welcome.
    assert not Interaction.objects.exclude(user=dana).filter(action=WELCOME).exists()


def test_pnut_and_diaspora_have_no_welcome(api, client, token_for):
    dana = sign_up(client, "dana")
    assert ok(api.get(PNUT, token_for(dana))) == []
    assert api.get("/api/v1/notifications", token_for(dana, ["notifications"])).json() == []
    row = Interaction.objects.get(user=dana)
    guid = f"{row.pk:032x}"
    found = api.get(f"/api/v1/notifications/{guid}", token_for(dana, ["notifications"]))
    assert found.status_code == 404


def test_creating_subscribing_and_unsubscribing_a_broadcast(api, alice, bob, carol, token_for):
    tokens = {u.username: token_for(u) for u in (alice, bob, carol)}
    cast = ok(api.post(CHANNELS, tokens["alice"], data=BROADCAST))
    ok(api.post(f"{CHANNELS}/{cast['id']}/subscribe", tokens["bob"]))
    ok(api.post(f"{CHANNELS}/{cast['id']}/subscribe", tokens["carol"]))
    ok(api.post(f"{CHANNELS}/{cast['id']}/subscribe", tokens["carol"]))  # no second event
    data = ok(api.get(ADN, tokens["alice"]))
    assert [i["action"] for i in data] == ["broadcast_subscribe", "broadcast_create"]
    subscribed, created = data
    assert [u["username"] for u in subscribed["users"]] == ["carol", "bob"]
    assert [c["id"] for c in subscribed["objects"]] == [cast["id"]]
    assert subscribed["objects"][0]["type"] == "net.app.core.broadcast"
    assert subscribed["objects"][0]["counts"]["subscribers"] == 3
    assert [u["username"] for u in created["users"]] == ["alice"]
    assert created["objects"][0]["id"] == cast["id"]

    ok(api.delete(f"{CHANNELS}/{cast['id']}/subscribe", tokens["bob"]))
    ok(api.delete(f"{CHANNELS}/{cast['id']}/subscribe", tokens["bob"]))  # not subscribed: nothing
    data = ok(api.get(ADN, tokens["alice"]))
    assert [(i["action"], [u["username"] for u in i["users"]]) for i in data] == [
        ("broadcast_unsubscribe", ["bob"]),
        ("broadcast_subscribe", ["carol"]),
        ("broadcast_create", ["alice"]),
    ]
    # Subscribing again replaces bob's unsubscribe: one row per subscriber and channel.
    ok(api.post(f"{CHANNELS}/{cast['id']}/subscribe", tokens["bob"]))
    rows = Interaction.objects.filter(actor=bob, channel_id=cast["id"])
    assert list(rows.values_list("action", flat=True)) == [BROADCAST_SUBSCRIBE]
    # Nobody else hears of it; the filters name the new actions.
    assert ok(api.get(ADN, tokens["bob"])) == []
    only = ok(api.get(ADN, tokens["alice"], interaction_actions="broadcast_create"))
    assert [i["action"] for i in only] == ["broadcast_create"]


def test_muting_a_broadcast_tells_its_owner_of_the_unsubscribe(api, alice, bob, token_for):
    cast = create_channel(alice, **BROADCAST)
    ok(api.post(f"{CHANNELS}/{cast.pk}/subscribe", token_for(bob)))
    ok(api.post(f"{CHANNELS}/{cast.pk}/mute", token_for(bob)))
    actions = Interaction.objects.filter(channel=cast).values_list("action", flat=True)
    assert sorted(actions) == sorted([BROADCAST_CREATE, BROADCAST_UNSUBSCRIBE])


def test_other_channel_types_write_no_broadcast_interactions(api, alice, bob, token_for):
    room = create_channel(alice, type="com.example.room", readers={"public": True})
    ok(api.post(f"{CHANNELS}/{room.pk}/subscribe", token_for(bob)))
    ok(api.delete(f"{CHANNELS}/{room.pk}/subscribe", token_for(bob)))
    assert not Interaction.objects.exists()


def test_a_deactivated_broadcast_leaves_the_list(api, alice, bob, token_for):
    cast = create_channel(alice, **BROADCAST)
    ok(api.post(f"{CHANNELS}/{cast.pk}/subscribe", token_for(bob)))
    assert len(ok(api.get(ADN, token_for(alice)))) == 2
    deactivate_channel(alice, cast)
    assert ok(api.get(ADN, token_for(alice))) == []


def test_pnut_and_diaspora_leave_broadcasts_out(api, alice, bob, token_for):
    cast = create_channel(alice, **BROADCAST)
    ok(api.post(f"{CHANNELS}/{cast.pk}/subscribe", token_for(bob)))
    ok(api.put(f"/v1/users/{alice.pk}/follow", token_for(bob)))
    assert [i["action"] for i in ok(api.get(PNUT, token_for(alice)))] == ["follow"]
    assert ok(api.get(PNUT, token_for(alice), filters="broadcast_subscribe")) == []
    notes = api.get("/api/v1/notifications", token_for(alice, ["notifications"])).json()
    assert [n["type"] for n in notes] == ["started_sharing"]


def test_a_failed_channel_creation_writes_no_interaction(api, alice, token_for):
    bad = {**BROADCAST, "writers": {"any_user": True}}
    error(api.post(CHANNELS, token_for(alice), data=bad), 400)
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("channels", [1, 8])
def test_a_page_of_broadcasts_costs_the_same_queries_for_any_number(
    api, alice, make_user, token_for, channels, django_assert_max_num_queries
):
    fans = [make_user(f"fan{i}") for i in range(3)]
    for _ in range(channels):
        cast = create_channel(alice, **BROADCAST)
        for fan in fans:
            ok(api.post(f"{CHANNELS}/{cast.pk}/subscribe", token_for(fan)))
    token = token_for(alice)
    # The four of any page, and the channels: their rows, relations and owners' relations.
    with django_assert_max_num_queries(7):
        data = ok(api.get(ADN, token, count=200))
    assert len(data) == 2 * channels
    assert all(len(i["objects"]) == 1 for i in data)
