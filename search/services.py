"""Post search, as App.net documents it (``posts/search``), for every dialect (user search is
``users.services.lists.search_users``).

Text is matched by PostgreSQL's full-text search: ``plainto_tsquery`` over the ``simple``
configuration (no stemming: names and hashtags stay as written), which reads any input as words,
so quotes, ``*``, ``NEAR`` or ``'`` are never syntax. It reads the stored ``search_vector``
column and its GIN index (``migrations/0002_post_search_vector.py``), never ``to_tsvector`` per
row; ``order=score`` ranks by ``ts_rank``. On SQLite (the embedded default) the FTS5 table of
``fts5.py`` answers it, each word a quoted string (so again no syntax), ``order=score`` by
``bm25``.

Every other filter is a column or the entity/annotation rows posts already have. What a viewer
may see is ``Post.objects.visible_to``, as in every stream.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import BooleanField, Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.errors import invalid
from core.inputs import flag_value, parse_id, storable_text
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


def search_posts(viewer: User | None, search: PostSearch, filters: PostFilters) -> QuerySet:
    """The posts matching every part of ``search`` that the viewer may see."""
    # Deleted posts have no text left to find; a filter alone must not list their tombstones.
    filters = replace(filters, include_deleted=False)
    rows = Post.objects.visible_to(viewer, filters).filter(repost_of__isnull=True)
    if search.query:
        rows = match_text(rows, search.query, ranked=search.order == "score")
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


def match_text(rows: QuerySet, query: str, *, ranked: bool) -> QuerySet:
    if connection.vendor != "postgresql":
        match = fts5.match_query(query.split())
        if match is None:
            return rows.none()
        rows = rows.filter(id__in=RawSQL(FTS_IDS, [match]))
        if ranked:
            rows = rows.annotate(score=RawSQL(FTS_RANK, [match], output_field=FloatField()))
        return rows
    rows = rows.filter(RawSQL(MATCHES, [query], output_field=BooleanField()))
    if ranked:
        rows = rows.annotate(score=RawSQL(RANK, [query], output_field=FloatField()))
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
