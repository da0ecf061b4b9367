"""``manage.py seed_demo``: demo data that reads as if the domain had made it -- exact counters,
stream rows where fan-out would have put them, the repost dedupe -- and the same data again for
the same seed."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command

from posts.models import Post
from streams.models import StreamItem
from users.models import Follow, User

pytestmark = pytest.mark.django_db

# --days 1: every repost falls inside the one-week dedupe window of its original.
SIZES = {
    "users": 30,
    "posts_per_user": 4,
    "follows_per_user": 5,
    "reposts": 40,
    "celebrity_followers": 45,
    "days": 1,
}


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", **{**SIZES, **options}, stdout=out)
    return out.getvalue()


def test_counters_equal_the_rows():
    seed()
    followers = Counter(Follow.objects.values_list("followee_id", flat=True))
    following = Counter(Follow.objects.values_list("follower_id", flat=True))
    posts = Counter(Post.objects.filter(is_deleted=False).values_list("user_id", flat=True))
    reposts = Counter(Post.objects.exclude(repost_of=None).values_list("repost_of_id", flat=True))
    assert sum(reposts.values()) > 0 and len(followers) > 1
    for user in User.objects.all():
        assert (user.followers_count, user.following_count, user.posts_count) == (
            followers[user.pk],
            following[user.pk],
            posts[user.pk],
        ), user.username
    for post in Post.objects.all():
        assert post.num_reposts == reposts[post.pk]


def test_the_celebrity_has_the_asked_for_followers_beyond_the_posting_users():
    output = seed()
    celebrity = User.objects.get(username="demo1")
    assert celebrity.followers_count == 45
    assert User.objects.count() == 30 + 45 - 29  # 16 accounts that only follow the celebrity
    assert "celebrity @demo1 (45 followers)" in output


def test_stream_rows_are_where_fan_out_would_have_put_them():
    seed()
    followers = defaultdict(set)
    for follower, followee in Follow.objects.values_list("follower_id", "followee_id"):
        followers[followee].add(follower)
    rows = defaultdict(set)
    for owner, post_id, is_mention in StreamItem.objects.values_list(
        "owner_id", "post_id", "is_mention"
    ):
        if not is_mention:
            rows[post_id].add(owner)
    shown = defaultdict(set)  # original id -> who has been shown it, as fan-out went
    for post in Post.objects.order_by("id"):
        if post.repost_of_id is None:
            assert rows[post.pk] == {post.user_id} | followers[post.user_id]
            shown[post.pk] |= rows[post.pk]
            continue
        # A repost: the reposter, and their followers not yet shown the original this week.
        expected = {post.user_id} | (followers[post.user_id] - shown[post.repost_of_id])
        assert rows[post.pk] == expected
        shown[post.repost_of_id] |= expected
    deduped = sum(
        len(followers[p.user_id]) + 1 - len(rows[p.pk])
        for p in Post.objects.exclude(repost_of=None)
    )
    assert deduped > 0, "the seed should include reposts the dedupe kept from someone"


def test_mentioned_users_get_the_post_in_their_unified_stream_only():
    seed(users=40, posts_per_user=10)
    mention_rows = StreamItem.objects.filter(is_mention=True).select_related("post")
    assert mention_rows.exists()
    for row in mention_rows:
        assert row.post.mention_rows.filter(user_id=row.owner_id).exists()
        assert not Follow.objects.filter(follower=row.owner_id, followee=row.post.user_id).exists()


def test_a_seeded_user_reads_their_stream_through_the_api(api, token_for):
    seed()
    reader = User.objects.filter(following_count__gt=0).exclude(username="demo1").first()
    followed = set(Follow.objects.filter(follower=reader).values_list("followee_id", flat=True))
    response = api.get("/stream/0/posts/stream", token_for(reader), count=20)
    assert response.status_code == 200
    posts = response.json()["data"]
    assert len(posts) == 20
    assert {int(p["user"]["id"]) for p in posts} <= followed | {reader.pk}
    pagination_ids = [int(p["pagination_id"]) for p in posts]
    assert pagination_ids == sorted(pagination_ids, reverse=True)


def test_the_same_seed_gives_the_same_data():
    def snapshot() -> tuple:
        names = dict(User.objects.values_list("id", "username"))
        guids = dict(Post.objects.values_list("id", "guid"))
        return (
            sorted(names.values()),
            sorted(
                (names[a], names[b]) for a, b in Follow.objects.values_list("follower", "followee")
            ),
            [
                (guid, names[user], text, guids.get(original))
                for guid, user, text, original in Post.objects.order_by("id").values_list(
                    "guid", "user_id", "text", "repost_of_id"
                )
            ],
            [
                (names[owner], guids[post], mention)
                for owner, post, mention in StreamItem.objects.order_by("id").values_list(
                    "owner_id", "post_id", "is_mention"
                )
            ],
        )

    seed(seed=7)
    first = snapshot()
    User.objects.all().delete()  # takes the posts, follows and stream rows with it
    seed(seed=7)
    assert snapshot() == first
    User.objects.all().delete()
    seed(seed=8)
    assert snapshot() != first


def test_a_database_with_users_is_refused_unless_forced(make_user):
    someone = make_user("someone")
    with pytest.raises(CommandError, match="already has users"):
        seed()
    assert User.objects.count() == 1
    seed(force=True)
    assert User.objects.count() > 1
    someone.refresh_from_db()
    assert (someone.followers_count, someone.following_count, someone.posts_count) == (0, 0, 0)


@pytest.mark.parametrize("option", [{"users": 0}, {"reposts": -1}, {"prefix": "no-dashes"}])
def test_bad_sizes_are_refused_before_anything_is_written(option):
    with pytest.raises(CommandError):
        seed(**option)
    assert not User.objects.exists()
