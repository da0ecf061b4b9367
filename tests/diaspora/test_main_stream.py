"""diaspora's main stream, ``GET /api/v1/streams/main``: the posts of the people the viewer
follows and their own, newest first, in diaspora's post shape, paged by ``per_page`` and the
``Link`` header."""

from __future__ import annotations

import pytest

from posts.services.posting import create_post, delete_post
from streams.services.fanout import write_rows
from users.services import graph

from .support import API, ok
from .test_pagination import links, relative

pytestmark = pytest.mark.django_db

MAIN = f"{API}/streams/main"


@pytest.fixture
def stream(alice, bob, make_user):
    """alice follows bob; 30 posts by bob and alice in her stream, one by a stranger not."""
    graph.follow(alice, bob)
    stranger = make_user("stranger")
    posts = []
    for i in range(30):
        post = create_post(bob if i % 3 else alice, text=f"post {i}")
        write_rows([alice.pk], post.pk)
        posts.append(post)
    create_post(stranger, text="not for alice")
    return posts


def test_the_main_stream_is_the_followed_peoples_posts_newest_first(api, alice, token_for, stream):
    page = ok(api.get(MAIN, token_for(alice), per_page=5))
    assert [p["guid"] for p in page] == [p.guid for p in reversed(stream[-5:])]
    assert {p["author"]["diaspora_id"].split("@")[0] for p in page} <= {"alice", "bob"}
    assert page[0]["post_type"] == "StatusMessage"
    assert set(page[0]["own_interaction_state"]) >= {"liked", "reshared", "subscribed"}


def test_following_next_walks_the_stream_once_and_previous_comes_back(
    api, alice, token_for, stream
):
    token = token_for(alice)
    response = api.get(MAIN, token, per_page=7)
    first = ok(response)
    assert "previous" not in links(response)
    seen = [p["guid"] for p in first]
    while "next" in links(response):
        response = api.get(relative(links(response)["next"]), token)
        seen += [p["guid"] for p in ok(response)]
    assert seen == [p.guid for p in reversed(stream)]
    second = api.get(relative(links(api.get(MAIN, token, per_page=7))["next"]), token)
    back = ok(api.get(relative(links(second)["previous"]), token))
    assert [p["guid"] for p in back] == [p["guid"] for p in first]


def test_deleted_posts_are_left_out(api, alice, token_for, stream):
    delete_post(stream[-1].user, stream[-1].pk)
    page = ok(api.get(MAIN, token_for(alice), per_page=3, include_deleted=1))
    assert stream[-1].guid not in [p["guid"] for p in page]


def test_it_needs_a_token_that_may_read_the_stream(api, alice, token_for, stream):
    assert api.get(MAIN).status_code == 401
    assert api.get(MAIN, token_for(alice, ["basic"])).status_code == 403
    assert ok(api.get(MAIN, token_for(alice, ["public:read"]), per_page=1))
    assert ok(api.get(MAIN, token_for(alice, ["stream"]), per_page=1))


def test_numbered_pages_past_the_first_are_refused(api, alice, token_for, stream):
    response = api.get(MAIN, token_for(alice), page=2)
    assert response.status_code == 400
    assert "Link" in response.json()["message"]
