"""``posts/search`` (App.net and pnut) over PostgreSQL full-text search, every filter, bad input
answered with an enveloped 400 and never a 500, and a constant number of queries per page."""

from __future__ import annotations

import pytest

from posts.services.posting import create_post
from users.services import graph

from ..post_support import error, ok

pytestmark = pytest.mark.django_db

SEARCH = "/stream/0/posts/search"


def ids(data) -> list[str]:
    return [p["id"] for p in data]


@pytest.fixture
def corpus(alice, bob, carol):
    posts = {
        "cats": create_post(alice, text="I love cats and #kittens"),
        "dogs": create_post(bob, text="dogs are better than cats, @alice"),
        "lead": create_post(carol, text="@bob cats? see https://example.com/cats"),
        "none": create_post(carol, text="nothing to see here"),
    }
    posts["reply"] = create_post(alice, text="cats reply", reply_to=posts["dogs"].pk)
    return posts


def test_query_matches_words_newest_first(api, corpus):
    data = ok(api.get(SEARCH, query="cats"))
    p = corpus
    assert ids(data) == [str(p[k].pk) for k in ("reply", "lead", "dogs", "cats")]
    assert ids(ok(api.get(SEARCH, query="love cats"))) == [str(p["cats"].pk)]
    assert ok(api.get(SEARCH, query="zebra")) == []


def test_pnut_search_and_the_route_is_not_a_post_id(api, corpus):
    assert ids(ok(api.get("/v1/posts/search", q="kittens"))) == [str(corpus["cats"].pk)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"hashtags": "kittens"}, ["cats"]),
        ({"mentions": "alice"}, ["dogs"]),
        ({"leading_mentions": "bob"}, ["lead"]),
        ({"links": "https://example.com/cats"}, ["lead"]),
        ({"link_domains": "example.com"}, ["lead"]),
        ({"query": "cats", "is_reply": "1"}, ["reply"]),
        ({"query": "cats", "is_reply": "0", "is_directed": "1"}, ["lead"]),
        ({"query": "cats", "creator_id": "ALICE"}, ["reply", "cats"]),
    ],
)
def test_filters(api, corpus, params, expected):
    if params.get("creator_id") == "ALICE":
        params = {**params, "creator_id": str(corpus["cats"].user_id)}
    assert ids(ok(api.get(SEARCH, **params))) == [str(corpus[k].pk) for k in expected]


def test_thread_reply_to_and_score_order(api, corpus):
    thread = corpus["dogs"].pk
    found = ids(ok(api.get(SEARCH, thread_id=str(thread))))
    assert found == [str(corpus["reply"].pk), str(thread)]
    assert ids(ok(api.get(SEARCH, reply_to=str(thread)))) == [str(corpus["reply"].pk)]
    scored = ids(ok(api.get(SEARCH, query="cats love", order="score")))
    assert scored == [str(corpus["cats"].pk)]
    error(api.get(SEARCH, query="cats", order="score", before_id="3"), 400)


def test_pagination(api, alice):
    posts = [create_post(alice, text=f"page word {i}") for i in range(5)]
    first = api.get(SEARCH, query="word", count=2).json()
    assert first["meta"]["more"] is True
    rest = ok(api.get(SEARCH, query="word", count=10, before_id=first["meta"]["min_id"]))
    assert ids(first["data"]) + ids(rest) == [str(p.pk) for p in reversed(posts)]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"query": ""},
        {"query": "   "},
        {"query": "x" * 10_000},
        {"query": "cats", "order": "random"},
        {"order": "score", "hashtags": "kittens"},
        {"query": "cats", "is_reply": "perhaps"},
        {"creator_id": "-1"},
        {"query": "a\x00b"},
    ],
)
def test_bad_input_is_an_enveloped_400(api, corpus, params):
    error(api.get(SEARCH, **{k: v.replace("\x00", "%00") for k, v in params.items()}), 400)


@pytest.mark.parametrize(
    "query", ['"cats', "cats*", "cats NEAR dogs", "o'cats", "cats & | ! ( ) :*", "NEAR/2"]
)
def test_full_text_syntax_is_read_as_words(api, corpus, query):
    response = api.get(SEARCH, query=query.replace("&", "%26"))
    assert response.status_code == 200, response.content


def test_since_id_before_id_and_a_negative_count(api, alice, bob, token_for):
    posts = [str(create_post(alice, text=f"forward word {i}").pk) for i in range(6)]
    create_post(bob, text="forward but muted")
    graph.mute(alice, bob)
    token = token_for(alice)
    newest = ok(api.get(SEARCH, token, query="forward", since_id=posts[1], count=2))
    assert ids(newest) == [posts[5], posts[4]]
    oldest = api.get(SEARCH, token, query="forward", since_id=posts[1], count=-2).json()
    assert ids(oldest["data"]) == [posts[3], posts[2]] and oldest["meta"]["more"] is True
    between = ok(api.get(SEARCH, token, query="forward", since_id=posts[1], before_id=posts[4]))
    assert ids(between) == [posts[3], posts[2]]


@pytest.mark.parametrize("count", [5, 100])
def test_a_page_costs_the_same_queries(api, alice, token_for, count, django_assert_max_num_queries):
    for i in range(110):
        create_post(alice, text=f"query counting {i}")
    token = token_for(alice)
    with django_assert_max_num_queries(SEARCH_QUERIES):
        first = ok(api.get(SEARCH, token, query="counting", count=count))
    assert len(first) == count
    with django_assert_max_num_queries(CACHED_SEARCH_QUERIES):  # every post rendered already
        assert ok(api.get(SEARCH, token, query="counting", count=count)) == first


# the token, the page (the matching posts' ids and versions, and which the viewer may see: one
# statement), the posts not yet rendered, the viewer's relations
SEARCH_QUERIES = 4
CACHED_SEARCH_QUERIES = 3


def test_a_viewer_who_blocked_the_newest_matches_still_gets_a_full_page(
    api, alice, bob, carol, token_for, monkeypatch
):
    monkeypatch.setattr("search.services.CANDIDATES", 3)  # batches of 3 matching ids
    older = [create_post(carol, text=f"needle {i}") for i in range(3)]
    for i in range(7):
        create_post(bob, text=f"needle from bob {i}")
    graph.block(alice, bob)
    token = token_for(alice)
    first = api.get(SEARCH, token, query="needle", count=2).json()
    assert ids(first["data"]) == [str(older[2].pk), str(older[1].pk)]
    assert first["meta"]["more"] is True
    rest = api.get(SEARCH, token, query="needle", count=2, before_id=first["meta"]["min_id"])
    assert ids(rest.json()["data"]) == [str(older[0].pk)]
    assert rest.json()["meta"]["more"] is False
    assert len(ok(api.get(SEARCH, token_for(carol), query="needle", count=20))) == 10
