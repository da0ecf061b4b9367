"""Reposting: one repost per user per original, its text and entities derived from the original.

Every dialect calls these: an ADN repost, a pnut repost and a diaspora reshare are the same row.
A new repost's fan-out is recorded in its transaction, as a post's (``streams.tasks``).
Each change locks the original first (see ``posts.services.lookup.lock_post``): concurrent
reposts by one user queue there and the second finds the first's row, and a repost cannot
slip past a concurrent delete of the original.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from core.errors import Reason, Refused
from entities.core import render_html, shift_entities
from interactions import services as interactions
from interactions.models import REPOST
from posts.models import Post
from posts.services.counters import shift
from posts.services.lookup import lock_post
from posts.services.posting import remove_repost_row
from streams.tasks import record_fan_out
from users.models import User
from users.services.graph import blocked_between


def repost_content(original: Post) -> tuple[str, dict, str]:
    """``>> @username: text``, with a mention of the author at pos 3 and the original's entities
    shifted by the prefix, so that each still points at its own characters."""
    username = original.user.username
    prefix = f">> @{username}: "
    entities = shift_entities(original.entities or {}, len(prefix))
    author_mention = {
        "name": username,
        "id": str(original.user_id),
        "pos": 3,
        "len": len(username) + 1,
        "is_leading": False,
    }
    result = {
        # Behind the prefix no mention of the original leads the text any more.
        "mentions": [
            author_mention,
            *({**m, "is_leading": False} for m in entities.get("mentions", [])),
        ],
        "hashtags": entities.get("hashtags", []),
        "links": entities.get("links", []),
    }
    text = prefix + original.text
    return text, result, render_html(text, result)


def check_repost_allowed(user: User, original: Post) -> None:
    """Refuse a repost of ``original`` (already resolved from any repost) with the reason."""
    if original.is_deleted:
        raise Refused(Reason.DELETED, f"Post {original.pk} has been deleted.")
    if original.user_id == user.pk:
        raise Refused(Reason.OWN_POST, "You cannot repost your own post.")
    if blocked_between(user, original.user):
        raise Refused(Reason.BLOCKED, "You cannot repost this user's posts.")


def find_repost(user: User, original: Post | int) -> Post | None:
    return Post.objects.filter(user=user, repost_of=original).first()


def repost(user: User, post: Post, *, source=None, is_nsfw: bool = False) -> tuple[Post, bool]:
    """The user's repost of the original, and whether this call created it. Reposting twice
    returns the existing repost."""
    original_id = post.repost_of_id or post.pk  # reposting a repost reposts the original
    try:
        with transaction.atomic():
            original = lock_post(original_id)
            if original is None:
                raise Refused(Reason.NOT_FOUND, f"No post {original_id}.")
            check_repost_allowed(user, original)
            existing = find_repost(user, original)
            if existing is not None:
                return existing, False
            text, entities, html = repost_content(original)
            created = Post.objects.create(
                user=user,
                repost_of=original,
                repost_of_revision=original.revision,  # shown with this version, if revised
                text=text,
                entities=entities,
                html=html,
                source=source,
                machine_only=original.machine_only,
                annotations=original.annotations,
                is_nsfw=is_nsfw or original.is_nsfw,  # a repost of an NSFW post is NSFW
            )
            created.thread_id = created.pk  # a repost starts its own thread (CONTRACT §3)
            created.save(update_fields=["thread_id"])
            shift(Post, original.pk, num_reposts=1)
            shift(User, user.pk, posts_count=1)
            record_fan_out(created)
            interactions.record(
                REPOST,
                user_id=original.user_id,
                actor_id=user.pk,
                post_id=original.pk,
                cause_id=created.pk,
            )
    except IntegrityError:
        # The unique constraint is the last word should a writer ever skip the lock.
        existing = find_repost(user, original_id)
        if existing is None:
            raise
        return existing, False
    return created, True


def unrepost(user: User, post: Post) -> Post:
    """Remove the user's repost of ``post`` (or of its original); returns the original."""
    original_id = post.repost_of_id or post.pk
    with transaction.atomic():
        lock_post(original_id)
        existing = find_repost(user, original_id)
        if existing is not None:
            remove_repost_row(existing)
    return Post.objects.select_related("user").get(pk=original_id)
