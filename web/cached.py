"""The cards of a page, written once per version of their rows: a page of posts is its ids and
versions (``streams.services.page``), one cache read of its cards, and the viewer's relations.

Each card's ``Parts`` (``web/cards.py:write``) are kept under the versions of the rows they show
(``PageEntry.stamp``: the post, its author, and a repost's original and its author) and a digest
of the server's code, as the APIs' rendered posts are (``adn_api/rendered.py``, whose key this
is, under a prefix of the web's own). The database raises a row's version on every UPDATE
(``core.row_versions``), so an edit, a deletion, a changed counter, a changed profile or a
suspension gives a new key and the very next page writes the card again; which posts a page holds
(visibility, deletions, suspensions) is always the page query's. The cards are written in Python
only (no template), so the code's digest covers how they are written.

What a card shows that no version covers is never kept: the time in words and the viewer's part
are added per request (``cards.post_card``), and a post whose photos are files (their links are
signed, and expire) is written again each time. Queries: none for a page whose cards are all
kept; otherwise one for the posts missing and, when some carry files, one for the files.

A page is also kept whole, under all its cards' keys: a page asked for again as it was (a
thread, a profile, a stream polled with nothing new) is one ``get``, where its cards one by one
are a ``get_many`` whose key handling and replies cost as much again as the rest of the read.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache

from adn_api.rendered import cache_key, code_signature
from files.services.annotations import expand
from posts.models import Post
from posts.services.relations import post_relations
from streams.services.page import PageEntry, read_posts
from users.models import User
from users.services.viewer import ViewerContext

from .cards import PageCard, Parts, write
from .rendering import photos_of

logger = logging.getLogger(__name__)


def _written(posts: list[Post]) -> list[tuple[Parts, bool]]:
    """Each post's ``Parts``, and whether they show only its rows (and so may be kept): not when
    its annotations name files, whose current links the page shows."""
    shown = [p.repost_of if p.repost_of_id else p for p in posts]
    expanded = expand({p.pk: p.annotations for p in shown if p.annotations})
    result = []
    for row, post in zip(posts, shown, strict=True):
        annotations = expanded.get(post.pk, [])
        keep = not post.annotations or annotations == post.annotations
        result.append((write(row, photos_of(annotations)), keep))
    return result


def _page_cards(
    parts: list[Parts], viewer: User | None, user_ids: Iterable[int]
) -> tuple[list[PageCard], ViewerContext]:
    """The viewer's relations to the posts and to ``user_ids``, in one query (none for a
    visitor), and the cards with them."""
    context = ViewerContext.load(
        viewer,
        user_ids,
        [p.post_id for p in parts],
        post_kinds=post_relations if viewer is not None else None,
        remember=True,  # the viewer is the request's, read by its session this request
    )
    cards = [
        PageCard(
            p,
            starred=context.has("you_starred", p.post_id),
            reposted=context.has("you_reposted", p.post_id),
            is_own=viewer is not None and p.user_id == viewer.pk,
        )
        for p in parts
    ]
    return cards, context


def load_cards(
    posts: list[Post], viewer: User | None, user_ids: Iterable[int] = ()
) -> tuple[list[PageCard], ViewerContext]:
    """Posts already read, as cards (not kept: a single post a form shows)."""
    return _page_cards([parts for parts, _ in _written(posts)], viewer, user_ids)


def page_cards(
    entries: list[PageEntry], viewer: User | None, user_ids: Iterable[int] = ()
) -> tuple[list[PageCard], ViewerContext]:
    """A page's entries as cards, in their order: in one cache entry when the page was seen
    before as it is, else each kept card; the others read (one query) and written."""
    if not entries:
        return _page_cards([], viewer, user_ids)
    prefix = f"web:{code_signature()}:"
    keys = [cache_key(prefix, entry) for entry in entries]
    # The page as a whole (the same rows at the same versions, in the same order): its cards,
    # None for each that may not be kept. One round trip for a page seen before.
    whole = prefix + "page:" + hashlib.blake2b("|".join(keys).encode(), digest_size=16).hexdigest()
    listed: list[Parts | None] | None = None
    found: dict[str, Parts] = {}
    try:
        listed = cache.get(whole)
        if listed is None:
            found = cache.get_many(keys)
    except Exception:  # the cache (Redis) is down: write every card, as without a cache
        logger.warning("web card cache unreachable", exc_info=True)
        whole = None
    if listed is not None:
        by_id = {e.post_id: p for e, p in zip(entries, listed, strict=True) if p is not None}
    else:
        by_id = {e.post_id: found[k] for e, k in zip(entries, keys, strict=True) if k in found}
    keepable = set(by_id)  # read from the cache, so kept already
    kept: dict[str, Parts | list] = {}
    missing = [entry for entry in entries if entry.post_id not in by_id]
    if missing:
        key_of = {entry.post_id: key for entry, key in zip(entries, keys, strict=True)}
        for parts, keep in _written(read_posts(missing)):
            # Under the page query's versions: the rows were read after it, so a card is never
            # older than its key says (at most newer, which no later page's key matches).
            by_id[parts.row_id] = parts
            if keep:
                kept[key_of[parts.row_id]] = parts
                keepable.add(parts.row_id)
    if whole is not None and listed is None:
        kept[whole] = [by_id[e.post_id] if e.post_id in keepable else None for e in entries]
    if whole is not None and kept:
        try:
            cache.set_many(kept, settings.RENDERED_POST_SECONDS)
        except Exception:
            logger.warning("web card cache unreachable", exc_info=True)
    # A post removed between the page's query and the read of its row is left out.
    parts = [by_id[entry.post_id] for entry in entries if entry.post_id in by_id]
    return _page_cards(parts, viewer, user_ids)
