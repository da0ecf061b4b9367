"""pnut's presence: ``PUT users/me/presence`` and ``GET presence``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from users.models import Presence
from users.services import graph

from ..post_support import error, ok

pytestmark = pytest.mark.django_db


def test_presence_is_set_listed_and_ended(api, alice, bob, carol, token_for):
    mine = ok(api.put("/v1/users/me/presence", token_for(alice), data={"presence": "coding"}))
    assert mine["presence"] == "coding" and mine["id"] == str(alice.pk)
    ok(api.put("/v1/users/me/presence", token_for(bob)))  # online by default
    ok(api.put("/v1/users/me/presence", token_for(carol)))
    Presence.objects.filter(user=carol).update(last_seen_at=timezone.now() - timedelta(hours=1))
    listed = ok(api.get("/v1/presence"))
    assert [(p["id"], p["presence"]) for p in listed] == [
        (str(bob.pk), "online"),
        (str(alice.pk), "coding"),
    ]
    graph.block(alice, bob)
    assert [p["id"] for p in ok(api.get("/v1/presence", token_for(alice)))] == [str(alice.pk)]
    gone = ok(api.put("/v1/users/me/presence", token_for(alice), data={"presence": "offline"}))
    assert gone["presence"] == "offline"
    assert [p["id"] for p in ok(api.get("/v1/presence"))] == [str(bob.pk)]


def test_bad_presence(api, alice, token_for):
    token = token_for(alice)
    for bad in ("", "x" * 101, 5, ["online"]):
        error(api.put("/v1/users/me/presence", token, data={"presence": bad}), 400)
    error(api.put("/v1/users/me/presence", data={"presence": "here"}), 401)
    assert not Presence.objects.exists()
