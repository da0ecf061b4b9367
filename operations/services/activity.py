"""How much the server is used: posts and sign-ups per day, active users, the follow graph."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from posts.models import Post
from users.models import Follow, User


@dataclass(frozen=True)
class DailySeries:
    """One count per day, oldest first, every day present (zero when nothing happened)."""

    days: list[date]
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def rows(self) -> list[tuple[date, int]]:
        return list(zip(self.days, self.counts, strict=True))


def daily_counts(rows: QuerySet, field: str, days: int, now: datetime | None = None) -> DailySeries:
    """Rows per day of ``field`` over the last ``days`` days (today included), in one query."""
    today = timezone.localdate(now or timezone.now())
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    per_day = dict(
        rows.filter(**{f"{field}__gte": start})
        .annotate(day=TruncDate(field))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    calendar = [first + timedelta(days=i) for i in range(days)]
    return DailySeries(calendar, [per_day.get(day, 0) for day in calendar])


def posts_per_day(days: int = 30, now: datetime | None = None) -> DailySeries:
    """Every post written: originals, replies (diaspora comments) and reposts; deleted ones too,
    since they were posted."""
    return daily_counts(Post.objects.all(), "created_at", days, now)


def new_users_per_day(days: int = 30, now: datetime | None = None) -> DailySeries:
    return daily_counts(User.objects.all(), "date_joined", days, now)


def active_users(days: int, now: datetime | None = None) -> int:
    """Users who posted, replied or reposted in the last ``days`` days."""
    since = (now or timezone.now()) - timedelta(days=days)
    return Post.objects.filter(created_at__gte=since).values("user_id").distinct().count()


# Degree buckets, (label, lowest, highest or None): roughly logarithmic, because a social graph's
# degrees are heavy-tailed and equal-width buckets would put almost everyone in the first.
DEGREE_BUCKETS = (
    ("0", 0, 0),
    ("1", 1, 1),
    ("2-4", 2, 4),
    ("5-9", 5, 9),
    ("10-49", 10, 49),
    ("50-99", 50, 99),
    ("100-499", 100, 499),
    ("500-999", 500, 999),
    ("1000+", 1000, None),
)
TOP_FOLLOWED = 10


@dataclass(frozen=True)
class FollowGraph:
    follows: int  # edges
    following_someone: int  # users with at least one follow
    followed: int  # users with at least one follower
    degree_labels: list[str]
    users_by_followers: list[int]  # users per bucket of DEGREE_BUCKETS, by followers
    users_by_following: list[int]  # the same, by how many they follow
    top_followed: list[tuple[int, str, int]]  # (id, username, followers), most followed first


def _in_bucket(field: str, low: int, high: int | None) -> Q:
    return Q(**{f"{field}__gte": low}) & (Q() if high is None else Q(**{f"{field}__lte": high}))


def follow_graph() -> FollowGraph:
    """The graph's size, its degree distribution and its most followed users, in three queries.

    Degrees are read from the users' follow counters, which change in the same transaction as
    the follow rows (users.services.graph), so no query groups the follow table."""
    counts = Follow.objects.aggregate(
        follows=Count("pk"),
        following_someone=Count("follower", distinct=True),
        followed=Count("followee", distinct=True),
    )
    buckets = {
        f"{field}{n}": Count("pk", filter=_in_bucket(field, low, high))
        for field in ("followers_count", "following_count")
        for n, (_, low, high) in enumerate(DEGREE_BUCKETS)
    }
    degrees = User.objects.aggregate(**buckets)
    top = User.objects.filter(followers_count__gt=0).order_by("-followers_count", "pk")
    return FollowGraph(
        **counts,
        degree_labels=[label for label, _, _ in DEGREE_BUCKETS],
        users_by_followers=[degrees[f"followers_count{n}"] for n in range(len(DEGREE_BUCKETS))],
        users_by_following=[degrees[f"following_count{n}"] for n in range(len(DEGREE_BUCKETS))],
        top_followed=list(top.values_list("pk", "username", "followers_count")[:TOP_FOLLOWED]),
    )
