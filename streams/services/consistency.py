"""Does the data agree with itself? Streams against the follow graph, counters against rows.

An operator's check after an incident (a worker killed mid fan-out, a restored backup) and the
verdict of ``bench/load``. It lives next to the fan-out because it states the same rules the
fan-out follows, and has to change with them:

- a stream holds each post at most once (the unique constraint);
- it holds every post and repost of its owner, and every original of each user the owner
  followed when the original was written (a follow merges only recent posts, so older ones are
  not required), and every post that mentions the owner;
- it holds nothing else: each row is the owner's own, a followee's, or a mention of the owner;
- a row is mention-only (unified stream, not personal) exactly when its post is neither the
  owner's nor a followee's;
- a followee's repost of A is there only if nothing showed the owner A before it within the
  dedupe window (a personal-stream row of A itself, or of another repost of A, delivered
  within the window), and it is there whenever nothing did; never if the owner wrote A.

Posts whose fan-out is still pending are left out. Rows that were deleted since (an unreposted
repost) cannot be seen here, so a run that deletes reposts can show "missing repost" falsely;
bench/load does not delete reposts. The queries are PostgreSQL's (interval arithmetic); they run
as a handful of set-based statements whatever the size of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from posts.models import Post, PostMention, Star
from users.models import Follow, User

from ..models import FanOut, StreamItem

# At most this many examples of each kind of violation are listed.
EXAMPLES = 20


@dataclass
class ConsistencyReport:
    """Violations by check name (up to ``EXAMPLES`` each), and the size of what was checked."""

    violations: dict[str, list[str]] = field(default_factory=dict)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(self.violations.values())

    def lines(self) -> list[str]:
        sizes = ", ".join(f"{n:,} {what}" for what, n in self.checked.items())
        if self.ok:
            return [f"consistency: OK ({sizes})"]
        lines = [f"consistency: VIOLATIONS ({sizes})"]
        for check, found in self.violations.items():
            for detail in found:
                lines.append(f"  {check}: {detail}")
        return lines


def _tables() -> dict[str, str]:
    return {
        "stream": StreamItem._meta.db_table,
        "post": Post._meta.db_table,
        "follow": Follow._meta.db_table,
        "mention": PostMention._meta.db_table,
        "fan_out": FanOut._meta.db_table,
    }


def _rows(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_tables()), [*(params or []), EXAMPLES])
        return cursor.fetchall()


# A post whose fan-out has not finished yet is not expected anywhere but where it already is.
SETTLED = (
    "NOT EXISTS (SELECT 1 FROM {fan_out} fo WHERE fo.post_id = p.id AND fo.completed_at IS NULL)"
)

DUPLICATES = """
SELECT owner_id, post_id, count(*) FROM {stream}
GROUP BY owner_id, post_id HAVING count(*) > 1 ORDER BY 1, 2 LIMIT %s
"""

# The owner's own posts and reposts, and followees' originals written after the follow.
MISSING_POSTS = f"""
WITH expected AS (
    SELECT p.user_id AS owner_id, p.id AS post_id FROM {{post}} p
    WHERE NOT p.is_deleted AND {SETTLED}
    UNION
    SELECT f.follower_id, p.id FROM {{post}} p
    JOIN {{follow}} f ON f.followee_id = p.user_id AND f.created_at <= p.created_at
    WHERE p.repost_of_id IS NULL AND NOT p.is_deleted AND {SETTLED}
)
SELECT e.owner_id, e.post_id FROM expected e
WHERE NOT EXISTS (
    SELECT 1 FROM {{stream}} s WHERE s.owner_id = e.owner_id AND s.post_id = e.post_id)
ORDER BY 1, 2 LIMIT %s
"""

MISSING_MENTIONS = f"""
SELECT m.user_id, m.post_id FROM {{mention}} m JOIN {{post}} p ON p.id = m.post_id
WHERE NOT p.is_deleted AND {SETTLED} AND NOT EXISTS (
    SELECT 1 FROM {{stream}} s WHERE s.owner_id = m.user_id AND s.post_id = m.post_id)
ORDER BY 1, 2 LIMIT %s
"""

STRAY = """
SELECT s.owner_id, s.post_id, p.user_id FROM {stream} s JOIN {post} p ON p.id = s.post_id
WHERE p.user_id <> s.owner_id AND NOT p.is_deleted
  AND NOT EXISTS (SELECT 1 FROM {follow} f
                  WHERE f.follower_id = s.owner_id AND f.followee_id = p.user_id)
  AND NOT EXISTS (SELECT 1 FROM {mention} m WHERE m.user_id = s.owner_id AND m.post_id = p.id)
ORDER BY 1, 2 LIMIT %s
"""

MENTION_FLAG_WRONG = f"""
SELECT s.owner_id, s.post_id, s.is_mention FROM {{stream}} s JOIN {{post}} p ON p.id = s.post_id
WHERE NOT p.is_deleted AND {SETTLED} AND s.is_mention = (
    p.user_id = s.owner_id
    OR EXISTS (SELECT 1 FROM {{follow}} f
               WHERE f.follower_id = s.owner_id AND f.followee_id = p.user_id))
ORDER BY 1, 2 LIMIT %s
"""

# Rows (e, post q) that show original A to the owner: A itself or any repost of A.
SHOWS_A = "NOT e.is_mention AND (q.id = r.repost_of_id OR q.repost_of_id = r.repost_of_id)"

# A followee's repost of A delivered although an earlier row had shown the owner A.
REPOST_SHOWN_TWICE = f"""
SELECT s.owner_id, r.id, r.repost_of_id, (
    SELECT min(e.post_id) FROM {{stream}} e JOIN {{post}} q ON q.id = e.post_id
    WHERE e.owner_id = s.owner_id AND e.id < s.id AND {SHOWS_A}
      AND e.delivered_at >= s.delivered_at - %s)
