"""Post search, as App.net documents it (``posts/search``), for every dialect (user search is
``users.services.lists.search_users``).

Text is matched by PostgreSQL's full-text search: ``plainto_tsquery`` over the ``simple``
configuration (no stemming: names and hashtags stay as written), which reads any input as words,
so quotes, ``*``, ``NEAR`` or ``'`` are never syntax. It reads the stored ``search_vector``
column and its GIN index (``migrations/0002_post_search_vector.py``), never ``to_tsvector`` per
row; ``order=score`` ranks the newest ``RANKED`` matches by ``ts_rank``. On SQLite (the
embedded default) the FTS5 table of ``fts5.py`` answers it, each word a quoted string (so again
no syntax), ``order=score`` by ``bm25``.

Every other filter is a column or the entity/annotation rows posts already have. What a viewer
may see is ``Post.objects.visible_to``, as in every stream.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import BooleanField, Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.compiled import Slots, compiled
from core.errors import invalid
from core.inputs import flag_value, parse_id, storable_text
from core.paging import MAX_COUNT, Cursor, Page, finish, paginate, window
from posts.models import Post, PostHashtag, PostMention
from posts.models.post_hashtag import fold_tag
from posts.options import PostFilters
from users.models import User

from . import fts5

MAX_QUERY = 256  # characters: longer is no search anyone types, and costs the index
MAX_TERMS = 10  # names in one list parameter (hashtags, mentions, ...)
POSTS = Post._meta.db_table
# The stored vector of migration 0002; PostgreSQL keeps it, the post model does not name it.
MATCHES = f"{POSTS}.search_vector @@ plainto_tsquery('simple'::regconfig, %s)"
RANK = f"ts_rank({POSTS}.search_vector, plainto_tsquery('simple'::regconfig, %s))"
FTS_IDS = f"SELECT rowid FROM {fts5.TABLE} WHERE {fts5.TABLE} MATCH %s"
FTS_RANK = (
    f"(SELECT -bm25({fts5.TABLE}) FROM {fts5.TABLE} "
    f"WHERE {fts5.TABLE} MATCH %s AND rowid = {POSTS}.id)"
)
ORDERS = ("id", "score")
FLAGS = ("is_reply", "is_directed", "has_attachment", "has_oembed_photo", "has_oembed_video")
LISTS = ("hashtags", "mentions", "leading_mentions", "links", "link_domains", "annotation_types")
IDS = ("creator_id", "reply_to", "thread_id")
OEMBED = "net.app.core.oembed"
ATTACHMENTS = "net.app.core.attachments"


@dataclass(frozen=True)
class PostSearch:
    query: str = ""
    order: str = "id"
    flags: tuple[tuple[str, bool], ...] = ()
    lists: tuple[tuple[str, tuple[str, ...]], ...] = ()
    ids: tuple[tuple[str, int], ...] = ()
    client_id: str | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> PostSearch:
        query = text_param(params.get("query") or params.get("q") or params.get("text") or "")
        order = params.get("order") or "id"
        if order not in ORDERS:
            raise invalid(f"order must be one of {', '.join(ORDERS)}.")
        if order == "score" and not query:
            raise invalid("order=score needs a query to rank by.")
        flags = tuple((n, flag_value(params[n], n)) for n in FLAGS if params.get(n, "") != "")
        lists = tuple((n, terms(params[n], n)) for n in LISTS if params.get(n, "").strip())
        ids = tuple((n, parse_id(params[n], n)) for n in IDS if params.get(n, "").strip())
        client_id = text_param(params.get("client_id") or "") or None
        search = cls(query, order, flags, lists, ids, client_id)
        if not (query or flags or lists or ids or client_id):
            raise invalid("Give query or at least one filter (hashtags, mentions, ...).")
        return search


def text_param(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_QUERY:
        raise invalid(f"A search is at most {MAX_QUERY} characters.")
    if not storable_text(value):
        raise invalid("A search must not contain NUL characters or lone surrogates.")
    return value


def terms(value: str, name: str) -> tuple[str, ...]:
    found = tuple(t for t in (text_param(part) for part in value.split(",")) if t)
    if len(found) > MAX_TERMS:
        raise invalid(f"{name} takes at most {MAX_TERMS} names.")
    return found


def _candidates(viewer: User | int | None, filters: PostFilters) -> QuerySet:
    # Deleted posts have no text left to find; a filter alone must not list their tombstones.
    filters = replace(filters, include_deleted=False)
    return Post.objects.visible_to(viewer, filters).filter(repost_of__isnull=True)


def search_posts(viewer: User | None, search: PostSearch, filters: PostFilters) -> QuerySet:
    """The posts matching every part of ``search`` that the viewer may see."""
    rows = _candidates(viewer, filters)
    if search.query:
        value, ranked = text_value(search.query), search.order == "score"
        rows = match_text(rows, value, ranked=ranked)
        if ranked and value is not None:
            # Ranking every post with a common word would take seconds: the newest only.
            newest = compiled(_matching_ids, cursor=Cursor(), batch=RANKED)
            rows = rows.filter(id__any=[row[0] for row in newest.run_replanned(query=value)])
    for name, value in search.flags:
        rows = rows.filter(FLAG_CONDITIONS[name] if value else ~FLAG_CONDITIONS[name])
    for name, values in search.lists:
        for value in values:
            rows = rows.filter(list_condition(name, value))
    for name, value in search.ids:
        rows = rows.filter(**{ID_FIELDS[name]: value})
    if search.client_id:
        rows = rows.filter(source__client_id=search.client_id)
    return rows


RANKED = 1000  # order=score ranks this many of the newest matching posts
# Matching ids one text query hands to the page query: twice the largest page, so that only a
# viewer who may not see half of them (blocks, mutes) costs a second batch.
CANDIDATES = 2 * MAX_COUNT


def _matching_ids(slots: Slots, *, cursor: Cursor, batch: int) -> QuerySet:
    rows = Post.objects.filter(repost_of__isnull=True, is_deleted=False)
    rows = match_text(rows, slots.text("query"), ranked=False)
    since = None if cursor.since_id is None else slots.since
    before = None if cursor.before_id is None else slots.before
    wide = replace(cursor, count=(batch - 1) * (1 if cursor.count > 0 else -1))
    return window(rows, wide, since, before).values_list("id", flat=True)


def _visible_of(slots: Slots, *, cursor: Cursor, filters: PostFilters, signed_in: bool):
    viewer = slots.viewer if signed_in else None
    rows = Post.objects.visible_to(viewer, filters).filter(id__any=slots.ids).for_rendering()
    return window(rows, cursor, None, None)


def search_page(viewer: User | None, search: PostSearch, filters: PostFilters, cursor: Cursor):
    """A page of ``search`` newest first (``order=id``).

    A search by words alone, what nearly every search is, is two queries compiled once per shape
    (``core.compiled``): the ids of the newest matching posts, from the text index alone and
    planned for its words each time (how common a word is decides between walking the newest
    posts and reading the GIN index; one plan for any word would walk the whole table for a
    rare one), then the page of those the viewer may see, the same prepared statement for every
    search (the nine-table visibility join costs more to plan than to run). Only when a viewer
    may see too few of a batch of ``CANDIDATES`` (blocks and mutes) is a further batch read."""
    cursor = cursor.plain()
    if search != PostSearch(query=search.query) or not search.query:
        return paginate(search_posts(viewer, search, filters).for_rendering(), cursor)
    value = text_value(search.query)
    if value is None:
        return Page([], False)
    signed_in = viewer is not None
    ids_query = compiled(_matching_ids, cursor=cursor.shape(), batch=CANDIDATES)
    page_query = compiled(
        _visible_of, cursor=Cursor(count=cursor.count), filters=filters, signed_in=signed_in
    )
    found: list[Post] = []
    while True:
        bounds = {"query": value}
        if cursor.since_id is not None:
            bounds["since"] = cursor.since_id
        if cursor.before_id is not None:
            bounds["before"] = cursor.before_id
        ids = [row[0] for row in ids_query.run_replanned(**bounds)]
        values = {"ids": ids, **({"viewer": viewer.pk} if signed_in else {})}
        found.extend(page_query.run(**values) if ids else [])
        if len(found) > abs(cursor.count) or len(ids) < CANDIDATES:
            break
        # Every candidate read and the page not full: the next batch, past the last one.
        if cursor.count > 0:
            cursor = replace(cursor, before_id=ids[-1], before_inclusive=False)
        else:
            cursor = replace(cursor, since_id=ids[-1], since_inclusive=False)
        ids_query = compiled(_matching_ids, cursor=cursor.shape(), batch=CANDIDATES)
    return finish(found, cursor)


def text_value(query: str) -> str | None:
    """What the text index is asked: the words as typed (PostgreSQL's ``plainto_tsquery`` reads
    them), or FTS5's quoted query on SQLite; None when nothing in it could match."""
    if connection.vendor == "postgresql":
        return query
    return fts5.match_query(query.split())


