"""diaspora's search (``search/users``, ``search/posts``, ``search/tags``): diaspora's shapes,
``per_page`` paging with the ``Link`` header, contact filters, and 422 "Search request could not
be processed" for anything missing, malformed or unknown, never a 500. Visibility is
``tests/search/test_visibility_table.py``'s."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts.services.posting import create_post, delete_post
from users.services import graph

from .support import API, PERSON_EXAMPLE, RESHARE_POST_EXAMPLE, assert_shape, diaspora_error, ok

pytestmark = pytest.mark.django_db

USERS, POSTS, TAGS = f"{API}/search/users", f"{API}/search/posts", f"{API}/search/tags"
NOT_PROCESSED = "Search request could not be processed"
POST_EXAMPLE = {k: v for k, v in RESHARE_POST_EXAMPLE.items() if k != "root"}


@pytest.fixture
def people(make_user, alice, bob):
    trent = make_user("trent", name="Trent Bob Testing")
    carol = make_user("carol", name="Carol", description_text="I brew #coffee daily")
    return {"alice": alice, "bob": bob, "trent": trent, "carol": carol}


def usernames(data) -> list[str]:
    return [p["diaspora_id"].split("@")[0] for p in data]


def test_users_by_name_or_handle_and_by_tag(api, people):
    data = ok(api.get(USERS, name_or_handle="bob"))
    assert usernames(data) == ["bob", "trent"]  # oldest account first
    for person in data:
        assert_shape(person, PERSON_EXAMPLE)
    assert usernames(ok(api.get(USERS, name_or_handle=data[0]["diaspora_id"]))) == ["bob"]
    assert usernames(ok(api.get(USERS, tag="coffee"))) == ["carol"]
    assert usernames(ok(api.get(USERS, tag="#coffee"))) == ["carol"]


def test_users_paged_with_the_link_header(api, make_user):
    for i in range(5):
        make_user(f"page{i}")
    first = api.get(USERS, name_or_handle="page", per_page="2")
    assert usernames(ok(first)) == ["page0", "page1"]
    assert 'rel="next"' in first["Link"]
    next_url = first["Link"].split(">")[0].lstrip("<")
    assert usernames(ok(api.client.get(next_url))) == ["page2", "page3"]


def test_contact_filters_need_a_user_and_narrow_to_contacts(api, people, token_for):
    alice, bob, trent = people["alice"], people["bob"], people["trent"]
    graph.follow(alice, bob)
    graph.follow(trent, alice)
    token = token_for(alice)
    query = {"name_or_handle": "bob"}
    assert usernames(ok(api.get(USERS, token, filter="contacts:receiving", **query))) == ["bob"]
    assert usernames(ok(api.get(USERS, token, filter="contacts:sharing", **query))) == ["trent"]
    assert usernames(ok(api.get(USERS, token, filter="contacts", **query))) == ["bob", "trent"]
    diaspora_error(api.get(USERS, filter="contacts", **query), 422, NOT_PROCESSED)
    diaspora_error(api.get(USERS, token, filter="aspect:1", **query), 422, NOT_PROCESSED)


def test_posts_by_tag_newest_first_in_diasporas_shape(api, alice, bob, token_for):
    posts = [create_post(alice, text=f"#Kittens number {i}") for i in range(3)]
    create_post(bob, text="no tag here, kittens")
    gone = create_post(bob, text="a deleted #kittens post")
    delete_post(bob, gone.pk)
    first = api.get(POSTS, token_for(bob), tag="kittens", per_page="2")
    data = ok(first)
    assert [p["guid"] for p in data] == [posts[2].guid, posts[1].guid]
    for post in data:
        assert_shape(post, POST_EXAMPLE)
    assert data[0]["author"]["diaspora_id"].startswith("alice@")
    next_url = first["Link"].split(">")[0].lstrip("<")
    assert [p["guid"] for p in ok(api.client.get(next_url))] == [posts[0].guid]
    assert [p["guid"] for p in ok(api.get(POSTS, tag="#KITTENS"))][0] == posts[2].guid


def test_tags_start_with_the_query(api, alice):
    create_post(alice, text="#kittens #kitty #Kite_surfing #dogs")
    create_post(alice, text="more #kittens")
    assert ok(api.get(TAGS, query="kit")) == ["kitesurfing", "kittens", "kitty"]
    assert ok(api.get(TAGS, query="#KITT")) == ["kittens", "kitty"]
    assert ok(api.get(TAGS, query="zebra")) == []


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (USERS, {}),
        (USERS, {"name_or_handle": ""}),
        (USERS, {"name_or_handle": "@"}),
        (USERS, {"name_or_handle": "bob", "tag": "coffee"}),
        (USERS, {"name_or_handle": "x" * 10_000}),
        (USERS, {"tag": "a\x00b"}),
        (POSTS, {}),
        (POSTS, {"tag": ""}),
        (POSTS, {"tag": "x" * 10_000}),
        (POSTS, {"tag": "a\x00b"}),
        (TAGS, {}),
        (TAGS, {"query": "   "}),
        (TAGS, {"query": "#"}),
        (TAGS, {"query": "x" * 10_000}),
    ],
)
def test_bad_input_is_diasporas_422(api, people, path, params):
    params = {k: v.replace("\x00", "%00") for k, v in params.items()}
    diaspora_error(api.get(path, **params), 422, NOT_PROCESSED)


@pytest.mark.parametrize("text", ['"kit', "kit*", "kit NEAR dogs", "o'kit", "%", "_", "\\"])
@pytest.mark.parametrize("path", [USERS, POSTS, TAGS])
def test_search_syntax_characters_are_text(api, alice, path, text):
    create_post(alice, text="#kittens")
    name = {USERS: "name_or_handle", POSTS: "tag", TAGS: "query"}[path]
    response = api.get(path, **{name: text.replace("%", "%25")})
    assert response.status_code in (200, 422), response.content
    if response.status_code == 200:
        assert response.json() == []


def test_bad_paging_is_a_400_not_a_500(api, people):
    diaspora_error(api.get(USERS, name_or_handle="bob", per_page="many"), 400)


@pytest.mark.parametrize("path", [POSTS, USERS])
def test_a_page_costs_the_same_queries_whatever_its_size(api, make_user, alice, token_for, path):
    for i in range(30):
        make_user(f"kittens{i}")
        create_post(alice, text=f"#kittens for @kittens{i}")  # mentions: their query runs too
    token = token_for(alice)
    params = {"tag": "kittens"} if path == POSTS else {"name_or_handle": "kittens"}
    counts = []
    for per_page in ("2", "25"):
        with CaptureQueriesContext(connection) as queries:
            assert len(ok(api.get(path, token, per_page=per_page, **params))) == int(per_page)
        counts.append(len(queries))
    assert counts[0] == counts[1] == DIASPORA_QUERIES[path]


# POSTS: the token, the page, the viewer's relations, the mentioned people; USERS: the token,
# the page
DIASPORA_QUERIES = {POSTS: 4, USERS: 2}
