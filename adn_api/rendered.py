"""Rendered posts, cached: a stream page is its post ids, the cached renderings, and the viewer.

A post's rendering in a dialect is mostly the same for every viewer: its text, html, entities,
source, author and counters. Only a few keys depend on who asks (``you_starred``,
``you_follow``…, diaspora's ``own_interaction_state``) and where (``pagination_id``). So a page
(``streams.services.page``) reads only its posts' ids and the versions of the rows each shows
(``PageEntry.stamp``: the post, its author, its app, and a repost's original's); the renderings
are cached under those versions, and whatever a cache lacks is read (one query) and rendered by
the dialect's own ``render_posts`` for no viewer, then stored. The viewer's part is added from
the page's one viewer-context query by the dialect's ``with_viewer_flags``.

Why a stale rendering is never served: the database raises a row's ``version`` on every UPDATE
of the row (``core.row_versions``), so any change to a post (edit, delete, counters), its author
(profile, counters, suspension) or its app gives a new key; which posts a page holds (blocks,
mutes, suspensions, deletions) is decided by the page query, never by the cache. Old entries
expire (``RENDERED_POST_SECONDS``) or are evicted by Redis' memory policy.

The cache is Django's (``CACHES["default"]``): Redis in production (``core.redis_clients``),
process memory on the embedded default. In front of Redis each process keeps the renderings it
used last (``core.local_cache``), so a page of posts it rendered or read before costs no round
trip at all; a page costs at most one ``get_many``, and a ``set_many`` when some posts were
missing. Options whose values are not the post's own rows
(annotations with their files' signed URLs, samples of starrers and reposters) are rendered
whole each time, as before; so is a post whose rendering shows rows no version keys
(``Dialect.cacheable_post``: a diaspora post's poll, its counts and the viewer's own vote).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from core.local_cache import LocalCache
from posts.options import ReadOptions
from posts.services.relations import post_relations
from streams.services.page import PageEntry, read_posts
from users.services.viewer import ViewerContext

from .dialects import Dialect

logger = logging.getLogger(__name__)

# Options whose values are not in the rows the stamp covers: such pages are not cached.
# Renderings these options ask for show rows no version keys (presence: pnut's include_presence,
# a status that changes without its user's row), so they are made afresh.
UNCACHED_OPTIONS = ("post_annotations", "user_annotations", "starred_by", "reposters", "presence")
SHAPE_FIELDS = tuple(
    f.name for f in fields(ReadOptions) if f.name != "filters" and f.name not in UNCACHED_OPTIONS
)


def cacheable(dialect: Dialect, options: ReadOptions) -> bool:
    return dialect.with_viewer_flags is not None and not any(
        getattr(options, name) for name in UNCACHED_OPTIONS
    )


@functools.cache
def code_signature() -> str:
    """A digest of the server's code and the settings renderings show (``PUBLIC_URL``): a
    deployment that changes how a post is rendered (a dialect's new shape) never reads the
    renderings of the code before it. Any change of code gives a new one, which costs a cold
    cache once, never a stale answer."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{settings.PUBLIC_URL} {settings.PUBLIC_HOST}".encode())
    root = Path(settings.BASE_DIR)
    apps = sorted(p for p in root.iterdir() if (p / "__init__.py").exists())
    for app in apps:
        if app.name in NOT_RENDERING:
            continue
        for path in sorted(app.rglob("*.py")):
            if "migrations" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()


NOT_RENDERING = {"tests"}


def key_prefix(dialect: Dialect, options: ReadOptions, kind: str = "post") -> str:
    """What a rendering of a ``kind`` of object depends on besides its rows: the code, the
    dialect and the options."""
    shape = "".join("1" if getattr(options, name) else "0" for name in SHAPE_FIELDS)
    return f"{kind}:{code_signature()}:{dialect.name}:{shape}:"


def cache_key(prefix: str, entry: PageEntry) -> str:
    return prefix + ":".join(map(str, entry.stamp))


# The renderings this process used last, in front of the shared cache. Never changed once kept:
# a dialect's ``with_viewer_flags`` makes a copy for its viewer.
local_renderings = LocalCache(settings.LOCAL_CACHE_ENTRIES)


