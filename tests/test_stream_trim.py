"""Bounded streams (streams/services/trim.py): the trim keeps each owner's newest rows, and
paging past the cut reads the followees' posts at read time -- every post the stream held,
exactly once, with pagination ids that only decrease."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from posts.options import PostFilters
from posts.services.posting import create_post
from reposts.services import repost
from streams.models import StreamItem, StreamTrim
from streams.services.page import Stream, fallback_rows
from streams.services.trim import trim_streams
from users.models import User
from users.services.graph import follow

from .test_seed_demo import seed


def read_all(api, token: str, path: str, count: int) -> list[tuple[int, int]]:
    """(post id, pagination id) for the whole stream, newest to oldest, a page at a time."""
    seen, before = [], None
    while True:
        params = {"count": count} | ({"before_id": before} if before else {})
        response = api.get(path, token, **params)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [(int(p["id"]), int(p["pagination_id"])) for p in body["data"]]
        if not body["meta"]["more"]:
            return seen
        before = body["meta"]["min_id"]


def assert_one_stream(paged: list[tuple[int, int]], expected: list[int]) -> None:
    ids = [post for post, _ in paged]
    pagination = [p for _, p in paged]
    assert len(ids) == len(set(ids)), "a post came twice"
    assert pagination == sorted(set(pagination), reverse=True), "ids must only decrease"
    assert ids == expected


def largest_stream() -> int:
    return StreamItem.objects.values("owner_id").annotate(n=Count("pk")).aggregate(m=Max("n"))["m"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/stream/0/posts/stream", "/stream/0/posts/stream/unified"])
def test_paging_across_the_cut_returns_the_stream_as_it_was(api, make_user, token_for, path):
    viewer, stranger = make_user("viewer"), make_user("stranger")
    friends = [make_user(f"friend{i}") for i in range(3)]
    for friend in friends:
        follow(viewer, friend)
    shared = [create_post(stranger, text=f"news {i} for @viewer") for i in range(4)]
    for i in range(12):
        for friend in friends:
            create_post(friend, text=f"{friend.username} says {i}")
        if i % 3 == 0:
            create_post(viewer, text=f"my own {i}")
        if i < 4:  # two friends repost the same post: the second is withheld
            repost(friends[0], shared[i])
            repost(friends[1], shared[i])
    token = token_for(viewer)
    before = [post for post, _ in read_all(api, token, path, 200)]
    assert len(before) > 40

    report = trim_streams(cap=10)
    assert report.trimmed >= 1 and report.removed > 0
    assert largest_stream() <= 10
    assert StreamItem.objects.filter(owner=viewer).count() == 10

    for count in (7, 20, 200):
        assert_one_stream(read_all(api, token, path, count), before)
    # The read-time query alone holds what the cut removed.
    stream = Stream.unified() if path.endswith("unified") else Stream.personal()
    filters = PostFilters(include_directed_posts=True)
    everything = set(fallback_rows(viewer, stream, filters).values_list("id", flat=True))
    kept = set(StreamItem.objects.filter(owner=viewer).values_list("post_id", flat=True))
    assert everything | kept == set(before) and not everything & kept


@pytest.mark.django_db
def test_the_trim_of_a_seeded_data_set_leaves_every_owner_at_most_the_cap(api, token_for):
    seed()
    reader = (
        User.objects.annotate(rows=Count("stream_items"))
        .filter(rows__gt=30)
        .order_by("-rows")
        .first()
    )
    token = token_for(reader)
    before = [post for post, _ in read_all(api, token, "/stream/0/posts/stream", 200)]
    out = io.StringIO()
    call_command("trim_streams", cap=20, batch=7, stdout=out)
    assert "the largest stream now holds 20 rows" in out.getvalue()
    assert largest_stream() <= 20
    assert StreamTrim.objects.filter(owner=reader).exists()
    paged = read_all(api, token, "/stream/0/posts/stream", 13)
    assert sorted(post for post, _ in paged) == sorted(before)
    assert_one_stream(paged, [post for post, _ in paged])
    # Trimming again removes nothing more, and moves no cut back.
    floors = dict(StreamTrim.objects.values_list("owner_id", "floor_id"))
    assert trim_streams(cap=20).removed == 0
    assert dict(StreamTrim.objects.values_list("owner_id", "floor_id")) == floors


@pytest.mark.django_db
@pytest.mark.parametrize("arguments", [["--cap", "0"], ["--batch", "0"], ["--cap", "x"]])
def test_bad_trim_arguments_are_refused_and_nothing_is_removed(arguments):
    seed()
    rows = StreamItem.objects.count()
    with pytest.raises(CommandError):
        call_command("trim_streams", *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    assert StreamItem.objects.count() == rows
