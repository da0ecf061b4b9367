"""Explore streams (App.net ``posts/stream/explore``, pnut ``posts/streams/explore``): the list,
each stream's condition, paging, unknown slugs, visibility, and a constant number of queries."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from explore.services import STREAMS
from places.models import Place
from posts.models import Post
from posts.services.posting import create_post
from posts.services.stars import star
from reposts.services import repost

from ..post_support import REASONS, error, hide, ok

pytestmark = pytest.mark.django_db

EXPLORE = "/stream/0/posts/stream/explore"
PHOTO = [{"type": "net.app.core.oembed", "value": {"type": "photo", "version": "1.0"}}]
CHECKIN = [{"type": "net.app.core.checkin", "value": {"+net.app.core.place": {"factual_id": "7"}}}]


@pytest.fixture(autouse=True)
def cafe(db) -> Place:
    return Place.objects.create(factual_id="7", name="A café", latitude=48.85, longitude=2.35)


def ids(data) -> list[str]:
    return [p["id"] for p in data]


@pytest.mark.parametrize("base", [EXPLORE, "/v1/posts/streams/explore"])
def test_the_list_names_every_stream(api, base):
    data = ok(api.get(base))
    assert [e["slug"] for e in data] == ["conversations", "photos", "trending", "checkins"]
    assert all(e["url"].endswith(f"{base}/{e['slug']}") and e["title"] for e in data)


def test_each_stream_holds_what_it_says(api, alice, bob, carol):
    talked = create_post(alice, text="what do you think?")
    create_post(bob, text="I think so", reply_to=talked.pk)
    photo = create_post(alice, text="look", annotations=PHOTO)
    checkin = create_post(bob, text="here", annotations=CHECKIN)
    popular = create_post(carol, text="popular")
    star(alice, popular)
    repost(bob, popular)
    create_post(carol, text="plain")
    old = create_post(carol, text="old news")
    create_post(alice, text="re", reply_to=old.pk)
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert ids(ok(api.get(f"{EXPLORE}/conversations"))) == [str(talked.pk)]
    assert ids(ok(api.get(f"{EXPLORE}/photos"))) == [str(photo.pk)]
    checkins = ok(api.get(f"{EXPLORE}/checkins", include_annotations=1))
    assert ids(checkins) == [str(checkin.pk)]
    # The stream holds checkins as written; they are read with the place's data in place.
    shown = checkins[0]["annotations"][0]
    assert shown["type"] == "net.app.core.checkin" and shown["value"]["name"] == "A café"
    assert "+net.app.core.place" not in shown["value"] and shown["value"]["factual_id"] == "7"
    assert ids(ok(api.get(f"{EXPLORE}/trending"))) == [str(popular.pk)]
    pnut = "/v1/posts/streams/explore"  # the same streams in pnut's shape
    assert ids(ok(api.get(f"{pnut}/conversations"))) == [str(talked.pk)]
    assert ids(ok(api.get(f"{pnut}/photos"))) == [str(photo.pk)]
    assert ids(ok(api.get(f"{pnut}/checkins"))) == [str(checkin.pk)]
    assert ids(ok(api.get(f"{pnut}/trending"))) == [str(popular.pk)]
    error(api.get(f"{pnut}/nonsense"), 404)
    error(api.get(f"{EXPLORE}/nonsense"), 404)
    error(api.get(f"{EXPLORE}/photos", count="x"), 400)


def test_paging(api, alice):
    posts = [create_post(alice, text=f"p{i}", annotations=CHECKIN) for i in range(5)]
    first = api.get(f"{EXPLORE}/checkins", count=2).json()
    assert first["meta"]["more"] is True
    rest = ok(api.get(f"{EXPLORE}/checkins", before_id=first["meta"]["min_id"]))
    assert ids(first["data"]) + ids(rest) == [str(p.pk) for p in reversed(posts)]


@pytest.mark.parametrize("reason", REASONS)
def test_explore_leaves_out(api, alice, bob, token_for, reason):
    if reason == "machine_only":
        create_post(bob, machine_only=True, annotations=CHECKIN)
        assert ok(api.get(f"{EXPLORE}/checkins", token_for(alice))) == []
        return
    post = create_post(bob, text="here", annotations=CHECKIN)
    token = token_for(alice)
    assert len(ok(api.get(f"{EXPLORE}/checkins", token))) == 1
    hide(reason, alice, bob, post)
    assert ok(api.get(f"{EXPLORE}/checkins", token)) == []


@pytest.mark.parametrize("count", [5, 100])
def test_a_page_costs_the_same_queries(api, alice, token_for, count, django_assert_max_num_queries):
    for i in range(110):
        create_post(alice, text=f"c{i}", annotations=CHECKIN)
    token = token_for(alice)
    with django_assert_max_num_queries(EXPLORE_QUERIES):
        page = ok(api.get(f"{EXPLORE}/checkins", token, count=count, include_annotations=1))
    assert len(page) == count
    assert all(p["annotations"][0]["value"]["name"] == "A café" for p in page)


# the token, the page (authors and apps joined in), the viewer's relations, the places named
EXPLORE_QUERIES = 4


@pytest.mark.parametrize("count", [5, 100])
def test_a_page_of_cached_posts_costs_three_queries(
    api, alice, token_for, count, django_assert_max_num_queries
):
    for i in range(110):
        create_post(alice, text=f"c{i}", annotations=CHECKIN)
    token = token_for(alice)
    # the token, the page's ids and versions, the posts not yet rendered, the viewer's relations
    with django_assert_max_num_queries(4):
        first = ok(api.get(f"{EXPLORE}/checkins", token, count=count))
    assert len(first) == count
    with django_assert_max_num_queries(3):  # every post rendered already
        assert ok(api.get(f"{EXPLORE}/checkins", token, count=count)) == first


def test_each_stream_states_its_partial_index_condition_in_literals():
    """A prepared statement's generic plan uses a partial index only if the query states its
    condition as literals: each stream's predicate is its index's, word for word."""
    indexes = importlib.import_module("explore.migrations.0001_explore_indexes").INDEXES
    assert {f"explore_{s.slug}": s.where() for s in STREAMS.values()} == indexes
