"""Every post stream costs the same few SQL queries for a page of 20 and a page of 200: the token
(and the user the URL names, if it names one), then the page itself in at most three: its posts'
ids and versions (with the stream's marker), the posts the rendered-post cache does not hold yet
(reposts with their originals, authors and apps joined in; none once it holds them), and the
viewer's relationships to what is on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from adn_api.oauth.tokens import create_app, issue_token
from posts.services.posting import create_post
from posts.services.stars import star
from reposts.services import repost
from users.models import User
from users.services import graph

from .post_support import ok

pytestmark = pytest.mark.django_db

TOKEN_QUERIES = 1
PAGE_QUERIES = 3  # ids (and marker), the posts not yet cached, the viewer's context
CACHED_PAGE_QUERIES = 2  # every post cached: ids (and marker), the viewer's context
ORIGINALS = 205  # more than the largest page, in every stream below


@dataclass
class World:
    viewer: User
    friend: User
    token: str


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The viewer follows a friend who reposts a stranger's posts; the stranger mentions the
    viewer and tags every post; the viewer stars some and reposts one. Posts come from an app
    (rendered as their ``source``).

    Built once for the module (reading changes nothing) and committed, so fan-out runs
    in-process as each post commits; removed again at the end.
    """
    with django_db_blocker.unblock():
        app, _ = create_app("Query counter", link="https://client.example.com")
        viewer, friend, stranger = (
            User.objects.create_user(username=name) for name in ("viewer", "friend", "stranger")
        )
        graph.follow(viewer, friend)
        originals = [
            create_post(stranger, text=f"news {i} for @viewer #daily", source=app)
            for i in range(ORIGINALS)
        ]
        for i in range(5):
            create_post(friend, text=f"hello {i} #daily", source=app)
        for original in originals:
            repost(friend, original, source=app)
        for original in originals[::3]:
            star(viewer, original)
        repost(viewer, originals[-2])
        token = issue_token(viewer, app, ["basic", "stream"])
        yield World(viewer, friend, token)
        User.objects.filter(pk__in=[viewer.pk, friend.pk, stranger.pk]).delete()
        app.delete()


def read(
    api, world: World, path: str, count: int, django_assert_max_num_queries, names_a_user=False
) -> list[dict]:
    """The page read twice: first with the rendered-post cache empty, then from it."""
    lookups = TOKEN_QUERIES + (1 if names_a_user else 0)
    with django_assert_max_num_queries(lookups + PAGE_QUERIES):
        posts = ok(api.get(path, world.token, count=count))
    assert len(posts) == count
    with django_assert_max_num_queries(lookups + CACHED_PAGE_QUERIES):
        again = ok(api.get(path, world.token, count=count))
    assert again == posts
    return posts


def assert_reposts_embed_their_originals(posts: list[dict]) -> None:
    reposts = [p for p in posts if "repost_of" in p]
    assert reposts, "the page should hold reposts"
    for post in reposts:
        original = post["repost_of"]
        assert original["user"]["username"] == "stranger"
        assert original["text"].startswith("news ")
        assert original["source"]["client_id"]


@pytest.mark.parametrize("count", [20, 200])
@pytest.mark.parametrize("path", ["/stream/0/posts/stream", "/stream/0/posts/stream/unified"])
def test_personal_streams_cost_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, path, count
):
    posts = read(api, world, path, count, django_assert_max_num_queries)
    assert_reposts_embed_their_originals(posts)
    assert any(p["repost_of"]["you_starred"] for p in posts if "repost_of" in p)


@pytest.mark.parametrize("count", [20, 200])
def test_the_global_stream_costs_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, count
):
    posts = read(api, world, "/stream/0/posts/stream/global", count, django_assert_max_num_queries)
    assert not any("repost_of" in p for p in posts)
    assert any(p["you_starred"] for p in posts) and any(p["you_reposted"] for p in posts)


@pytest.mark.parametrize("count", [20, 200])
def test_a_users_posts_cost_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, count
):
    path = f"/stream/0/users/{world.friend.pk}/posts"
    posts = read(api, world, path, count, django_assert_max_num_queries, names_a_user=True)
    assert_reposts_embed_their_originals(posts)
    assert {p["user"]["id"] for p in posts} == {str(world.friend.pk)}
    assert all(p["user"]["you_follow"] for p in posts)


@pytest.mark.parametrize("count", [20, 200])
@pytest.mark.parametrize("who", ["me", "@viewer", "id"])
def test_mentions_cost_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, who, count
):
    user = str(world.viewer.pk) if who == "id" else who
    path = f"/stream/0/users/{user}/mentions"
    posts = read(api, world, path, count, django_assert_max_num_queries, names_a_user=who != "me")
    assert all("@viewer" in p["text"] for p in posts)


@pytest.mark.parametrize("count", [20, 200])
def test_a_hashtag_stream_costs_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, count
):
    posts = read(api, world, "/stream/0/posts/tag/daily", count, django_assert_max_num_queries)
    assert all("#daily" in p["text"] for p in posts)


@pytest.mark.parametrize("count", [20, 200])
def test_pnuts_personal_stream_costs_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, count
):
    path = "/v1/posts/streams/me"
    # pnut renders its users with their client counts: one query more while not cached.
    for queries in (TOKEN_QUERIES + PAGE_QUERIES + 1, TOKEN_QUERIES + CACHED_PAGE_QUERIES):
        with django_assert_max_num_queries(queries):
            response = api.get(path, world.token, count=count)
        assert response.status_code == 200 and len(response.json()["data"]) == count


# diaspora shows the people a post mentions as they now are: read once more for a page whose
# posts are not cached yet and mention someone (here every original mentions the viewer).
DIASPORA_MENTIONED_PEOPLE = 1


@pytest.mark.parametrize("per_page", [20, 100])
def test_diasporas_main_stream_costs_the_same_queries_for_any_page_size(
    api, world, django_assert_max_num_queries, per_page
):
    cold = TOKEN_QUERIES + PAGE_QUERIES + DIASPORA_MENTIONED_PEOPLE
    for queries in (cold, TOKEN_QUERIES + CACHED_PAGE_QUERIES):
        with django_assert_max_num_queries(queries):
            response = api.get("/api/v1/streams/main", world.token, per_page=per_page)
        assert response.status_code == 200 and len(response.json()) == per_page
