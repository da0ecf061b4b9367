"""A small, known history for the dashboard tests: who joined and posted on which day, who
follows whom, reports, and fan-outs with known delays. Every number the dashboard should show is
worked out by hand in ``Expected``, not by the code under test."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from posts.models import Post, Report
from posts.services.posting import create_post
from reposts.services import repost
from streams.models import FanOut
from users.models import User
from users.services.graph import follow


@dataclass
class Expected:
    users: int
    suspended: int
    active_7: int
    active_30: int
    follows: int
    following_someone: int
    followed: int
    open_reports: int
    posts_by_day: dict[date, int]
    users_by_day: dict[date, int]
    pending: int
    oldest_pending_seconds: float
    completed_last_hour: int
    p50: float
    p95: float
    users_by_followers: dict[str, int]  # degree bucket -> users
    users_by_following: dict[str, int]
    top_followed: list[tuple[str, int]]
    post_ids: dict[str, int] = field(default_factory=dict)


def _at(post: Post, when) -> None:
    Post.objects.filter(pk=post.pk).update(created_at=when)


def seed(make_user, staff: User) -> Expected:
    now = timezone.now()
    today = timezone.localdate(now)
    alice, bob, carol, dave = (make_user(n) for n in ("alice", "bob", "carol", "dave"))
    User.objects.filter(pk=bob.pk).update(date_joined=now - timedelta(days=3))
    User.objects.filter(pk=carol.pk).update(date_joined=now - timedelta(days=40))
    User.objects.filter(pk=dave.pk).update(date_joined=now - timedelta(days=10), is_active=False)

    first = create_post(alice, text="first of the day")
    second = create_post(alice, text="second of the day")
    shared, _ = repost(bob, first)
    older = create_post(bob, text="three days ago")
    _at(older, now - timedelta(days=3))
    tenth = create_post(carol, text="ten days ago")
    _at(tenth, now - timedelta(days=10))
    ancient = create_post(carol, text="forty days ago")
    _at(ancient, now - timedelta(days=40))

    for follower, followee in ((bob, alice), (carol, alice), (alice, bob)):
        follow(follower, followee)

    Report.objects.create(post=second, reporter=bob, reason="spam")
    Report.objects.create(post=older, reporter=alice, reason="rude")
    Report.objects.create(post=tenth, reporter=alice, status=Report.Status.DISMISSED)

    # Fan-outs: four done in the last hour (1, 2, 3 and 10 s), one done two hours ago (not
    # counted), two pending (the older enqueued five minutes ago).
    rows = {f.post_id: f for f in FanOut.objects.all()}
    assert set(rows) >= {first.pk, second.pk, shared.pk, older.pk, tenth.pk, ancient.pk}
    timings = [
        (first, 20 * 60, 1),
        (second, 15 * 60, 2),
        (shared, 10 * 60, 3),
        (older, 5 * 60, 10),
        (tenth, 2 * 3600, 100),
        (ancient, 300, None),
    ]
    for post, ago, delay in timings:
        created = now - timedelta(seconds=ago)
        done = None if delay is None else created + timedelta(seconds=delay)
        FanOut.objects.filter(post=post).update(created_at=created, completed_at=done)
    straggler = create_post(alice, text="just posted")
    FanOut.objects.filter(post=straggler).update(
        created_at=now - timedelta(seconds=30), completed_at=None
    )

    return Expected(
        users=5,  # the staff user, alice, bob, carol, dave
        suspended=1,
        active_7=2,  # alice (posts), bob (repost, post three days ago)
        active_30=3,  # and carol, ten days ago
        follows=3,
        following_someone=3,
        followed=2,
        open_reports=2,
        posts_by_day={today: 4, today - timedelta(days=3): 1, today - timedelta(days=10): 1},
        users_by_day={today: 2, today - timedelta(days=3): 1, today - timedelta(days=10): 1},
        pending=2,
        oldest_pending_seconds=300,
        completed_last_hour=4,
        p50=2.5,  # between 2 and 3
        p95=8.95,  # 3 + 0.85 * (10 - 3), interpolated as PostgreSQL's percentile_cont does
        users_by_followers={"0": 3, "1": 1, "2-4": 1},  # alice 2, bob 1, the rest none
        users_by_following={"0": 2, "1": 3},  # alice, bob and carol follow one each
        top_followed=[("alice", 2), ("bob", 1)],
        post_ids={"first": first.pk, "second": second.pk, "older": older.pk},
    )
