"""One page of a post stream, for every dialect: ``page(viewer, stream, filters, cursor)``.

Every list of posts that pages by id comes from here: the personal and unified streams (the
viewer's materialised rows), global, a user's posts, mentions, a hashtag, a thread, a user's
stars. What each holds is ``_rows``; which of its posts the viewer sees is the one visibility
rule (``posts.models.visibility``). Every stream is read on every refresh of every client, so its
page query is compiled once per shape (``core.compiled``): the shape is derived here from the
stream's kind, the filters and which bounds the cursor gives, and every value — the viewer, the
stream's user, thread or tag, the bounds — is a stand-in, so no two viewers or cursors share a
result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property

from django.db.models import (
    BigIntegerField,
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Concat

from core.compiled import Slots, compiled
from core.errors import invalid
from core.paging import Cursor, finish, window
from posts.models import Post, PostMention, Star
from posts.models.post import RENDER_RELATIONS
from posts.models.post_hashtag import fold_tag
from posts.models.visibility import visible_posts
from posts.options import PostFilters
from users.models import Follow, User

from ..models import StreamItem, StreamMarker, StreamTrim
from .markers import object_marker

HASHTAG = re.compile(r"^\w{1,256}$")
ITEM_KINDS = {"personal", "unified", "stars"}  # rows that reach their post through ``post``
TRIMMED_KINDS = {"personal", "unified"}  # the materialised streams, cut by ``services.trim``
SUBJECT_KINDS = {"user", "mentions", "thread", "stars"}


@dataclass(frozen=True)
class Stream:
    kind: str
    subject: int | None = None  # the user (user, mentions, stars) or the thread id
    tag: str = ""  # folded
    humans_only: bool = False  # pnut's global stream: no feeds or bots
    marker: str | None = None  # the stream marker it keeps, for a signed-in viewer

    @classmethod
    def personal(cls) -> Stream:
        return cls("personal", marker="my_stream")

    @classmethod
    def unified(cls) -> Stream:
        """The personal stream and the viewer's mentions, merged."""
        return cls("unified", marker="unified")

    @classmethod
    def global_(cls, *, humans_only: bool = False) -> Stream:
        """Original posts, never reposts; never bots' (App.net), only humans' (pnut)."""
        return cls("global", humans_only=humans_only, marker="global")

    @classmethod
    def of_user(cls, user: User, *, marked: bool = False) -> Stream:
        """``marked``: it keeps the ``user:ID`` marker (App.net's)."""
        return cls(
            "user", subject=user.pk, marker=object_marker("user", user.pk) if marked else None
        )

    @classmethod
    def mentions(cls, user: User, *, own: bool = False) -> Stream:
        """``own``: the viewer's own mentions (asked for as ``me``), which keep a marker."""
        return cls("mentions", subject=user.pk, marker="mentions" if own else None)

    @classmethod
    def hashtag(cls, name: str) -> Stream:
        if not HASHTAG.match(name) or name.isdigit():
            raise invalid("A hashtag is letters, digits and underscores, not only digits.")
        return cls("tag", tag=fold_tag(name))

    @classmethod
    def thread(cls, post: Post) -> Stream:
        return cls("thread", subject=post.thread_id or post.pk)

    @classmethod
    def stars(cls, user: User) -> Stream:
        """The posts a user starred, newest star first (paged by the star)."""
        return cls("stars", subject=user.pk)


# Per post on a page: its id, and the version of every row its rendering shows (core.row_versions)
# -- the post, its author, its app (DOT's ``updated`` and the profile's version) -- and the same
# for a repost's original. Read by the page query instead of the rows themselves: the rendered
# posts come from a cache under these versions (adn_api/rendered.py), and only the posts it does
# not hold are read whole.
POST_STAMP = (
    "id",
    "version",
    "user_id",
    "user__version",
    "source_id",
    "source__updated",
    "source__profile__version",
)
STAMP_FIELDS = (*POST_STAMP, *(f"repost_of__{field}" for field in POST_STAMP))


