"""How much the server is used: posts and sign-ups per day, active users, the follow graph."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, QuerySet
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


@dataclass(frozen=True)
class FollowGraph:
    follows: int  # edges
    following_someone: int  # users with at least one follow
    followed: int  # users with at least one follower


def follow_graph() -> FollowGraph:
    counts = Follow.objects.aggregate(
        follows=Count("pk"),
        following_someone=Count("follower", distinct=True),
        followed=Count("followee", distinct=True),
    )
    return FollowGraph(**counts)
