"""How big the materialised streams are, and what the trim has done (streams/services/trim.py):
the one table that grows with every follower of every post, so the one to watch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Sum

from streams.models import StreamItem, StreamTrim

# One statement: the planner's row estimate (no count(*) of a table this size on each visit),
# the heap's and indexes' bytes, and the trim's totals.
SIZES = """
SELECT c.reltuples::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid),
       (SELECT count(*) FROM {trim}), (SELECT coalesce(sum(removed), 0) FROM {trim}),
       (SELECT max(trimmed_at) FROM {trim})
FROM pg_class c WHERE c.oid = %s::regclass
"""


@dataclass(frozen=True)
class StreamSize:
    rows: int | None  # an estimate on PostgreSQL (None: not analysed yet)
    table_bytes: int | None  # None: not PostgreSQL
    index_bytes: int | None
    cap: int  # STREAM_MAX_ROWS; 0: unbounded
    trimmed_owners: int
    removed_rows: int
    last_trim: datetime | None


def stream_size() -> StreamSize:
    cap = settings.STREAM_MAX_ROWS
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                SIZES.format(trim=StreamTrim._meta.db_table), [StreamItem._meta.db_table]
            )
            rows, table, indexes, owners, removed, last = cursor.fetchone()
        return StreamSize(
            rows if rows >= 0 else None, table, indexes, cap, owners, int(removed), last
        )
    trims = StreamTrim.objects.aggregate(
        n=Count("pk"), removed=Sum("removed"), last=Max("trimmed_at")
    )
    return StreamSize(
        StreamItem.objects.count(),
        None,
        None,
        cap,
        trims["n"],
        trims["removed"] or 0,
        trims["last"],
    )
