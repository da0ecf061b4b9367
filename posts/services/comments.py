"""Replies seen as comments on one post (diaspora's view of a thread).

A comment is a direct reply: ``create_post(reply_to=…)`` makes one, so every dialect sees the
same rows and ``num_replies`` counts them. What this module adds is the rule for removing one:
besides its author, the author of the post it answers may delete it (diaspora's moderation of
one's own posts).
"""

from __future__ import annotations

from django.db.models import QuerySet

from adn_api.errors import Forbidden
from users.models import User

from ..models import Post
from .posting import erase_post
from .visibility import by_active_authors


def replies_to(post: Post) -> QuerySet:
    """The standing direct replies to ``post`` (of its original, for a repost), oldest first
    once paged by id; machine-only replies have no text to show as a comment."""
    return Post.objects.filter(
        by_active_authors(),
        reply_to_id=post.repost_of_id or post.pk,
        is_deleted=False,
        machine_only=False,
    )


def find_reply(post: Post, guid: str) -> Post | None:
    """The standing reply to ``post`` with this guid; None when there is none (unknown, deleted
    or replying to another post)."""
    guid = guid.strip().lower()
    return replies_to(post).select_related("user", "reply_to").filter(guid=guid).first()


def may_delete_reply(user: User, reply: Post) -> bool:
    return user.pk in (reply.user_id, reply.reply_to.user_id if reply.reply_to_id else None)


def delete_reply(user: User, reply: Post) -> Post:
    """Delete a reply as its author or as the author of the post it replies to."""
    if not may_delete_reply(user, reply):
        raise Forbidden("Only a reply's author or the author of the post it answers may delete it.")
    return erase_post(reply)
