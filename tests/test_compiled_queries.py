"""A query compiled once per shape (adn_api.compiled) answers exactly what the ORM answers, with
each run's own values, and only ever reads the database afresh."""

from __future__ import annotations

import pytest
from django.db.models import Q

from adn_api.compiled import Slots, compiled
from posts.models import Post
from posts.services.posting import create_post
from reposts.services import repost
from users.services import graph
from users.services.viewer import ViewerContext

pytestmark = pytest.mark.django_db


def posts_by(slots: Slots):
    """Posts and reposts by one user, newest first, originals and authors joined in."""
    return (
        Post.objects.filter(Q(user_id=slots.author) & Q(id__gt=slots.since))
        .select_related("user", "repost_of", "repost_of__user")
        .order_by("-id")[:10]
    )


def test_a_compiled_query_returns_the_same_models_as_the_orm(alice, bob):
    original = create_post(bob, text="the original")
    repost(alice, original)
    create_post(alice, text="own words")
    query = compiled(("test", "same models"), posts_by)

    got = query.run(author=alice.pk, since=0)
    expected = list(posts_by_values(alice.pk, 0))

    assert [p.pk for p in got] == [p.pk for p in expected]
    assert [p.text for p in got] == [p.text for p in expected]
    assert got[1].repost_of.user.username == "bob"
    assert got[0].user.username == "alice"
    assert got[0].repost_of is None


def posts_by_values(author: int, since: int):
    return (
        Post.objects.filter(user_id=author, id__gt=since)
        .select_related("user", "repost_of", "repost_of__user")
        .order_by("-id")[:10]
    )


def test_each_run_uses_its_own_values(alice, bob):
    first = create_post(alice, text="one")
    create_post(alice, text="two")
    create_post(bob, text="bob's")
    query = compiled(("test", "own values"), posts_by)

    assert [p.text for p in query.run(author=alice.pk, since=0)] == ["two", "one"]
    assert [p.text for p in query.run(author=bob.pk, since=0)] == ["bob's"]
    assert [p.text for p in query.run(author=alice.pk, since=first.pk)] == ["two"]


def test_a_shape_is_built_once_and_reads_new_rows(alice):
    builds = []

    def build(slots: Slots):
        builds.append(slots)
        return posts_by(slots)

    key = ("test", object())  # a shape no other run has compiled
    assert compiled(key, build).run(author=alice.pk, since=0) == []
    create_post(alice, text="later")

    assert [p.text for p in compiled(key, build).run(author=alice.pk, since=0)] == ["later"]
    assert len(builds) == 1


def test_a_run_is_one_query(alice, django_assert_num_queries):
    create_post(alice, text="counted")
    query = compiled(("test", "one query"), posts_by)
    with django_assert_num_queries(1):
        posts = query.run(author=alice.pk, since=0)
        assert posts[0].user.username == "alice"  # joined, not fetched lazily


def test_a_stand_in_is_the_same_each_time_it_is_read():
    slots = Slots()
    assert slots.viewer == slots.viewer != slots.since
    assert slots.name_of(slots.since) == "since"
    assert slots.name_of(5) is None


def test_any_matches_the_ids_of_a_list_sent_as_one_parameter(alice, bob, carol):
    posts = [create_post(user, text=user.username) for user in (alice, bob, carol)]
    wanted = [posts[0].user_id, posts[2].user_id]

    found = Post.objects.filter(user_id__any=wanted).order_by("id")
    sql, params = found.query.sql_with_params()

    assert [p.text for p in found] == ["alice", "carol"]
    assert wanted in [list(p) for p in params if isinstance(p, list)]  # not one per id
    assert list(Post.objects.filter(user_id__any=[])) == []


def test_viewer_context_is_one_query_whatever_the_number_of_ids(
    alice, bob, django_assert_num_queries
):
    graph.follow(alice, bob)
    for ids in ([bob.pk], [bob.pk, *range(10_000, 10_300)]):
        with django_assert_num_queries(1):
            context = ViewerContext.load(alice, ids)
        assert context.has("you_follow", bob.pk)
        assert not context.has("follows_you", bob.pk)