@dataclass
class PageEntry:
    """One post of a page, before its rows are read: enough to find its rendering in a cache
    and the viewer's relations to it."""

    id: int  # what the stream pages by: its row's id (a stream row, a star) or the post's
    post_id: int
    stamp: tuple  # the versions of the rows it shows; a new value for any change of them
    user_ids: tuple[int, ...]  # its author, and a repost's original's
    repost_of_id: int | None = None
    post: Post | None = None  # when already read (a page below a trimmed stream's cut)
    # The stamp covers the users the shown post mentions (``page(…, mention_versions=True)``).
    covers_mentions: bool = False

    @classmethod
    def from_row(cls, pagination_id: int, values: tuple) -> PageEntry:
        half = len(POST_STAMP)
        post, original = values[:half], values[half : 2 * half]
        user_ids = (post[2],) if original[0] is None else (post[2], original[2])
        covers = len(values) > 2 * half
        return cls(pagination_id, post[0], _stamp(values), user_ids, original[0], None, covers)

    @classmethod
    def from_post(cls, pagination_id: int, post: Post) -> PageEntry:
        values = []
        for shown in (post, post.repost_of):
            if shown is None:
                values += [None] * len(POST_STAMP)
                continue
            source = shown.source
            profile = getattr(source, "profile", None) if source is not None else None
            values += [
                shown.pk,
                shown.version,
                shown.user_id,
                shown.user.version,
                shown.source_id,
                source.updated if source is not None else None,
                profile.version if profile is not None else None,
            ]
        return replace(cls.from_row(pagination_id, tuple(values)), post=post)


def _stamp(values: tuple) -> tuple:
    return tuple(v.timestamp() if isinstance(v, datetime) else v for v in values)


@dataclass
class StreamPage:
    entries: list[PageEntry]
    more: bool
    marker_name: str | None = None  # the stream keeps this marker for the viewer
    marker: StreamMarker | None = None  # as it is now (None: not set yet)

    @cached_property
    def posts(self) -> list[Post]:
        """The page's posts read whole (one query, none for a ``whole`` page), each with its
        ``pagination_id``."""
        return read_posts(self.entries)


def read_posts(entries: list[PageEntry]) -> list[Post]:
    """The entries' posts, as ``Post.objects.for_rendering()`` reads them, in the entries'
    order with their ``pagination_id``; in one query, none for posts already read."""
    missing = [e.post_id for e in entries if e.post is None]
    found = Post.objects.for_rendering().in_bulk(missing) if missing else {}
    posts = []
    for entry in entries:
        post = entry.post or found.get(entry.post_id)
        if post is None:
            continue  # removed since the page was read
        post.pagination_id = entry.id
        posts.append(post)
    return posts


def _rows(
    slots: Slots,
    *,
    kind: str,
    humans_only: bool,
    filters: PostFilters,
    signed_in: bool,
    whole: bool,
    mention_versions: bool = False,
) -> QuerySet:
    """The stream's rows the viewer sees: as ids and versions (``STAMP_FIELDS``), or ``whole``
    (the rows with everything their rendering reads joined in)."""
    viewer = slots.viewer if signed_in else None
    if kind in ITEM_KINDS:
        if kind == "stars":
            rows = Star.objects.filter(user_id=slots.subject)
        else:
            rows = StreamItem.objects.filter(owner_id=slots.viewer)
            if kind == "personal":
                rows = rows.filter(is_mention=False)
        rows = rows.filter(visible_posts(viewer, filters, "post__"))
        if whole:
            return rows.select_related("post", *(f"post__{r}" for r in RENDER_RELATIONS))
        fields = ["id", *(f"post__{field}" for field in STAMP_FIELDS)]
        if mention_versions:
            rows = rows.annotate(mentioned=_mentioned_versions("post__"))
            fields.append("mentioned")
        return rows.values_list(*fields)
    if kind == "global":
        posts = Post.objects.filter(repost_of__isnull=True)
        if humans_only:
            posts = posts.filter(user__type=User.Type.HUMAN)
        else:
            posts = posts.exclude(user__type=User.Type.BOT)
    elif kind == "user":
        posts = Post.objects.filter(user_id=slots.subject)
    elif kind == "mentions":
        posts = Post.objects.filter(mention_rows__user_id=slots.subject, repost_of__isnull=True)
        if not filters.include_copy_mentions:
            posts = posts.exclude(text__iregex=_copy_mention_pattern(slots.subject))
    elif kind == "tag":
        posts = Post.objects.filter(hashtag_rows__name=slots.text("tag"), repost_of__isnull=True)
    elif kind == "thread":
        posts = Post.objects.filter(thread_id=slots.subject, repost_of__isnull=True)
    else:
        raise ValueError(f"no stream of kind {kind!r}")
    posts = posts.visible_to(viewer, filters)
    if whole:
        return posts.for_rendering()
    if mention_versions:
        posts = posts.annotate(mentioned=_mentioned_versions(""))
        return posts.values_list("id", *STAMP_FIELDS, "mentioned")
    return posts.values_list("id", *STAMP_FIELDS)


