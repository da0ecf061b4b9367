"""App.net's explore streams: a few fixed lists of recent posts anyone may read, each a
condition on columns and counters that already exist (no scoring job, nothing to keep up to
date besides the posts themselves).

Each condition has a partial index over post ids (``migrations/0001_explore_indexes.py``), so a
page walks only the posts that qualify, newest first, like any stream; a window of recent days
keeps "trending" and "conversations" about now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.errors import Reason, Refused
from posts.models import Post
from posts.options import PostFilters
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
    condition: Q
    windowed: bool = False


STREAMS = {
    e.slug: e
    for e in (
        Explore(
            "conversations",
            "Conversations",
            "Recent posts people are replying to.",
            Q(num_replies__gt=0),
            windowed=True,
        ),
        Explore(
            "photos",
            "Photos",
            "Recent posts with photos.",
            Q(annotations__contains=[OEMBED_PHOTO]),
        ),
        Explore(
            "trending",
            "Trending",
            "Recent posts starred and reposted the most.",
            Q(trend__gte=TRENDING_MIN),
            windowed=True,
        ),
        Explore(
            "checkins",
            "Checkins",
            "Recent posts checking in at a place.",
            Q(annotations__contains=[{"type": CHECKIN}]),
        ),
    )
}


def explore_stream(slug: str) -> Explore:
    found = STREAMS.get(slug)
    if found is None:
        raise Refused(Reason.NOT_FOUND, f"There is no explore stream {slug!r}.")
    return found


def explore_posts(viewer: User | None, slug: str, filters: PostFilters) -> QuerySet:
    """The stream's posts the viewer may see (originals only: a repost is not news)."""
    stream = explore_stream(slug)
    rows = Post.objects.visible_to(viewer, filters).filter(repost_of__isnull=True, is_deleted=False)
    rows = rows.alias(trend=F("num_stars") + F("num_reposts")).filter(stream.condition)
    if stream.windowed:
        rows = rows.filter(created_at__gte=timezone.now() - timedelta(days=WINDOW_DAYS))
    return rows
