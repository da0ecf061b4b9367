"""Replies seen as comments on one post (diaspora's view of a thread).

A comment is a direct reply: ``create_post(reply_to=…)`` makes one, so every dialect sees the
same rows and ``num_replies`` counts them. What this module adds is the rule for removing one:
besides its author, the author of the post it answers may delete it (diaspora's moderation of
one's own posts).
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.errors import Reason, Refused
from core.inputs import parse_guid
from users.models import User

from ..models import Post
from ..options import PostFilters
from .posting import erase_post

# Deleted and machine-only replies have no text to show as a comment.
COMMENTS = PostFilters(include_deleted=False)


def replies_to(post: Post, viewer: User | None) -> QuerySet:
    """The direct replies to ``post`` (to its original, for a repost) the viewer may see."""
    return Post.objects.visible_to(viewer, COMMENTS).filter(reply_to_id=post.original.pk)


def find_reply(post: Post, guid: str) -> Post:
    """The standing reply to ``post`` with this guid (not found: unknown, deleted, suspended or
    replying to another post)."""
    wanted = parse_guid(guid)
    replies = replies_to(post, None).select_related("user", "reply_to")
    reply = replies.filter(guid=wanted).first() if wanted else None
    if reply is None:
        raise Refused(
            Reason.NOT_FOUND, f"No comment {guid[:40]!r} on this post.", subject="comment"
        )
    return reply


def delete_reply(user: User, reply: Post) -> Post:
    """Delete a reply as its author or as the author of the post it replies to."""
    if user.pk not in (reply.user_id, reply.reply_to.user_id if reply.reply_to_id else None):
        raise Refused(
            Reason.NOT_ALLOWED,
            "Only a reply's author or the author of the post it answers may delete it.",
        )
    return erase_post(reply)
