"""Revising a post (pnut's ``PUT posts/{id}``), its earlier versions, and reposts shown with the
version they acted on.

pnut's rules (its docs, resources/posts/lifecycle): only the author, within 300 seconds of
posting, once, and with the same entities (positions may move, a link's text may change, its
url may not); never a repost, a deleted post or a reply's ``reply_to``. The post row always
holds the current version, so every read, stream and search sees it; the earlier ones are
``PostRevision`` rows. A repost records the version it acted on (``repost_of_revision``) and
``show_reposted_versions`` shows it with that version in every dialect (the reposts seed, 002:
"existing reposts will still reflect the acted-on post's original contents").

``replace_content`` is the one function that changes a post's content after it is made.
"""

from __future__ import annotations

import copy
import operator
from datetime import timedelta
from functools import reduce

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import Reason, Refused, invalid
from core.inputs import parse_id
from entities.core import ParsedText, fill_uri_templates, render_html
from entities.options import EntityOptions
from entities.services import process_post_text
from users.models import User

from ..models import Post, PostRevision
from ..models.post_hashtag import fold_tag
from ..options import BY_ID
from .lookup import get_post, lock_post
from .posting import index_entities, is_directed

REVISION_WINDOW = timedelta(seconds=300)
MAX_REVISIONS = 1  # pnut: "Can only be done once to a post"


def entity_names(entities: dict) -> tuple[frozenset, frozenset, frozenset]:
    """What must stay the same in a revision: who is mentioned, which tags, which urls."""
    return (
        frozenset(str(m.get("name", "")).lower() for m in entities.get("mentions") or ()),
        frozenset(fold_tag(str(t.get("name", ""))) for t in entities.get("hashtags") or ()),
        frozenset(str(link.get("url", "")) for link in entities.get("links") or ()),
    )


def _check_revisable(author: User, post: Post, reply_to) -> None:
    if post.user_id != author.pk:
        raise Refused(Reason.NOT_ALLOWED, "You can only revise your own posts.")
    if post.is_deleted:
        raise Refused(Reason.DELETED, f"Post {post.pk} has been deleted.")
    if post.repost_of_id:
        raise invalid("A repost cannot be revised; revise the original post.")
    if post.machine_only:
        raise invalid("A machine-only post has no text to revise.")
    if timezone.now() - post.created_at > REVISION_WINDOW:
        seconds = int(REVISION_WINDOW.total_seconds())
        raise invalid(f"A post can only be revised within {seconds} seconds of posting.")
    if post.revision >= MAX_REVISIONS:
        raise Refused(Reason.ALREADY_DONE, f"Post {post.pk} has already been revised.")
    if reply_to not in (None, "") and str(reply_to).strip() != str(post.reply_to_id or ""):
        raise invalid("A revision cannot change what the post replies to.")


def revise_post(
    author: User,
    post_id,
    *,
    text,
    entities: EntityOptions | None = None,
    is_nsfw: bool | None = None,
    reply_to=None,
) -> Post:
    """``author``'s post with ``text`` as its new version (``is_nsfw`` None: as it was;
    ``reply_to`` None: not given, else it must be the post's own). Refused, with nothing
    changed, when pnut's rules say no. Concurrent revisions queue on the post's lock; the
    second finds the first's and is refused."""
    if not isinstance(text, str) or not text.strip():
        raise invalid("text is required: the post's new text.")
    processed = process_post_text(text, entities)
    pk = get_post(post_id).pk  # as anyone may see it: 404 for no post or a suspended author's
    with transaction.atomic():
        post = lock_post(pk)
        if post is None:
            raise Refused(Reason.NOT_FOUND, f"No post {pk}.")
        _check_revisable(author, post, reply_to)
        filled = fill_uri_templates(processed.entities, post_id=post.pk)
        if entity_names(filled) != entity_names(post.entities or {}):
            raise invalid("A revision must have the same mentions, tags and link urls as the post.")
        revised = processed._replace(entities=filled, html=render_html(processed.text, filled))
        replace_content(post, revised, post.is_nsfw if is_nsfw is None else is_nsfw)
    return post


def replace_content(post: Post, content: ParsedText, is_nsfw: bool) -> None:
    """Make ``content`` the current version of ``post`` (locked by the caller), keeping the
    version it replaces as a ``PostRevision``. The one place a post's words change after it is
    made: whatever must follow a change of content (its entity rows; a cache of renderings)
    follows from here."""
    started = post.created_at
    if post.revision:
        latest = post.revisions.order_by("-revision").values_list("replaced_at", flat=True)
        started = latest.first() or started
    PostRevision.objects.create(
        post=post,
        revision=post.revision,
        text=post.text,
        html=post.html,
        entities=post.entities,
        is_nsfw=post.is_nsfw,
        is_directed=post.is_directed,
        created_at=started,
    )
    post.text, post.html, post.entities = content.text, content.html, content.entities
    post.is_nsfw = is_nsfw
    post.is_directed = is_directed(content.entities, post.machine_only)
    post.revision += 1
    post.save(update_fields=["text", "html", "entities", "is_nsfw", "is_directed", "revision"])
    index_entities(post, replace=True)


def version_of(post: Post, version: PostRevision) -> Post:
    """``post`` as it was in ``version``: an unsaved copy for rendering, marked with the number
    of the version it shows (``shown_revision``)."""
    shown = copy.copy(post)
    shown.text, shown.html, shown.entities = version.text, version.html, version.entities
    shown.is_nsfw, shown.is_directed = version.is_nsfw, version.is_directed
    shown.created_at = version.created_at
    shown.shown_revision = version.revision
    return shown


def previous_versions(post_id, viewer: User | None) -> list[Post]:
    """The earlier versions of a post the viewer may see, oldest first (pnut's revisions)."""
    pk = parse_id(str(post_id), "post id")
    current = Post.objects.visible_to(viewer, BY_ID).for_rendering().filter(pk=pk).first()
    if current is None:
        raise Refused(Reason.NOT_FOUND, f"No post {pk}.")
    return [version_of(current, v) for v in current.revisions.order_by("revision")]


def show_reposted_versions(posts: list[Post]) -> None:
    """Point each repost made before its original was revised at the version it reposted (one
    query for the page, none when no original on it has been revised since)."""
    stale = [
        p
        for p in posts
        if p.repost_of_id
        and p.repost_of_revision is not None
        and p.repost_of_revision < p.repost_of.revision
    ]
    if not stale:
        return
    wanted = reduce(
        operator.or_, (Q(post_id=p.repost_of_id, revision=p.repost_of_revision) for p in stale)
    )
    versions = {(v.post_id, v.revision): v for v in PostRevision.objects.filter(wanted)}
    for repost in stale:
        version = versions.get((repost.repost_of_id, repost.repost_of_revision))
        if version is not None:
            repost.repost_of = version_of(repost.repost_of, version)
