"""The small endpoints: an app's own users (``apps/me/tokens``, ``users/muted|blocked/ids``),
``X-OAuth-Scopes`` on App.net responses, and pnut's ``sys/config``, ``sys/stats``,
``GET users?ids=`` and muted/blocked lists."""

from __future__ import annotations

import pytest

from posts.services.posting import create_post
from users.services import graph

from .post_support import error, ok

pytestmark = pytest.mark.django_db


def test_apps_me_tokens_lists_the_apps_users(api, alice, bob, carol, token_for):
    token_for(alice)
    token_for(bob, ["basic", "stream"])
    app_token = token_for(None)
    tokens = ok(api.get("/stream/0/apps/me/tokens", app_token))
    assert [t["user"]["username"] for t in tokens] == ["bob", "alice"]
    assert tokens[0]["scopes"] == ["basic", "stream"]
    ids = ok(api.get("/stream/0/apps/me/tokens/user_ids", app_token))
    assert ids == [str(bob.pk), str(alice.pk)]
    error(api.get("/stream/0/apps/me/tokens", token_for(carol)), 403)
    error(api.get("/stream/0/apps/me/tokens"), 401)


@pytest.mark.parametrize("relation", ["muted", "blocked"])
def test_relation_ids_for_the_apps_users(api, alice, bob, carol, make_user, token_for, relation):
    change = graph.mute if relation == "muted" else graph.block
    dave = make_user("dave")
    change(alice, bob)
    change(alice, carol)
    change(dave, alice)  # dave has not authorized the app: not told
    token_for(alice)
    token_for(bob)
    app_token = token_for(None)
    path = f"/stream/0/users/{relation}/ids"
    data = ok(api.get(path, app_token, ids=f"{alice.pk},{bob.pk},{dave.pk}"))
    assert data == {str(alice.pk): [str(carol.pk), str(bob.pk)], str(bob.pk): []}
    error(api.get(path, app_token), 400)
    error(api.get(path, app_token, ids="x"), 400)
    error(api.get(path, app_token, ids=",".join(["1"] * 201)), 400)
    error(api.get(path, token_for(alice), ids=str(alice.pk)), 403)


def test_adn_responses_carry_the_granted_scopes(api, alice, token_for):
    response = api.get("/stream/0/users/me", token_for(alice, ["basic", "stream"]))
    assert response["X-OAuth-Scopes"] == "basic,stream"
    assert "X-OAuth-Scopes" not in api.get("/stream/0/config")


def test_pnut_sys_config_and_stats(api, alice, bob):
    config = ok(api.get("/v1/sys/config"))
    assert config["user"]["annotation_max_bytes"] > 0
    create_post(alice, text="one")
    create_post(bob, text="two")
    assert ok(api.get("/v1/sys/stats")) == {"user_count": 2, "post_count": 2}


def test_pnut_users_by_ids_and_own_lists(api, alice, bob, carol, token_for):
    data = ok(api.get("/v1/users", ids=f"{bob.pk},{alice.pk}"))
    assert [u["username"] for u in data] == ["bob", "alice"]
    error(api.get("/v1/users"), 400)
    graph.mute(alice, bob)
    graph.block(alice, carol)
    token = token_for(alice)
    assert [u["username"] for u in ok(api.get("/v1/users/me/muted", token))] == ["bob"]
    assert [u["username"] for u in ok(api.get("/v1/users/me/blocked", token))] == ["carol"]
    error(api.get(f"/v1/users/{bob.pk}/muted", token), 403)
    error(api.get("/v1/users/me/muted"), 401)
