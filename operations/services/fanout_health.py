"""Is fan-out keeping up? Pending outbox rows, the oldest one's age, the broker's queue, and how
long a post takes to reach the last stream it belongs in."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, Min
from django.utils import timezone

from streams.models import FanOut

from .broker import QueueDepthUnknown, queue_depth


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(f) WITHIN GROUP (ORDER BY expr)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(
            expression, fraction=float(fraction), output_field=DurationField(), **extra
        )


@dataclass(frozen=True)
class DelayPercentiles:
    """Seconds from a post's commit (its FanOut row) to its last stream row being written."""

    completed: int
    p50: float | None
    p95: float | None


def delay_percentiles(since: datetime) -> DelayPercentiles:
    """Over fan-outs completed since ``since``: one query on PostgreSQL, which computes the
    percentiles itself; other databases (the embedded SQLite) send the delays here."""
    done = FanOut.objects.filter(completed_at__gte=since)
    delay = F("completed_at") - F("created_at")
    if connection.vendor == "postgresql":
        row = done.aggregate(
            completed=Count("pk"),
            p50=PercentileCont(delay, 0.5),
            p95=PercentileCont(delay, 0.95),
        )
        return DelayPercentiles(row["completed"], _seconds(row["p50"]), _seconds(row["p95"]))
    return percentiles_of(
        [
            (done_at - created).total_seconds()
            for created, done_at in done.values_list("created_at", "completed_at")
        ]
    )


def percentiles_of(delays: list[float]) -> DelayPercentiles:
    """The same percentiles as PostgreSQL's ``percentile_cont`` (linear interpolation)."""
    if not delays:
        return DelayPercentiles(0, None, None)
    if len(delays) == 1:
        return DelayPercentiles(1, delays[0], delays[0])
    cuts = statistics.quantiles(delays, n=100, method="inclusive")
    return DelayPercentiles(len(delays), cuts[49], cuts[94])


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


@dataclass(frozen=True)
class FanOutHealth:
    pending: int
    oldest_pending_seconds: float | None
    queue_depth: int | None
    queue_depth_unknown: str  # why queue_depth is None
    last_hour: DelayPercentiles


def fan_out_health(now: datetime | None = None) -> FanOutHealth:
    now = now or timezone.now()
    pending = FanOut.objects.filter(completed_at__isnull=True).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    try:
        depth, unknown = queue_depth(), ""
    except QueueDepthUnknown as reason:
        depth, unknown = None, str(reason)
    oldest = pending["oldest"]
    return FanOutHealth(
        pending=pending["n"],
        oldest_pending_seconds=None if oldest is None else (now - oldest).total_seconds(),
        queue_depth=depth,
        queue_depth_unknown=unknown,
        last_hour=delay_percentiles(now - timedelta(hours=1)),
    )
