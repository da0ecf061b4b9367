"""Bad input in the pnut dialect: always pnut's error shape, a 4xx, and nothing changed."""

from __future__ import annotations

import pytest

from pnut.renderers import PnutRenderer

from ..post_support import snapshot
from .support import V1, data_of, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_id(api, alice, tokens) -> str:
    return data_of(api.post(f"{V1}/posts", tokens["alice"], data={"text": "a post"}), 201)["id"]


def test_malformed_json_is_400(api, tokens):
    before = snapshot()
    response = api.post_raw(f"{V1}/posts", tokens["alice"], '{"text": "unterminated')
    assert "Malformed" in error_of(response, 400)
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        {"text": "x" * 257},
        {"text": ""},
        {"text": 42},
        {"text": "ok", "reply_to": "999999999"},
        {"text": "ok", "reply_to": str(2**64)},
        {"text": "ok", "is_nsfw": "maybe"},
        {"text": "ok", "raw": "not raw"},
        {"text": "ok", "raw": {"io.example": {"not": "a list"}}},
        {"text": "ok", "raw": {"io.example": ["not an object"]}},
        {"text": "ok", "entities": "nope"},
        ["a", "list"],
    ],
)
def test_bad_new_posts_are_400_and_save_nothing(api, alice, tokens, body):
    before = snapshot()
    error_of(api.post(f"{V1}/posts", tokens["alice"], data=body), 400)
    assert snapshot() == before


def test_text_too_long_says_so(api, alice, tokens):
    message = error_of(api.post(f"{V1}/posts", tokens["alice"], data={"text": "é" * 300}), 400)
    assert "300" in message and "256" in message


def test_unknown_post_is_404(api, tokens):
    error_of(api.get(f"{V1}/posts/999999999"), 404)
    error_of(api.put(f"{V1}/posts/999999999/repost", tokens["bob"]), 404)
    error_of(api.put(f"{V1}/posts/999999999/bookmark", tokens["bob"]), 404)
    error_of(api.get(f"{V1}/posts/999999999/thread"), 404)


@pytest.mark.parametrize("bad_id", [str(2**64), str(2**63), "abc", "-1", "1.5"])
def test_ids_that_are_not_64_bit_ids_are_400(api, tokens, bad_id):
    error_of(api.get(f"{V1}/posts/{bad_id}"), 400)
    error_of(api.put(f"{V1}/posts/{bad_id}/repost", tokens["bob"]), 400)
    error_of(api.get(f"{V1}/users/{bad_id}"), 400)
    error_of(api.get(f"{V1}/posts", ids=f"1,{bad_id}"), 400)


def test_unknown_user_is_404(api, tokens):
    error_of(api.get(f"{V1}/users/@nobody_here"), 404)
    error_of(api.put(f"{V1}/users/999999999/follow", tokens["bob"]), 404)


@pytest.mark.parametrize(
    "path", ["/v1/nothing", "/v1/posts/1/unknown", "/v1/users/1/posts/extra", "/v1/"]
)
def test_unknown_routes_are_pnut_404s(api, path):
    assert path in error_of(api.get(path), 404)
    error_of(api.call("DELETE", path), 404)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "posts/{id}/repost", {"PUT", "DELETE", "OPTIONS"}),
        ("POST", "posts/{id}/bookmark", {"PUT", "DELETE", "OPTIONS"}),
        # pnut revises a post with PUT (tests/pnut/test_revisions.py).
        ("POST", "posts/{id}", {"GET", "PUT", "DELETE", "HEAD", "OPTIONS"}),
        ("POST", "users/me", {"GET", "PUT", "PATCH", "HEAD", "OPTIONS"}),
        ("POST", "users/me/follow", {"PUT", "DELETE", "OPTIONS"}),
        ("DELETE", "posts/streams/global", {"GET", "HEAD", "OPTIONS"}),
        ("GET", "text/process", {"POST", "OPTIONS"}),
    ],
)
def test_wrong_method_is_405_with_allow(api, tokens, post_id, method, path, allowed):
    before = snapshot()
    url = f"{V1}/{path.format(id=post_id)}"
    for token in (tokens["bob"], None):  # 405 whether or not a token is given
        response = api.call(method, url, token)
        error_of(response, 405)
        assert {m.strip() for m in response["Allow"].split(",")} == allowed
    assert snapshot() == before


def test_missing_token_is_401_invalid_token(api, post_id):
    before = snapshot()
    response = api.put(f"{V1}/posts/{post_id}/repost")
    error_of(response, 401)
    assert response.json()["meta"]["error_slug"] == "invalid-token"
    assert response["WWW-Authenticate"].startswith("Bearer")
    error_of(api.get(f"{V1}/posts/streams/me"), 401)
    error_of(api.get(f"{V1}/token"), 401)
    assert snapshot() == before


def test_bad_token_is_401(api, post_id):
    error_of(api.get(f"{V1}/posts/{post_id}", "not-a-real-token"), 401)


def test_missing_scope_is_403_and_the_header_says_what_was_granted(api, bob, token_for, post_id):
    before = snapshot()
    basic_only = token_for(bob, ["basic"])
    response = api.put(f"{V1}/posts/{post_id}/repost", basic_only)
    assert "write_post" in error_of(response, 403)
    assert response["X-OAuth-Scopes"] == "basic"
    error_of(api.get(f"{V1}/posts/streams/me", basic_only), 403)
    error_of(api.put(f"{V1}/users/me/follow", basic_only), 403)
    assert snapshot() == before


@pytest.mark.parametrize("path", [f"{V1}/posts/999999999", f"{V1}/no/such/route"])
def test_pretty_errors_on_request(api, path):
    response = api.call("GET", path, headers={"X-Pretty-JSON": "1"})
    error_of(response, 404)
    assert response.content.decode().startswith('{\n    "meta": {')


def test_a_crash_outside_the_view_is_a_pnut_500_not_html(api, post_id, monkeypatch):
    def explode(self, data, meta):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(PnutRenderer, "success_body", explode)
    # Pretty-printed on pnut's header: pnut's renderer answered, not ADN's.
    response = api.call("GET", f"{V1}/posts/{post_id}", headers={"X-Pretty-JSON": "1"})
    error_of(response, 500)
    assert response.content.decode().startswith('{\n    "meta": {')
