"""pnut's general post parameters that choose which posts a stream holds:
``include_replies``, ``include_mention_posts`` and ``include_copy_mentions`` (on a user's
mentions), each defaulting to true; App.net has no such parameters and ignores them."""

from __future__ import annotations

import pytest

from streams.services.fanout import write_rows

from .support import V1, data_of

pytestmark = pytest.mark.django_db


def post(api, token, text, **fields) -> str:
    return data_of(api.post(f"{V1}/posts", token, data={"text": text, **fields}), 201)["id"]


def ids(api, path, token=None, **params) -> list[str]:
    return [p["id"] for p in data_of(api.get(f"{V1}/{path}", token, **params))]


@pytest.fixture
def posts(api, alice, bob, carol, tokens) -> dict[str, str]:
    made = {}
    made["plain"] = post(api, tokens["alice"], "just words")
    made["mention"] = post(api, tokens["alice"], "hello @bob")
    made["reply"] = post(api, tokens["alice"], "a reply", reply_to=made["plain"])
    made["copy"] = post(api, tokens["alice"], "news for all /@carol @bob")
    made["mixed"] = post(api, tokens["alice"], "@bob first, then /@carol")
    return made


def test_include_replies_0_leaves_replies_out(api, alice, tokens, posts):
    every = ids(api, "posts/streams/global")
    assert posts["reply"] in every
    without = ids(api, "posts/streams/global", include_replies=0)
    assert without == [i for i in every if i != posts["reply"]]
    assert ids(api, f"users/{alice.pk}/posts", include_replies=0) == without


def test_include_mention_posts_0_leaves_out_posts_that_mention_anyone(api, alice, posts):
    assert ids(api, "posts/streams/global", include_mention_posts=0) == [
        posts["reply"],
        posts["plain"],
    ]


def test_include_copy_mentions_0_leaves_out_posts_that_only_copy_the_user(
    api, bob, carol, tokens, posts
):
    bobs = ids(api, f"users/{bob.pk}/mentions", tokens["bob"])
    assert bobs == [posts["mixed"], posts["copy"], posts["mention"]]
    # "/@carol @bob": bob is copied too (the run of mentions after the slash).
    assert ids(api, f"users/{bob.pk}/mentions", tokens["bob"], include_copy_mentions=0) == [
        posts["mixed"],
        posts["mention"],
    ]
    carols = ids(api, f"users/{carol.pk}/mentions", tokens["carol"], include_copy_mentions=0)
    assert carols == []
    assert ids(api, f"users/{carol.pk}/mentions", tokens["carol"]) == [
        posts["mixed"],
        posts["copy"],
    ]


def test_the_personal_stream_takes_them_too(api, alice, bob, tokens, posts):
    for post_id in posts.values():
        write_rows([bob.pk], int(post_id))
    mine = ids(api, "posts/streams/me", tokens["bob"], include_replies=0, include_mention_posts=0)
    assert mine == [posts["plain"]]


def test_app_net_has_no_such_parameters(api, alice, posts):
    response = api.get("/stream/0/posts/stream/global", include_replies=0, include_mention_posts=0)
    assert len(response.json()["data"]) == len(posts)


@pytest.mark.parametrize("n", [5, 40])
def test_filtered_streams_keep_a_constant_number_of_queries(
    api, alice, bob, tokens, django_assert_num_queries, n
):
    for i in range(n):
        post(api, tokens["alice"], f"@bob hi {i}" if i % 2 else f"news {i} /@bob")
    params = {"include_replies": 0, "include_copy_mentions": 0}
    path = f"{V1}/users/{bob.pk}/mentions"
    # the token, the user, the page's ids, its posts (not cached yet), the viewer's relations,
    # the client counts
    with django_assert_num_queries(6):
        page = data_of(api.get(path, tokens["alice"], count=200, **params))
    assert len(page) == n // 2
