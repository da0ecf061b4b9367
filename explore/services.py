"""App.net's explore streams: a few fixed lists of recent posts anyone may read, each a
condition on columns and counters that already exist (no scoring job, nothing to keep up to
date besides the posts themselves).

Each condition has a partial index over post ids (``migrations/0001_explore_indexes.py``), so a
page walks only the posts that qualify, newest first, like any stream; a window of recent days
keeps "trending" and "conversations" about now (measured in SQL from the statement's time, so
that the query stays the same from one request to the next). As every stream page, a page is one
query compiled once per shape (``core.compiled``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now
from django.db.models.lookups import GreaterThanOrEqual

from core.compiled import Slots, compiled
from core.errors import Reason, Refused
from core.paging import Cursor, Page, finish, window
from posts.models import Post
from posts.options import PostFilters
from streams.services.page import STAMP_FIELDS, PageEntry
from users.models import User

WINDOW_DAYS = 7  # conversations and trending look this far back
TRENDING_MIN = 2  # stars and reposts together
CHECKIN = "net.app.core.checkin"
OEMBED_PHOTO = {"type": "net.app.core.oembed", "value": {"type": "photo"}}


@dataclass(frozen=True)
class Explore:
    slug: str
    title: str
    description: str
    condition: Q  # on any database
    # On PostgreSQL, the partial index's own predicate (``{t}`` the table's prefix), written into
    # the query as SQL, not parameters: a prepared statement's generic plan can use a partial
    # index only if its query states the index's condition in literals.
    predicate: str
    windowed: bool = False

    def where(self, table: str = "") -> str:
        return self.predicate.replace("{t}", table)


def contains(value: list) -> str:
    return "{t}annotations @> '" + json.dumps(value) + "'"


STREAMS = {
    e.slug: e
    for e in (
        Explore(
            "conversations",
            "Conversations",
            "Recent posts people are replying to.",
            Q(num_replies__gt=0),
            "{t}num_replies > 0",
            windowed=True,
        ),
        Explore(
            "photos",
            "Photos",
            "Recent posts with photos.",
            Q(annotations__contains=[OEMBED_PHOTO]),
            contains([OEMBED_PHOTO]),
        ),
        Explore(
            "trending",
            "Trending",
            "Recent posts starred and reposted the most.",
            Q(GreaterThanOrEqual(F("num_stars") + F("num_reposts"), TRENDING_MIN)),
            f"({{t}}num_stars + {{t}}num_reposts) >= {TRENDING_MIN}",
            windowed=True,
        ),
        Explore(
            "checkins",
            "Checkins",
            "Recent posts checking in at a place.",
            Q(annotations__contains=[{"type": CHECKIN}]),
            contains([{"type": CHECKIN}]),
        ),
    )
}


def explore_stream(slug: str) -> Explore:
    found = STREAMS.get(slug)
    if found is None:
        raise Refused(Reason.NOT_FOUND, f"There is no explore stream {slug!r}.")
    return found


def explore_posts(viewer: User | int | None, slug: str, filters: PostFilters) -> QuerySet:
    """The stream's posts the viewer may see (originals only: a repost is not news)."""
    stream = explore_stream(slug)
    rows = Post.objects.visible_to(viewer, filters).filter(repost_of__isnull=True, is_deleted=False)
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Post._meta.db_table) + "."
        rows = rows.filter(RawSQL(stream.where(table), [], output_field=BooleanField()))
    else:
        rows = rows.filter(stream.condition)
    if stream.windowed:
        since = ExpressionWrapper(
            Now() - Value(timedelta(days=WINDOW_DAYS)), output_field=DateTimeField()
        )
        rows = rows.filter(created_at__gte=since)
    return rows


def _explore_page(
    slots: Slots, *, slug: str, cursor: Cursor, filters: PostFilters, signed_in: bool, whole: bool
) -> QuerySet:
    rows = explore_posts(slots.viewer if signed_in else None, slug, filters)
    rows = rows.for_rendering() if whole else rows.values_list("id", *STAMP_FIELDS)
    since = None if cursor.since_id is None else slots.since
    before = None if cursor.before_id is None else slots.before
    return window(rows, cursor, since, before)


def explore_page(
    viewer: User | None, slug: str, filters: PostFilters, cursor: Cursor, *, whole: bool
) -> Page:
    """A page of the explore stream ``slug``, newest first, as ``PageEntry`` rows for the
    rendered-post cache (``adn_api.rendered``): the posts' ids and versions, or with ``whole``
    the posts read whole (for renderings the cache does not keep)."""
    explore_stream(slug)  # an unknown slug is a 404 before anything is compiled for it
    cursor = cursor.plain()
    signed_in = viewer is not None
    query = compiled(
        _explore_page,
        slug=slug,
        cursor=cursor.shape(),
        filters=filters,
        signed_in=signed_in,
        whole=whole,
    )
    values = {}
    if signed_in:
        values["viewer"] = viewer.pk
    values.update(cursor.bounds())
    rows = query.run(**values)
    if whole:
        found = [PageEntry.from_post(post.pk, post) for post in rows]
    else:
        found = [PageEntry.from_row(row[0], row[1:]) for row in rows]
    return finish(found, cursor)
