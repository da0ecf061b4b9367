"""A query compiled once per shape (core.compiled) answers exactly what the ORM answers, with
each run's own values, and only ever reads the database afresh; a query it cannot compile
safely fails when it is built, never later with someone else's results."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.test.utils import CaptureQueriesContext

from core.compiled import CompileError, Slots, compiled
from core.paging import Cursor
from posts.models import Post
from posts.options import PostFilters
from posts.services.posting import create_post
from reposts.services import repost
from streams.services.page import Stream, page
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
    query = compiled(posts_by)

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
    query = compiled(posts_by)

    assert [p.text for p in query.run(author=alice.pk, since=0)] == ["two", "one"]
    assert [p.text for p in query.run(author=bob.pk, since=0)] == ["bob's"]
    assert [p.text for p in query.run(author=alice.pk, since=first.pk)] == ["two"]


BUILDS: list[object] = []


def counted_posts_by(slots: Slots, *, run: object):
    BUILDS.append(run)
    return posts_by(slots)


def test_a_shape_is_built_once_and_reads_new_rows(alice):
    run = object()  # a shape no other test has compiled
    assert compiled(counted_posts_by, run=run).run(author=alice.pk, since=0) == []
    create_post(alice, text="later")

    again = compiled(counted_posts_by, run=run).run(author=alice.pk, since=0)
    assert [p.text for p in again] == ["later"]
    assert BUILDS.count(run) == 1


def test_a_run_is_one_query(alice, django_assert_num_queries):
    create_post(alice, text="counted")
    query = compiled(posts_by)
    with django_assert_num_queries(1):
        posts = query.run(author=alice.pk, since=0)
        assert posts[0].user.username == "alice"  # joined, not fetched lazily


def posts_around(slots: Slots):
    """One stand-in read three times, and SQL's own percent signs (``LIKE '%' || …``)."""
    mine = (
        Q(user_id=slots.author)
        | Q(repost_of__user_id=slots.author)
        | Q(reply_to__user_id=slots.author)
    )
    return Post.objects.filter(mine, text__contains=F("user__username"))


def test_a_stand_in_read_in_several_places_is_sent_once(alice, bob):
    create_post(alice, text="100% alice")
    create_post(alice, text="not signed")
    create_post(bob, text="100% bob")
    query = compiled(posts_around)
    assert query.sql.count("%(author)s") == 3 and "%%" in query.sql
    with CaptureQueriesContext(connection) as captured:
        posts = query.run(author=alice.pk)
    assert [p.text for p in posts] == ["100% alice"]
    if connection.vendor == "postgresql":
        # Sent as one parameter, $1 in each place PostgreSQL reads it.
        assert captured.captured_queries[0]["sql"].count(f"= {alice.pk}") == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's statements")
def test_a_long_compiled_statement_is_parsed_once(alice):
    """psycopg keeps the parse of a long statement too (core.apps.keep_long_statements): a
    page's is over its default 4 kB."""
    from psycopg import _queries

    query = compiled(posts_in_full)
    assert len(query.sql) > 4096
    query.run(author=alice.pk)
    before = _queries._query2pg.cache_info().hits
    query.run(author=alice.pk)
    assert _queries._query2pg.cache_info().hits == before + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's loaders")
def test_timestamps_are_read_in_utc_by_psycopgs_own_loader(alice):
    """core.apps.read_timestamps_in_c: every cursor keeps psycopg's loader (Django's would set
    its own on a cursor whose connection's loader has another zone), and a value read is the
    same instant, in UTC, to the microsecond."""
    from psycopg.pq import Format

    from core.apps import TIMESTAMPTZ, UTCTimestampLoader

    post = create_post(alice, text="when")
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
        assert loader is UTCTimestampLoader
        cursor.execute(
            "SELECT created_at, %s::timestamptz FROM posts_post WHERE id = %s",
            ["2026-12-06 10:00:00.123456+05:30", post.pk],
        )
        created_at, shifted = cursor.fetchone()
    assert created_at == Post.objects.values_list("created_at", flat=True).get(pk=post.pk)
    assert created_at.tzinfo is datetime.UTC
    assert shifted == datetime.datetime(2026, 12, 6, 4, 30, 0, 123456, tzinfo=datetime.UTC)
    assert shifted.tzinfo is datetime.UTC


def posts_in_full(slots: Slots):
    """Posts with their authors, originals and parents: a long statement, as pages' are."""
    joined = ("user", "repost_of__user", "reply_to__user", "source", "repost_of__source")
    return Post.objects.filter(user_id=slots.author).select_related(*joined)


def test_a_stand_in_is_the_same_each_time_it_is_read():
    slots = Slots()
    assert slots.viewer == slots.viewer != slots.since
    assert slots.name_of(slots.since) == "since"
    assert slots.name_of(slots.text("tag")) == "tag"
    assert slots.name_of(5) is None