def match_text(rows: QuerySet, value: str | None, *, ranked: bool) -> QuerySet:
    """``rows`` whose text holds every word of ``value`` (from ``text_value``)."""
    if value is None:
        return rows.none()
    if connection.vendor != "postgresql":
        rows = rows.filter(id__in=RawSQL(FTS_IDS, [value]))
        if ranked:
            rows = rows.annotate(score=RawSQL(FTS_RANK, [value], output_field=FloatField()))
        return rows
    rows = rows.filter(RawSQL(MATCHES, [value], output_field=BooleanField()))
    if ranked:
        rows = rows.annotate(score=RawSQL(RANK, [value], output_field=FloatField()))
    return rows


def annotated(value: dict) -> Q:
    return Q(annotations__contains=[value])


FLAG_CONDITIONS = {
    "is_reply": Q(reply_to__isnull=False),
    "is_directed": Q(is_directed=True),
    "has_attachment": annotated({"type": ATTACHMENTS}),
    "has_oembed_photo": annotated({"type": OEMBED, "value": {"type": "photo"}}),
    "has_oembed_video": annotated({"type": OEMBED, "value": {"type": "video"}}),
}
ID_FIELDS = {"creator_id": "user_id", "reply_to": "reply_to_id", "thread_id": "thread_id"}


