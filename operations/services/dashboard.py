"""Everything the admin dashboard shows, read from the database (and the broker's queue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from posts.models import Report
from users.models import User

from .activity import (
    DailySeries,
    FollowGraph,
    active_users,
    follow_graph,
    new_users_per_day,
    posts_per_day,
)
from .fanout_health import FanOutHealth, fan_out_health
from .stream_size import StreamSize, stream_size

CHART_DAYS = 30


@dataclass(frozen=True)
class Dashboard:
    users: int
    suspended_users: int
    active_7_days: int
    active_30_days: int
    posts_per_day: DailySeries
    new_users_per_day: DailySeries
    follow_graph: FollowGraph
    open_reports: int
    fan_out: FanOutHealth
    streams: StreamSize

    def chart_data(self) -> dict:
        """The charts' series (the page's script reads this)."""
        graph = self.follow_graph
        return {
            "days": [day.isoformat() for day in self.posts_per_day.days],
            "posts": self.posts_per_day.counts,
            "users": self.new_users_per_day.counts,
            "degrees": graph.degree_labels,
            "followers": graph.users_by_followers,
            "following": graph.users_by_following,
            "top_names": [username for _, username, _ in graph.top_followed],
            "top_followers": [followers for _, _, followers in graph.top_followed],
        }

    def degree_rows(self) -> list[tuple[str, int, int]]:
        graph = self.follow_graph
        return list(
            zip(
                graph.degree_labels,
                graph.users_by_followers,
                graph.users_by_following,
                strict=True,
            )
        )

    def daily_rows(self) -> list[tuple]:
        return list(
            zip(
                self.posts_per_day.days,
                self.posts_per_day.counts,
                self.new_users_per_day.counts,
                strict=True,
            )
        )


def dashboard(now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    users = User.objects.aggregate(
        total=Count("pk"), suspended=Count("pk", filter=Q(is_active=False))
    )
    return Dashboard(
        users=users["total"],
        suspended_users=users["suspended"],
        active_7_days=active_users(7, now),
        active_30_days=active_users(30, now),
        posts_per_day=posts_per_day(CHART_DAYS, now),
        new_users_per_day=new_users_per_day(CHART_DAYS, now),
        follow_graph=follow_graph(),
        open_reports=Report.objects.filter(status=Report.Status.OPEN).count(),
        fan_out=fan_out_health(now),
        streams=stream_size(),
    )
