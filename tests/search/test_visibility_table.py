"""What search and interactions leave out, one row per reason: the viewer blocked the author, the
author blocked the viewer, the viewer muted them, their account is suspended, the post was
deleted, the post is machine-only. Each row is checked to show first, so it cannot pass
vacuously."""

from __future__ import annotations

import pytest

from messaging.services.channels import create_channel, deactivate_channel, subscribe
from posts.services.posting import create_post
from posts.services.stars import star

from ..post_support import REASONS, hide, ok

pytestmark = pytest.mark.django_db

ANNOTATION = [{"type": "com.example.needle", "value": {"n": 1}}]


@pytest.mark.parametrize("reason", REASONS)
def test_search_leaves_out(api, alice, bob, token_for, reason):
    if reason == "machine_only":
        post = create_post(bob, machine_only=True, annotations=ANNOTATION)
        params = {"annotation_types": "com.example.needle"}
        token = token_for(alice)
        assert ok(api.get("/stream/0/posts/search", token, **params)) == []
        # Asked for, machine-only posts show: the row above is the filter's doing.
        params["include_machine"] = "1"
        assert len(ok(api.get("/stream/0/posts/search", token, **params))) == 1
        return
    post = create_post(bob, text="a needle in the haystack", annotations=ANNOTATION)
    token = token_for(alice)
    for params in ({"query": "needle"}, {"annotation_types": "com.example.needle"}):
        assert len(ok(api.get("/stream/0/posts/search", token, **params))) == 1
    hide(reason, alice, bob, post)
    for params in ({"query": "needle"}, {"annotation_types": "com.example.needle"}):
        assert ok(api.get("/stream/0/posts/search", token, **params)) == []


@pytest.mark.parametrize("reason", REASONS)
def test_interactions_leave_out(api, alice, bob, token_for, reason):
    if reason == "machine_only":
        post = create_post(alice, machine_only=True, annotations=ANNOTATION)
    else:
        post = create_post(alice, text="starred")
    star(bob, post)
    token = token_for(alice)
    paths = ("/stream/0/users/me/interactions", "/v1/users/me/actions")
    if reason != "machine_only":
        assert all(len(ok(api.get(path, token))) == 1 for path in paths)
        hide(reason, alice, bob, post)
    for path in paths:
        assert ok(api.get(path, token)) == []
    diaspora = api.get("/api/v1/notifications", token_for(alice, ["notifications"]))
    assert diaspora.json() == []


@pytest.mark.parametrize("reason", REASONS)
def test_diaspora_search_leaves_out(api, alice, bob, token_for, reason):
    token = token_for(alice)
    paths = {"/api/v1/search/posts": {"tag": "needle"}, "/api/v1/search/tags": {"query": "nee"}}
    if reason == "machine_only":  # no text, so no tag: nothing for a tag search to find
        create_post(bob, machine_only=True, annotations=ANNOTATION)
        assert all(api.get(p, token, **q).json() == [] for p, q in paths.items())
        return
    post = create_post(bob, text="a #needle in the haystack")
    for path, params in paths.items():
        assert len(api.get(path, token, **params).json()) == 1
    hide(reason, alice, bob, post)
    for path, params in paths.items():
        assert api.get(path, token, **params).json() == []


@pytest.mark.parametrize("reason", ["blocked", "blocked_by", "suspended"])
def test_diaspora_user_search_leaves_out(api, alice, bob, token_for, reason):
    token = token_for(alice)
    found = api.get("/api/v1/search/users", token, name_or_handle="bob").json()
    assert [p["guid"] for p in found] == [bob.guid]
    hide(reason, alice, bob, create_post(bob, text="hello"))
    assert api.get("/api/v1/search/users", token, name_or_handle="bob").json() == []


# App.net's broadcast interactions are about a subscriber and a channel, not a post: the same
# user reasons hide the subscriber, and a deactivated channel takes its interactions away.
BROADCAST_REASONS = ["blocked", "blocked_by", "muted", "suspended", "deactivated"]


@pytest.mark.parametrize("reason", BROADCAST_REASONS)
def test_broadcast_interactions_leave_out(api, alice, bob, token_for, reason):
    cast = create_channel(alice, type="net.app.core.broadcast", readers={"public": True})
    subscribe(bob, cast)
    token = token_for(alice)
    path = "/stream/0/users/me/interactions"
    shown = [(i["action"], [u["username"] for u in i["users"]]) for i in ok(api.get(path, token))]
    assert shown == [("broadcast_subscribe", ["bob"]), ("broadcast_create", ["alice"])]
    if reason == "deactivated":
        deactivate_channel(alice, cast)
        assert ok(api.get(path, token)) == []
        return
    hide(reason, alice, bob, None)
    assert [i["action"] for i in ok(api.get(path, token))] == ["broadcast_create"]