def shifted_bound(slots: Slots):
    return Post.objects.filter(id__gt=slots.since - 1)


def annotated(slots: Slots):
    return Post.objects.filter(user_id=slots.author).annotate(star_count=Count("stars"))


def prefetched(slots: Slots):
    return Post.objects.filter(user_id=slots.author).prefetch_related("stars")


def folded_tag(slots: Slots):
    return Post.objects.filter(hashtag_rows__name=slots.text("tag").lower())


@pytest.mark.parametrize("build", [shifted_bound, annotated, prefetched, folded_tag])
def test_a_query_that_would_run_with_the_wrong_values_fails_when_it_is_built(build):
    with pytest.raises(CompileError):
        compiled(build)


def test_a_builder_that_captures_a_value_outside_its_key_is_refused(alice):
    def alices_posts(slots: Slots):
        return Post.objects.filter(user_id=alice.pk, id__gt=slots.since)

    with pytest.raises(CompileError, match="captures"):
        compiled(alices_posts)


def test_a_run_must_give_exactly_the_stand_ins_values(alice):
    query = compiled(posts_by)
    with pytest.raises(CompileError):
        query.run(author=alice.pk)
    with pytest.raises(CompileError):
        query.run(author=alice.pk, since=0, viewer=alice.pk)


def posts_with_parents(slots: Slots):
    return posts_with_parents_of(slots.author)


def posts_with_parents_of(author: int):
    """Converted columns (JSON, a subquery's integer), NULL in some rows: a post's parent's."""
    parents = Post.objects.filter(pk=OuterRef("reply_to_id"))
    return (
        Post.objects.filter(user_id=author)
        .annotate(parent_stars=Subquery(parents.values("num_stars")[:1]))
        .order_by("id")
        .values_list("id", "entities", "reply_to__entities", "parent_stars")
    )


def test_converted_columns_read_as_the_orm_reads_them_null_or_not(alice):
    post = create_post(alice, text="#one https://example.com")
    create_post(alice, text="#two", reply_to=post.pk)
    rows = compiled(posts_with_parents).run(author=alice.pk)
    assert rows == list(posts_with_parents_of(alice.pk))
    assert rows[0][2] is None and rows[1][2]["hashtags"][0]["name"] == "one"
    assert rows[1][3] == 0 and isinstance(rows[1][1], dict)


def tagged_values(slots: Slots):
    """Annotations of a values query are its results, not lost: allowed."""
    return (
        Post.objects.filter(user_id=slots.author)
        .annotate(kind=Value("p"))
        .values_list("kind", "id")
    )


def test_a_values_query_keeps_its_annotations(alice):
    post = create_post(alice, text="tagged")
    assert compiled(tagged_values).run(author=alice.pk) == [("p", post.pk)]


@pytest.mark.django_db(transaction=True)
def test_two_viewers_and_two_cursors_never_share_a_compiled_page(alice, bob, carol):
    """The personal stream page is compiled once per shape and run for everyone: each viewer
    gets their own stream, each cursor its own window."""
    graph.follow(alice, carol)
    for i in range(3):
        create_post(carol, text=f"carol {i}")
    create_post(bob, text="bob's own")  # its row in bob's stream comes after alice's rows
    filters = PostFilters()

    def texts(viewer, cursor: Cursor) -> list[str]:
        return [p.text for p in page(viewer, Stream.personal(), filters, cursor).posts]

    assert texts(alice, Cursor()) == ["carol 2", "carol 1", "carol 0"]
    assert texts(bob, Cursor()) == ["bob's own"]
    assert texts(alice, Cursor()) == ["carol 2", "carol 1", "carol 0"]

    rows = page(alice, Stream.personal(), filters, Cursor()).posts
    below_newest = Cursor(before_id=rows[0].pagination_id)
    below_middle = Cursor(before_id=rows[1].pagination_id)
    assert texts(alice, below_newest) == ["carol 1", "carol 0"]
    assert texts(alice, below_middle) == ["carol 0"]
    assert texts(bob, below_newest) == []
    assert texts(bob, Cursor(since_id=rows[0].pagination_id)) == ["bob's own"]
    assert texts(alice, Cursor(count=1)) == ["carol 2"]
    assert texts(alice, Cursor(count=-1)) == ["carol 0"]


def test_any_matches_the_ids_of_a_list_sent_as_one_parameter(alice, bob, carol):
    posts = [create_post(user, text=user.username) for user in (alice, bob, carol)]
    wanted = [posts[0].user_id, posts[2].user_id]

    found = Post.objects.filter(user_id__any=wanted).order_by("id")
    sql, params = found.query.sql_with_params()

    assert [p.text for p in found] == ["alice", "carol"]
    assert len(params) == 1  # the whole list, not one parameter per id
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
