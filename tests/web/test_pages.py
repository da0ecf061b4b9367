"""The web app's pages as a visitor and a signed-in user get them (Django's test client): every
``canonical_url`` the API hands out is a page, deleted and unknown posts are styled 410 and 404
pages, visibility is the API's, and each page costs a constant number of queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from posts.services.posting import create_post, delete_post
from users.models import User
from users.services import graph
from users.services.moderation import suspend
from users.services.profile import update_profile

from ..post_support import ok

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def html(response) -> str:
    return response.content.decode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_landing_page_says_what_the_server_is_and_shows_the_global_stream(client, alice):
    create_post(alice, text="Hello from the #web, @alice here")
    response = client.get("/")
    assert response.status_code == 200
    page = html(response)
    assert "Hello from the" in page
    assert "/stream/0/" in page and "/v1/" in page
    assert 'href="/signup/"' in page and 'href="/login/"' in page
    assert "script-src 'self'" in response[CSP]
    assert "unsafe-inline" not in response[CSP]


def test_every_canonical_url_the_api_hands_out_is_that_objects_page(
    api, client, alice, bob, token_for
):
    token = token_for(bob)
    post = ok(api.post("/stream/0/posts", token, data={"text": "a post with a page @alice"}))
    original = ok(api.post("/stream/0/posts", token_for(alice), data={"text": "orig"}))
    repost = ok(api.post(f"/stream/0/posts/{original['id']}/repost", token))
    user = ok(api.get("/stream/0/users/@alice", token))
    for url, expected in [
        (user["canonical_url"], "@alice"),
        (post["canonical_url"], "a post with a page"),
        (post["user"]["canonical_url"], "@bob"),
        (repost["canonical_url"], "orig"),
    ]:
        path = url.removeprefix("http://127.0.0.1:8000")
        assert path.startswith("/"), url
        response = client.get(path)
        assert response.status_code == 200, (url, response.status_code)
        assert expected in html(response)
        assert f'<link rel="canonical" href="http://testserver{path}">' in html(response)
        assert CSP in response


def test_a_deleted_post_is_a_410_page_and_an_unknown_one_a_404_page(client, alice):
    post = create_post(alice, text="soon gone")
    delete_post(alice, post.pk)
    response = client.get(f"/alice/post/{post.pk}")
    assert response.status_code == 410
    assert "deleted this post" in html(response)
    assert 'href="/static/web/site.css"' in html(response)
    assert CSP in response
    for path in [f"/alice/post/{post.pk + 1000}", "/nobody", "/alice/nothing/here"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert 'href="/static/web/site.css"' in html(response)
        assert CSP in response


def test_api_paths_keep_their_json_errors(client):
    response = client.get("/stream/0/no/such/thing")
    assert response.status_code == 404
    assert response.json()["meta"]["code"] == 404
    assert CSP not in response


def test_a_suspended_authors_posts_and_profile_are_gone(client, alice, bob):
    create_post(alice, text="alice was here")
    suspend([alice.pk])
    assert client.get("/alice").status_code == 404
    assert "alice was here" not in html(client.get("/"))
    assert "alice was here" not in html(client.get("/global"))


@pytest.mark.django_db(transaction=True)  # the fan-out runs on commit
def test_a_blocked_users_posts_are_absent_for_the_blocker(alice, bob):
    graph.follow(alice, bob)
    create_post(bob, text="bob says hi #hello")
    viewer = signed_in(alice)
    for path in ["/home", "/global", "/hashtags/hello", "/bob"]:
        assert "bob says hi" in html(viewer.get(path)), path
    graph.block(alice, bob)
    for path in ["/home", "/unified", "/global", "/hashtags/hello", "/bob"]:
        assert "bob says hi" not in html(viewer.get(path)), path


def test_reserved_names_cannot_be_signed_up_for(client):
    response = client.post(
        "/signup/",
        {
            "username": "home",
            "email": "h@example.com",
            "password1": "x9!longpassw",
            "password2": "x9!longpassw",
        },
    )
    assert response.status_code == 200
    assert "taken by a page" in html(response)
    assert not User.objects.filter(username="home").exists()


@pytest.mark.parametrize(
    ("path", "status", "kind"),
    [
        ("/healthz", None, "application/json"),
        ("/readyz", None, "application/json"),
        ("/stream/0/config", 200, "application/json"),
        ("/v1/sys/config", None, "application/json"),
        ("/admin/", 302, None),
        ("/oauth/authenticate", None, None),
        ("/login/", 200, "text/html"),
        ("/static/web/site.css", 200, "text/css"),
        ("/files/content/not-a-token", None, None),
    ],
)
def test_the_web_routes_shadow_no_other_route(client, db, path, status, kind):
    match = resolve(path) if not path.startswith("/static/") else None
    assert match is None or "web" not in match.namespaces, path
    response = client.get(path)
    if status is not None:
        assert response.status_code == status, path
    if kind is not None:
        assert response["Content-Type"].startswith(kind), path


def test_the_account_pages_carry_the_csp_and_the_admins_login_keeps_its_own(client, db):
    for path in ("/login/", "/signup/", "/logout/"):
        policy = client.get(path)[CSP]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        # Signing in may end at an app's redirect_uri (OAuth): no form-action there.
        assert "form-action" not in policy
    assert "form-action 'self'" in client.get("/")[CSP]
    assert CSP not in client.get("/admin/login/")


def test_a_profiles_description_is_its_pages_meta_description(client, alice, bob):
    update_profile(alice, {"description": {"text": "Coffee & birds"}}, replace=False)
    assert '<meta name="description" content="Coffee &amp; birds">' in html(client.get("/alice"))
    assert '<meta name="description" content="Posts by @bob">' in html(client.get("/bob"))