# (the ids of the renderings missing) -> (renderings to keep, renderings for this viewer only)
RenderMissing = Callable[[list[int]], tuple[dict[int, dict], dict[int, dict]]]


def kept_renderings(keys: dict[int, str], render: RenderMissing) -> dict[int, dict]:
    """The renderings ``keys`` (id: key under the rows' versions) name: this process's, then the
    shared cache's, and ``render``'s for the rest, kept in both when ``render`` says they may be.
    Never changed once kept: callers add their viewer's part to a copy. Posts and messages."""
    found = {
        pk: data for pk, key in keys.items() if (data := local_renderings.get(key)) is not None
    }
    wanted = {pk: key for pk, key in keys.items() if pk not in found}
    if not wanted:
        return found
    try:
        shared = cache.get_many(list(wanted.values()))
    except Exception:  # the cache (Redis) is down: render what this process lacks
        logger.warning("rendered-object cache unreachable", exc_info=True)
        shared = {}
    local_renderings.set_many(shared)
    found.update({pk: shared[key] for pk, key in wanted.items() if key in shared})
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        kept, personal = render(missing)
        # Under the page query's versions: the rows were read after it, so a rendering is
        # never older than its key says (at most newer, which no later reader's key matches).
        _store({keys[pk]: data for pk, data in kept.items()})
        found.update(kept)
        found.update(personal)
    return found


def render_page(
    dialect: Dialect, entries: list[PageEntry], viewer, options: ReadOptions
) -> list[dict]:
    """The page's posts as ``dialect.render_posts`` renders them for ``viewer``."""
    if not cacheable(dialect, options):
        return dialect.render_posts(read_posts(entries), viewer, options)
    if not entries:
        return []  # a client polling with since_id, mostly
    prefix = key_prefix(dialect, options)
    by_post = {entry.post_id: entry for entry in entries}
    by_id = kept_renderings(
        {entry.post_id: cache_key(prefix, entry) for entry in entries},
        lambda missing: _render_missing(dialect, [by_post[pk] for pk in missing], viewer, options),
    )
    context = ViewerContext.load(
        viewer,
        (user_id for entry in entries for user_id in entry.user_ids),
        _post_ids(entries),
        post_relations,
        remember=True,
    )
    rendered = []
    for entry in entries:
        data = by_id.get(entry.post_id)
        if data is None:
            continue  # removed between the page's query and the read of its rows
        rendered.append(dialect.with_viewer_flags(data, context, entry))
    return rendered


def _post_ids(entries: list[PageEntry]) -> list[int]:
    ids = [entry.post_id for entry in entries]
    ids += [entry.repost_of_id for entry in entries if entry.repost_of_id is not None]
    return ids


def _render_missing(
    dialect: Dialect, entries: list[PageEntry], viewer, options: ReadOptions
) -> tuple[dict[int, dict], dict[int, dict]]:
    """The entries' posts read (one query) and rendered: for no viewer, to keep, but a post
    whose rendering shows more than its rows (``dialect.cacheable_post``: a diaspora poll's
    counts and the viewer's own votes) for this viewer, not to keep."""
    by_id = {entry.post_id: entry for entry in entries}
    shared, personal = [], []
    for post in read_posts(entries):
        post.pagination_id = None  # where it sits is the page's, not the post's
        cacheable = dialect.cacheable_post(post, by_id[post.pk].covers_mentions)
        (shared if cacheable else personal).append(post)
    return _rendered(dialect, shared, None, options), _rendered(dialect, personal, viewer, options)


def _rendered(dialect: Dialect, posts: list, viewer, options: ReadOptions) -> dict[int, dict]:
    if not posts:
        return {}
    rendered = dialect.render_posts(posts, viewer, options)
    return {post.pk: data for post, data in zip(posts, rendered, strict=True)}


def _store(renderings: dict[str, dict]) -> None:
    local_renderings.set_many(renderings)
    try:
        cache.set_many(renderings, settings.RENDERED_POST_SECONDS)
    except Exception:
        logger.warning("rendered-object cache unreachable", exc_info=True)