FROM {{stream}} s JOIN {{post}} r ON r.id = s.post_id
WHERE r.repost_of_id IS NOT NULL AND r.user_id <> s.owner_id AND NOT s.is_mention
  AND (EXISTS (
    SELECT 1 FROM {{stream}} e JOIN {{post}} q ON q.id = e.post_id
    WHERE e.owner_id = s.owner_id AND e.id < s.id AND {SHOWS_A}
      AND e.delivered_at >= s.delivered_at - %s)
    OR s.owner_id = (SELECT a.user_id FROM {{post}} a WHERE a.id = r.repost_of_id))
ORDER BY 1, 2 LIMIT %s
"""

# A followee's repost of A missing from a follower's stream where nothing had shown them A:
# nothing written, within the window, before the repost's fan-out finished.
REPOST_MISSING = f"""
SELECT f.follower_id, r.id, r.repost_of_id FROM {{post}} r
JOIN {{fan_out}} fo ON fo.post_id = r.id AND fo.completed_at IS NOT NULL
JOIN {{follow}} f ON f.followee_id = r.user_id AND f.created_at <= r.created_at
JOIN {{post}} a ON a.id = r.repost_of_id AND a.user_id <> f.follower_id
WHERE r.repost_of_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM {{stream}} s WHERE s.owner_id = f.follower_id AND s.post_id = r.id)
  AND NOT EXISTS (
    SELECT 1 FROM {{stream}} e JOIN {{post}} q ON q.id = e.post_id
    WHERE e.owner_id = f.follower_id AND q.id <> r.id AND {SHOWS_A}
      AND e.delivered_at >= r.created_at - %s AND e.delivered_at <= fo.completed_at)
ORDER BY 1, 2 LIMIT %s
"""


def stream_violations() -> dict[str, list[str]]:
    """Each stream rule above, with examples of the rows that break it."""
    window = timedelta(seconds=settings.REPOST_DEDUPE_SECONDS)
    return {
        "duplicate stream row": [
            f"user {o} holds post {p} {n} times" for o, p, n in _rows(DUPLICATES)
        ],
        "missing post": [f"user {o}'s stream lacks post {p}" for o, p in _rows(MISSING_POSTS)],
        "missing mention": [
            f"user {o}'s stream lacks post {p}, which mentions them"
            for o, p in _rows(MISSING_MENTIONS)
        ],
        "stray stream row": [
            f"user {o}'s stream holds post {p} by user {a}, neither followed nor mentioning them"
            for o, p, a in _rows(STRAY)
        ],
        "mention flag wrong": [
            f"user {o}'s post {p} is only in the unified stream, though followed"
            if mention_only
            else f"user {o}'s post {p} is in the personal stream, though not followed"
            for o, p, mention_only in _rows(MENTION_FLAG_WRONG)
        ],
        "repost shown twice": [
            f"user {o} got repost {r} of post {a} after post {e} had shown it"
            if e
            else f"user {o} got repost {r} of their own post {a}"
            for o, r, a, e in _rows(REPOST_SHOWN_TWICE, [window, window])
        ],
        "repost missing": [
            f"user {o} lacks repost {r} of post {a}, and nothing had shown them post {a}"
            for o, r, a in _rows(REPOST_MISSING, [window])
        ],
    }


def _rows_counted(rows: QuerySet, link: str) -> Coalesce:
    """The number of ``rows`` whose ``link`` is the outer row, as a correlated subquery."""
    counted = rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), Value(0))


# Each denormalised counter, and the rows it counts.
COUNTERS: list[tuple[type[Model], str, QuerySet, str]] = [
    (User, "followers_count", Follow.objects.all(), "followee"),
    (User, "following_count", Follow.objects.all(), "follower"),
    (User, "posts_count", Post.objects.filter(is_deleted=False), "user"),
    (User, "stars_count", Star.objects.all(), "user"),
    (Post, "num_stars", Star.objects.all(), "post"),
    (Post, "num_reposts", Post.objects.filter(repost_of__isnull=False), "repost_of"),
    (Post, "num_replies", Post.objects.filter(is_deleted=False), "reply_to"),
]


def counter_violations() -> list[str]:
    found = []
    for model, counter, rows, link in COUNTERS:
        wrong = (
            model.objects.annotate(actual=_rows_counted(rows, link))
            .exclude(**{counter: F("actual")})
            .order_by("pk")
            .values_list("pk", counter, "actual")[:EXAMPLES]
        )
        name = model._meta.model_name
        found += [f"{name} {pk}: {counter} is {n}, rows say {actual}" for pk, n, actual in wrong]
    return found


def check_consistency() -> ConsistencyReport:
    """Every stream rule and every counter, checked against the rows as they are now."""
    violations = stream_violations()
    violations["counter"] = counter_violations()
    pending = FanOut.objects.filter(completed_at__isnull=True).count()
    checked = {
        "users": User.objects.count(),
        "posts": Post.objects.count(),
        "stream rows": StreamItem.objects.count(),
        "follows": Follow.objects.count(),
        "stars": Star.objects.count(),
    }
    if pending:
        checked["pending fan-outs (not checked)"] = pending
    return ConsistencyReport(violations={k: v for k, v in violations.items() if v}, checked=checked)