def _copy_mention_pattern(user_id) -> Concat:
    """A regular expression for a copy mention of the user (pnut: "/@name", or a mention in the
    run of mentions that follows one: "/@ann @name"), made in SQL from their username."""
    username = User.objects.filter(pk=user_id).values("username")[:1]
    return Concat(
        Value(r"/(@\w+\s+)*@"), Subquery(username), Value(r"(\W|$)"), output_field=CharField()
    )


def _mentioned_versions(prefix: str) -> Subquery:
    """The sum of the versions of the users the shown post (a repost's original) mentions:
    which users a post mentions changes only with the post, and a version only grows, so any
    change to any of them (a profile, a suspension) changes the sum."""
    shown = Coalesce(OuterRef(f"{prefix}repost_of_id"), OuterRef(f"{prefix}id"))
    mentions = PostMention.objects.filter(post_id=shown).order_by()
    total = mentions.values("post_id").annotate(total=Sum("user__version")).values("total")
    return Subquery(total[:1], output_field=BigIntegerField())


# The marker's fields, read with the page when the cursor does not need it first.
MARKER_FIELDS = ("post_id", "last_read_id", "percentage", "updated_at", "version")


def _page_query(slots: Slots, *, cursor: Cursor, marker: str | None, **stream_shape) -> QuerySet:
    since = None if cursor.since_id is None else slots.since
    before = None if cursor.before_id is None else slots.before
    rows = _rows(slots, **stream_shape)
    if marker is not None:
        # Uncorrelated subqueries: PostgreSQL reads the marker once (an InitPlan), not per row.
        mine = StreamMarker.objects.filter(user_id=slots.viewer, name=marker)
        rows = rows.annotate(
            **{f"marker_{name}": Subquery(mine.values(name)[:1]) for name in MARKER_FIELDS}
        )
    return window(rows, cursor, since, before)


def _marker_query(slots: Slots, *, name: str) -> QuerySet:
    return StreamMarker.objects.filter(user_id=slots.user, name=name)[:1]


def get_marker(user: User, name: str) -> StreamMarker | None:
    found = compiled(_marker_query, name=name).run(user=user.pk)
    return found[0] if found else None


def _marker_from(viewer: User, name: str, values: tuple) -> StreamMarker | None:
    fields = dict(zip(MARKER_FIELDS, values, strict=True))
    if fields["post_id"] is None:
        return None  # not set yet
    return StreamMarker(user_id=viewer.pk, name=name, **fields)


def _resolve(cursor: Cursor, marker: StreamMarker | None, stream: Stream, viewer) -> Cursor:
    """The marker's ids in place of their names; no marker yet: that bound does not apply."""

    def value(bound):
        if not isinstance(bound, str):
            return bound
        if marker is None:
            return None
        post_id = marker.last_read_id if bound.startswith("last_read") else marker.post_id
        if stream.kind not in ITEM_KINDS:
            return post_id
        # Markers hold post ids; the materialised stream pages by its rows' ids.
        return (
            StreamItem.objects.filter(owner=viewer, post_id=post_id)
            .values_list("id", flat=True)
            .first()
        )

    return replace(cursor, since_id=value(cursor.since_id), before_id=value(cursor.before_id))


