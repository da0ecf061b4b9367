"""Bad input in the diaspora dialect: always ``{"code", "message"}`` with the right status —
never a 500 page, never ADN's envelope, and nothing changed."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from adn_api.middleware import ApiErrorMiddleware
from tests.post_support import quick_post, snapshot

from .support import API, diaspora_error

NOT_FOUND = "Post with provided guid could not be found"


@pytest.fixture
def post(alice):
    return quick_post(alice)


def test_malformed_json_is_400(api, post, alice, token_for):
    before = snapshot()
    response = api.post_raw(
        f"{API}/posts/{post.guid}/comments", token_for(alice), '{"body": "unfinished'
    )
    assert "Malformed" in diaspora_error(response, 400)
    assert snapshot() == before


@pytest.mark.parametrize("body", [[1, 2], "just a string", 7])
def test_a_json_body_that_is_not_an_object_is_400(api, post, alice, token_for, body):
    before = snapshot()
    response = api.post_raw(f"{API}/posts/{post.guid}/comments", token_for(alice), json.dumps(body))
    diaspora_error(response, 400)
    assert snapshot() == before


@pytest.mark.parametrize(
    "guid", ["not-a-guid", "zz" * 16, "ab" * 17, "12345", "%00", "' or 1=1 --"]
)
@pytest.mark.parametrize("tail", ["", "/comments", "/reshares", "/likes"])
def test_a_guid_that_is_not_32_hex_is_404(api, guid, tail):
    diaspora_error(api.get(f"{API}/posts/{guid}{tail}"), 404, NOT_FOUND)


def test_a_guid_is_matched_whatever_its_case(api, post):
    response = api.get(f"{API}/posts/{post.guid.upper()}")
    assert response.status_code == 200 and response.json()["guid"] == post.guid


@pytest.mark.parametrize(
    # /api/v1/posts is publishing's route now (POST; tests/diaspora/test_polls.py).
    "path",
    ["/api/v1/", "/api/v1/nothing", "/api/v1/polls", "/api/v1/posts/x/y/z/w/v"],
)
def test_unknown_routes_are_404_in_diasporas_shape(api, path):
    assert "no API endpoint" in diaspora_error(api.get(path), 404)


@pytest.mark.parametrize(
    "method,tail", [("put", "/comments"), ("patch", ""), ("delete", ""), ("put", "/reshares")]
)
def test_a_wrong_method_is_405_with_allow(api, post, alice, token_for, method, tail):
    response = getattr(api, method)(f"{API}/posts/{post.guid}{tail}", token_for(alice))
    diaspora_error(response, 405)
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "method,tail",
    [("post", "/comments"), ("post", "/reshares"), ("post", "/likes"), ("delete", "/likes")],
)
def test_a_write_without_a_token_is_401(api, post, method, tail):
    before = snapshot()
    response = getattr(api, method)(f"{API}/posts/{post.guid}{tail}")
    diaspora_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert snapshot() == before


def test_an_invalid_token_is_401_even_on_a_read(api, post):
    diaspora_error(api.get(f"{API}/posts/{post.guid}", "not-a-real-token"), 401)


def test_a_token_without_the_scope_is_403(api, post, make_user, token_for):
    token = token_for(make_user("bob"), ["basic", "stream"])
    before = snapshot()
    for tail in ("/comments", "/reshares", "/likes"):
        diaspora_error(api.post(f"{API}/posts/{post.guid}{tail}", token, data={"body": "x"}), 403)
    assert snapshot() == before


def test_an_app_token_cannot_comment(api, post, token_for):
    before = snapshot()
    response = api.post(f"{API}/posts/{post.guid}/comments", token_for(None), data={"body": "x"})
    diaspora_error(response, 403)
    assert snapshot() == before


@pytest.mark.parametrize(
    "query",
    ["per_page=abc", "per_page=-3", "page=x", "after=abc", "before=1.5", "after=1&before=9"],
)
def test_bad_paging_parameters_are_400(api, post, query):
    diaspora_error(api.get(f"{API}/posts/{post.guid}/comments?{query}"), 400)


def test_an_unexpected_failure_is_a_500_in_diasporas_shape(api, post, monkeypatch):
    import diaspora.views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(diaspora.views, "get_post_by_guid", broken)
    message = diaspora_error(api.get(f"{API}/posts/{post.guid}"), 500)
    assert "boom" not in message


def test_an_exception_escaping_a_view_under_api_v1_is_diasporas_500(db):
    request = RequestFactory().get(f"{API}/posts/{'ab' * 16}")
    middleware = ApiErrorMiddleware(lambda request: None)
    response = middleware.process_exception(request, RuntimeError("boom"))
    body = json.loads(response.content)
    assert response.status_code == 500 and set(body) == {"code", "message"}
    assert body["code"] == 500


@pytest.mark.parametrize("comment_guid", ["%00", "ab%00" + "c" * 27, "x" * 32, "%C3%A9" * 16])
def test_a_malformed_comment_guid_is_not_found_never_a_500(
    api, post, alice, token_for, comment_guid
):
    """The comment guid is checked as the post's is: a NUL never reaches the database."""
    token = token_for(alice)
    comment = f"{API}/posts/{post.guid}/comments/{comment_guid}"
    before = snapshot()
    diaspora_error(api.delete(comment, token), 410, "Comment not found for the given post")
    response = api.post(f"{comment}/report", token, data={"reason": "spam"})
    diaspora_error(response, 404, "Comment not found for the given post")
    assert snapshot() == before
