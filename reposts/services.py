"""Reposting: one repost per user per original, its text and entities derived from the original.

Every dialect calls these: an ADN repost, a pnut repost and a diaspora reshare are the same row.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from adn_api.errors import BadRequest, Forbidden, NotFound
from entities.core import render_html
from posts.models import Post
from posts.services.counters import shift
from posts.signals import post_created
from users.models import User
from users.services.graph import blocked_between


def repost_content(original: Post) -> tuple[str, dict, str]:
    """``>> @username: text``, with a mention of the author at pos 3 and the original's entities
    shifted by the prefix, so that each still points at its own characters."""
    username = original.user.username
    prefix = f">> @{username}: "
    shift_by = len(prefix)

    def shifted(items: list[dict]) -> list[dict]:
        return [{**item, "pos": item["pos"] + shift_by} for item in items]

    entities = original.entities or {}
    author_mention = {
        "name": username,
        "id": str(original.user_id),
        "pos": 3,
        "len": len(username) + 1,
        "is_leading": False,
    }
    result = {
        "mentions": [author_mention, *shifted(entities.get("mentions", []))],
        "hashtags": shifted(entities.get("hashtags", [])),
        "links": shifted(entities.get("links", [])),
    }
    text = prefix + original.text
    return text, result, render_html(text, result)


def repost_target(user: User, post: Post) -> Post:
    """The original a repost of ``post`` would point at, or the reason it cannot be reposted."""
    original = post.original  # reposting a repost reposts the original
    if original.is_deleted:
        raise NotFound(f"Post {original.pk} has been deleted.")
    if original.user_id == user.pk:
        raise BadRequest("You cannot repost your own post.")
    if blocked_between(user, original.user):
        raise Forbidden("You cannot repost this user's posts.")
    return original


def find_repost(user: User, original: Post) -> Post | None:
    return Post.objects.filter(user=user, repost_of=original).first()


def repost(user: User, post: Post, *, source=None, is_nsfw: bool = False) -> tuple[Post, bool]:
    """The user's repost of the original, and whether this call created it. Reposting twice
    returns the existing repost (the unique constraint settles concurrent requests)."""
    original = repost_target(user, post)
    existing = find_repost(user, original)
    if existing is not None:
        return existing, False
    text, entities, html = repost_content(original)
    try:
        with transaction.atomic():
            created = Post.objects.create(
                user=user,
                repost_of=original,
                text=text,
                entities=entities,
                html=html,
                source=source,
                machine_only=original.machine_only,
                annotations=original.annotations,
                is_nsfw=is_nsfw or original.is_nsfw,  # a repost of an NSFW post is NSFW
            )
            created.thread_id = created.pk  # a repost starts its own thread
            created.save(update_fields=["thread_id"])
            shift(Post, original.pk, num_reposts=1)
            shift(User, user.pk, posts_count=1)
            transaction.on_commit(lambda: post_created.send(Post, post_id=created.pk))
    except IntegrityError:
        return find_repost(user, original), False
    return created, True


def delete_repost(repost_post: Post) -> Post:
    """Remove a repost row outright (it answers 404 afterwards); returns its original."""
    original_id = repost_post.repost_of_id
    with transaction.atomic():
        deleted, _ = Post.objects.filter(pk=repost_post.pk).delete()
        if deleted:
            shift(Post, original_id, num_reposts=-1)
            shift(User, repost_post.user_id, posts_count=-1)
    return Post.objects.select_related("user").get(pk=original_id)


def unrepost(user: User, post: Post) -> Post:
    """Remove the user's repost of ``post`` (or of its original); returns the original."""
    original = post.original
    with transaction.atomic():
        existing = Post.objects.select_for_update().filter(user=user, repost_of=original).first()
        if existing is not None:
            return delete_repost(existing)
    return Post.objects.select_related("user").get(pk=original.pk)
