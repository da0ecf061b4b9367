"""Every write endpoint of every dialect checks the token before doing anything: none → 401,
a token without the scope → 403, an app token where a user must act → 403 (CONTRACT §2).

The endpoints are read from the URL configuration (``endpoints.api_write_endpoints``), so a write
endpoint added later is tested here without being listed."""

from __future__ import annotations

import pytest

from posts.models import Post, Star
from users.models import Block, Follow, Mute

from .endpoints import api_write_endpoints
from .support import assert_dialect_error

WRITE_ENDPOINTS = api_write_endpoints()
IDS = [str(endpoint) for endpoint in WRITE_ENDPOINTS]
USER_ENDPOINTS = [e for e in WRITE_ENDPOINTS if e.access.token == "user"]
SCOPED_ENDPOINTS = [e for e in WRITE_ENDPOINTS if e.access.scope]


def test_the_url_configuration_has_write_endpoints_in_every_dialect():
    # Guards the enumeration itself: if it found nothing, every test below would pass vacuously.
    dialects = {endpoint.dialect for endpoint in WRITE_ENDPOINTS}
    assert dialects == {"ADNRenderer", "PnutRenderer", "DiasporaRenderer"}
    assert len(WRITE_ENDPOINTS) >= 30


@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS, ids=IDS)
def test_every_write_endpoint_declares_who_may_call_it(endpoint):
    """A view that forgets to name a write method's rule would get the scope-less default; a
    write is never open to anonymous callers."""
    assert endpoint.declared_access is not None, f"{endpoint}: add it to the view's `access`"
    assert endpoint.declared_access.token != "none", f"{endpoint} is writable without a token"


@pytest.fixture
def rows_written():
    def count() -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (Post, Star, Follow, Mute, Block))

    return count


@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS, ids=IDS)
def test_a_write_without_a_token_is_401_in_the_dialects_shape(
    api, make_user, endpoint, rows_written
):
    alice = make_user("alice")
    target = Post.objects.create(user=alice, text="hello")
    before = rows_written()
    path = endpoint.path(user_id=str(alice.pk), post_id=str(target.pk), guid=target.guid)
    response = api.call(endpoint.method, path, data={"text": "x"})
    meta = assert_dialect_error(response, endpoint.dialect, 401)
    if endpoint.dialect != "DiasporaRenderer":
        assert meta["error_slug"] == "invalid-token"
    assert rows_written() == before


@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS, ids=IDS)
def test_a_write_with_a_made_up_token_is_401(api, endpoint):
    response = api.call(endpoint.method, endpoint.path(), "not-a-real-token", data={})
    assert_dialect_error(response, endpoint.dialect, 401)


@pytest.mark.parametrize("endpoint", SCOPED_ENDPOINTS, ids=[str(e) for e in SCOPED_ENDPOINTS])
def test_a_write_with_a_token_lacking_the_scope_is_403(
    api, make_user, token_for, endpoint, rows_written
):
    alice, bob = make_user("alice"), make_user("bob")
    target = Post.objects.create(user=bob, text="hello")
    before = rows_written()
    token = token_for(alice, ["basic"])
    path = endpoint.path(user_id=str(bob.pk), post_id=str(target.pk), guid=target.guid)
    response = api.call(endpoint.method, path, token, data={"text": "x"})
    meta = assert_dialect_error(response, endpoint.dialect, 403)
    text = meta.get("error_message") or meta.get("message")
    assert endpoint.access.scope in text
    assert rows_written() == before


@pytest.mark.parametrize("endpoint", USER_ENDPOINTS, ids=[str(e) for e in USER_ENDPOINTS])
def test_an_app_token_cannot_write_as_a_user(api, make_user, token_for, endpoint, rows_written):
    bob = make_user("bob")
    target = Post.objects.create(user=bob, text="hello")
    before = rows_written()
    app_token = token_for(None)  # every scope, but no user
    path = endpoint.path(user_id=str(bob.pk), post_id=str(target.pk), guid=target.guid)
    response = api.call(endpoint.method, path, app_token, data={"text": "x"})
    assert_dialect_error(response, endpoint.dialect, 403)
    assert rows_written() == before


def test_the_diaspora_interactions_scope_does_not_open_adn_posting(api, make_user, token_for):
    """interactions (comments, likes) is narrower than write_post (CONTRACT §2)."""
    token = token_for(make_user("alice"), ["interactions"])
    response = api.post("/stream/0/posts", token, {"text": "hello"})
    assert_dialect_error(response, "ADNRenderer", 403)
    assert not Post.objects.exists()