def list_condition(name: str, value: str) -> Q:
    if name == "hashtags":
        tag = fold_tag(value.lstrip("#"))
        return Q(Exists(PostHashtag.objects.filter(post=OuterRef("pk"), name=tag)))
    if name in ("mentions", "leading_mentions"):
        username = value.lstrip("@")
        mentioned = PostMention.objects.filter(post=OuterRef("pk"), user__username__iexact=username)
        condition = Q(Exists(mentioned))
        if name == "leading_mentions":
            condition &= Q(is_directed=True)
        return condition
    if name == "links":
        return Q(entities__links__contains=[{"url": value}])
    if name == "link_domains":
        domain = value.lower()
        return Q(entities__links__icontains=f"//{domain}")
    return annotated({"type": value})  # annotation_types


TAG_LIMIT = 20
LISTED = PostFilters(include_deleted=False)  # as a list shows posts: no tombstones, none muted


def tags_starting(viewer: User | None, prefix: str, limit: int = TAG_LIMIT) -> list[str]:
    """The tags of posts the viewer may see that start with ``prefix`` (folded as tags are
    matched: case and ``_`` ignored), alphabetically: diaspora's tag autocomplete."""
    folded = fold_tag(text_param(prefix).lstrip("#"))
    if not folded:
        raise invalid("query is required: the start of a tag.")
    seen = Post.objects.visible_to(viewer, LISTED).filter(pk=OuterRef("post_id"))
    rows = PostHashtag.objects.filter(Exists(seen), name__startswith=folded)
    return list(rows.values_list("name", flat=True).distinct().order_by("name")[:limit])
