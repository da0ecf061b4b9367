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
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL

from core.compiled import Slots, compiled
from core.errors import invalid
from core.inputs import flag_value, parse_id, storable_text
from core.paging import MAX_COUNT, Cursor, Page, finish, paginate, window
from posts.models import Post, PostHashtag, PostMention
from posts.models.post_hashtag import fold_tag
from posts.models.visibility import visible_posts
from posts.options import PostFilters
from streams.services.page import STAMP_FIELDS, PageEntry
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
# At most this many matching posts in one batch of a page: twice the largest page.
CANDIDATES = 2 * MAX_COUNT
SPARE = 4  # at least this many matching posts more than the page in a batch
# migrations/0004: the ids of the newest matching posts, planned for the words on each call.
POST_IDS = "search_post_ids"


def candidates(count: int) -> int:
    """How many matching posts a batch reads for a page of ``count``: the page, the row that
    tells ``more``, and a quarter more (at least ``SPARE``) for the posts a viewer may not see
    (blocks, mutes), so that only a viewer who may not see that many costs a second batch.
    Each post of a batch costs its visibility and versions' joins, and a common word's batch
    is found by walking the newest posts until it is full: a batch no bigger than the page
    needs keeps both short (a batch of 42 took PostgreSQL nearly twice as long as one of 21)."""
    size = abs(count)
    return min(CANDIDATES, size + 1 + max(SPARE, size // 4))


def _matching_ids(slots: Slots, *, cursor: Cursor, batch: int) -> QuerySet:
    rows = Post.objects.filter(repost_of__isnull=True, is_deleted=False)
    rows = match_text(rows, slots.text("query"), ranked=False)
    since = None if cursor.since_id is None else slots.since
    before = None if cursor.before_id is None else slots.before
    return window(rows, _wide(cursor, batch), since, before).values_list("id", flat=True)


def _wide(cursor: Cursor, batch: int) -> Cursor:
    """``cursor`` reading ``batch`` rows (``window`` reads one more than ``count``)."""
    return replace(cursor, count=(batch - 1) * (1 if cursor.count > 0 else -1))


def _matching(slots: Slots, cursor: Cursor, batch: int) -> Q:
    """The batch of matching posts within the cursor's bounds: on PostgreSQL, the ids
    ``search_post_ids`` finds (a subquery, so that it runs once: an InitPlan), else the text
    query itself as a subquery (SQLite plans it with the page at no cost)."""
    if connection.vendor != "postgresql":
        return Q(id__in=_matching_ids(slots, cursor=cursor, batch=batch))
    params = [slots.text("query")]
    bounds = []
    for given, value, inclusive, step in (
        (cursor.since_id, "since", cursor.since_inclusive, "- 1"),
        (cursor.before_id, "before", cursor.before_inclusive, "+ 1"),
    ):
        if given is None:
            bounds.append("NULL")
            continue
        bounds.append(f"%s {step}" if inclusive else "%s")  # ids are integers: exclusive bounds
        params.append(getattr(slots, value))
    newest_first = "true" if cursor.count > 0 else "false"
    ids = f"(SELECT {POST_IDS}(%s, {bounds[0]}, {bounds[1]}, {newest_first}, {batch}))"
    # The cast makes the subquery one value (the array), not a set of rows for ANY to read.
    return Q(RawSQL(f"{POSTS}.id = ANY({ids}::bigint[])", params, output_field=BooleanField()))


def _search_page(
    slots: Slots, *, cursor: Cursor, batch: int, filters: PostFilters, signed_in: bool
) -> QuerySet:
    """A batch of matching posts as ids and versions (``STAMP_FIELDS``), each with whether the
    viewer may see it: the page is what they see, and the batch's end where a next one starts."""
    viewer = slots.viewer if signed_in else None
    seen = ExpressionWrapper(visible_posts(viewer, filters), output_field=BooleanField())
    rows = Post.objects.filter(_matching(slots, cursor, batch)).annotate(seen=seen)
    rows = rows.values_list("id", *STAMP_FIELDS, "seen")
    return window(rows, _wide(cursor, batch), None, None)


def search_page(viewer: User | None, search: PostSearch, filters: PostFilters, cursor: Cursor):
    """A page of ``search`` newest first (``order=id``), as ``PageEntry`` rows for the
    rendered-post cache (``adn_api.rendered``).

    A search by words alone, what nearly every search is, is one statement compiled and
    prepared once per shape (``core.compiled``): a batch of the newest matching posts
    (``candidates``), found by ``search_post_ids`` (planned for its words on each call: how
    common a word is decides between walking the newest posts and reading the GIN index, and one
    plan for any word would walk the whole table for a rare one), each with its ids and versions
    and whether the viewer may see it (the visibility join costs more to plan than to run: it is
    planned once). Only when a viewer may see too few of a batch (blocks, mutes) is a further
    batch read, past its last post."""
    cursor = cursor.plain()
    if search != PostSearch(query=search.query) or not search.query:
        result = paginate(search_posts(viewer, search, filters).for_rendering(), cursor)
        return Page(entries(result.items), result.more)
    value = text_value(search.query)
    if value is None:
        return Page([], False)
    signed_in = viewer is not None
    batch = candidates(cursor.count)
    found: list[PageEntry] = []
    while True:
        query = compiled(
            _search_page, cursor=cursor.shape(), batch=batch, filters=filters, signed_in=signed_in
        )
        values = {"query": value}
        if signed_in:
            values["viewer"] = viewer.pk
        values.update(cursor.bounds())
        rows = query.run(**values)
        seen = [row for row in rows if row[-1]][: abs(cursor.count) + 1 - len(found)]
        found += [PageEntry.from_row(row[0], row[1:-1]) for row in seen]
        if len(found) > abs(cursor.count) or len(rows) < batch:
            break
        # Every post of the batch read and the page not full: the next batch, past its last.
        if cursor.count > 0:
            cursor = replace(cursor, before_id=rows[-1][0], before_inclusive=False)
        else:
            cursor = replace(cursor, since_id=rows[-1][0], since_inclusive=False)
    return finish(found, cursor)


def entries(posts: list[Post]) -> list[PageEntry]:
    """Posts already read whole, as the page entries ``render_page`` takes, paged by id."""
    found = [PageEntry.from_post(post.pk, post) for post in posts]
    for entry in found:
        entry.pagination_id = entry.id
    return found


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
