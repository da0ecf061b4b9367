"""Bounded streams: each owner's materialised stream keeps its newest ``STREAM_MAX_ROWS`` rows.

A row per follower per post, kept forever, grows the table and every index on it without bound,
while readers page back only so far. The periodic ``trim_streams`` walks the owners in batches
(keyset on the user id), each batch one short transaction: one statement finds each owner's
cut (the (owner, -id) index, ``OFFSET`` the cap) and deletes below it, and records the cut in
``StreamTrim``. Nothing else is locked: fan-outs and merges insert above the cut meanwhile.
Paging past the cut reads the followees' posts at read time (``page.fallback_rows``), so
``before_id`` never dead-ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from users.models import User

from ..models import StreamItem, StreamTrim

# Per owner of the batch: the id of the oldest row kept (NULL: within the cap), the rows below
# it deleted, the cut recorded. PostgreSQL's.
TRIM = """
WITH cut AS (
    SELECT owner, (SELECT s.id FROM {stream} s WHERE s.owner_id = owner
                   ORDER BY s.id DESC OFFSET %(keep)s LIMIT 1) AS floor_id
    FROM unnest(%(owners)s::bigint[]) AS owner
), gone AS (
    DELETE FROM {stream} s USING cut
    WHERE cut.floor_id IS NOT NULL AND s.owner_id = cut.owner AND s.id < cut.floor_id
    RETURNING s.owner_id
), removed AS (
    SELECT owner_id, count(*) AS n FROM gone GROUP BY owner_id
), recorded AS (
    INSERT INTO {trim} (owner_id, floor_id, trimmed_at, removed)
    SELECT cut.owner, cut.floor_id, now(), removed.n
    FROM cut JOIN removed ON removed.owner_id = cut.owner
    ON CONFLICT (owner_id) DO UPDATE SET
        floor_id = GREATEST({trim}.floor_id, EXCLUDED.floor_id),
        trimmed_at = EXCLUDED.trimmed_at,
        removed = {trim}.removed + EXCLUDED.removed
    RETURNING 1
)
SELECT count(*), coalesce(sum(n), 0) FROM removed
"""


@dataclass
class TrimReport:
    owners: int = 0  # owners looked at
    trimmed: int = 0  # owners whose stream was cut
    removed: int = 0  # rows deleted


def trim_streams(cap: int | None = None, batch: int = 500) -> TrimReport:
    """Cut every owner's stream to its newest ``cap`` rows (``STREAM_MAX_ROWS``)."""
    cap = settings.STREAM_MAX_ROWS if cap is None else cap
    report = TrimReport()
    if cap <= 0 or connection.vendor != "postgresql":
        return report  # unbounded; or the embedded default, whose streams stay small
    sql = TRIM.format(stream=StreamItem._meta.db_table, trim=StreamTrim._meta.db_table)
    last = 0
    while True:
        owners = list(
            User.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not owners:
            return report
        last = owners[-1]
        report.owners += len(owners)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {"keep": cap - 1, "owners": owners})
            trimmed, removed = cursor.fetchone()
        report.trimmed += trimmed
        report.removed += int(removed)