def page(
    viewer: User | None,
    stream: Stream,
    filters: PostFilters,
    cursor: Cursor,
    *,
    whole: bool = False,
    mention_versions: bool = False,
) -> StreamPage:
    """A page of ``stream`` as ``viewer`` sees it: its entries (ids and versions, for the
    rendered-post cache), or with ``whole`` its posts already read (for a rendering the cache
    does not hold: annotations, samples of starrers), each in one query."""
    marker_name = stream.marker if viewer is not None else None
    marker = None
    # The marker comes with the page's rows, unless the cursor needs it first.
    with_marker = marker_name if not cursor.has_special_ids and not whole else None
    if marker_name and whole and not cursor.has_special_ids:
        marker = get_marker(viewer, marker_name)
    if cursor.has_special_ids:
        if marker_name is None:
            cursor.plain()  # refuses them
        marker = get_marker(viewer, marker_name)
        cursor = _resolve(cursor, marker, stream, viewer)
    signed_in = viewer is not None
    query = compiled(
        _page_query,
        cursor=cursor.shape(),
        marker=with_marker,
        kind=stream.kind,
        humans_only=stream.humans_only,
        filters=filters,
        signed_in=signed_in,
        whole=whole,
        mention_versions=mention_versions and not whole,
    )
    values = {}
    if signed_in:
        values["viewer"] = viewer.pk
    if stream.kind in SUBJECT_KINDS:
        values["subject"] = stream.subject
    if stream.kind == "tag":
        values["tag"] = stream.tag
    values.update(cursor.bounds())
    found = query.run(**values)
    if with_marker:
        width = len(MARKER_FIELDS)
        if found:
            marker = _marker_from(viewer, marker_name, found[0][-width:])
        else:
            marker = get_marker(viewer, marker_name)  # an empty page: asked apart
        found = [row[:-width] for row in found]
    if whole:
        rows = [
            PageEntry.from_post(row.pk, row.post if stream.kind in ITEM_KINDS else row)
            for row in found
        ]
    else:
        rows = [PageEntry.from_row(row[0], row[1:]) for row in found]
    if stream.kind in TRIMMED_KINDS and (len(rows) <= abs(cursor.count) or cursor.count < 0):
        rows = _past_the_cut(rows, viewer, stream, filters, cursor)
    result = finish(rows, cursor)
    return StreamPage(result.items, result.more, marker_name, marker)


def fallback_rows(viewer: User, stream: Stream, filters: PostFilters) -> QuerySet:
    """What the viewer's materialised stream would hold, read from the posts themselves: their
    own posts and reposts, their followees' posts, and (unified) posts mentioning them; a
    followee's repost only if the viewer wrote neither it nor follows who did, and no earlier
    repost of it by someone they follow (or them) is shown (the dedupe's rule, by position)."""
    followees = Follow.objects.filter(follower_id=viewer.pk).values("followee_id")
    by_us = Q(user_id=viewer.pk) | Q(user_id__in=followees)
    earlier = Post.objects.filter(
        by_us, repost_of_id=OuterRef("repost_of_id"), id__lt=OuterRef("id")
    )
    fresh_repost = (
        ~Q(repost_of__user_id=viewer.pk) & ~Q(repost_of__user_id__in=followees) & ~Exists(earlier)
    )
    shown = Q(user_id=viewer.pk) | (
        Q(user_id__in=followees) & (Q(repost_of__isnull=True) | fresh_repost)
    )
    if stream.kind == "unified":
        mentions = PostMention.objects.filter(post_id=OuterRef("pk"), user_id=viewer.pk)
        shown |= Q(repost_of__isnull=True) & Exists(mentions)
    kept = StreamItem.objects.filter(owner_id=viewer.pk, post_id=OuterRef("pk"))
    return Post.objects.visible_to(viewer, filters).filter(shown).exclude(Exists(kept))


def _past_the_cut(
    rows: list, viewer: User, stream: Stream, filters: PostFilters, cursor: Cursor
) -> list:
    """A page that reaches below a trimmed stream's cut goes on with ``fallback_rows``, whose
    pagination ids are the posts' ids, below the cut: the stream's id sequence runs ahead of
    the posts' (every post writes at least its author's row, after the post), so the posts
    the cut removed have ids below it. Ids still only decrease down the stream, and none
    repeats: a post still in the stream is not read again."""
    floor = StreamTrim.objects.filter(owner_id=viewer.pk).values_list("floor_id", flat=True)
    floor = floor.first()
    if floor is None:
        return rows
    before = cursor.before_id
    if before is not None and (before < floor or (before == floor and not cursor.before_inclusive)):
        upper = {"id__lte" if cursor.before_inclusive else "id__lt": before}
    else:
        upper = {"id__lt": floor}
    older = fallback_rows(viewer, stream, filters).filter(**upper).for_rendering()
    if cursor.since_id is not None:
        older = older.filter(**{"id__gte" if cursor.since_inclusive else "id__gt": cursor.since_id})
    older = older.order_by("-id" if cursor.count > 0 else "id")[: abs(cursor.count) + 1]
    items = [PageEntry.from_post(post.pk, post) for post in older]
    return [*rows, *items] if cursor.count > 0 else [*items, *rows]
