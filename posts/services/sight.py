"""Whether a user can still see a post at all.

A dialect needs this where it answers differently for a post its caller has lost sight of (pnut's
un-repost returns only ``{"id", "you_reposted": false}`` then); any dialect can ask the same.
"""

from __future__ import annotations

from adn_api.errors import NotFound
from users.models import User
from users.services.graph import blocked_between

from ..models import Post
from .lookup import get_post


def can_see(viewer: User | None, post: Post) -> bool:
    """Not deleted, its author's account active, and no block between the viewer and them."""
    if post.is_deleted or not post.user.is_active:
        return False
    return viewer is None or not blocked_between(viewer, post.user)


def hidden_by_block(viewer: User | None, post: Post) -> bool:
    """A block between the signed-in viewer and the post's author (or, for a repost, its
    original's author) hides the post, as it does in every stream (streams.filters): App.net's
    blocked user "will not be able to see … your content"."""
    if viewer is None:
        return False
    authors = [post.user] + ([post.repost_of.user] if post.repost_of_id else [])
    return any(blocked_between(viewer, author) for author in authors if author.pk != viewer.pk)


def get_visible_post(post_id: str | int, viewer: User | None) -> Post:
    """``get_post`` for reading: a post hidden from the viewer by a block is answered like an
    unknown one (404), so the lookup does not tell the blocked user what they are missing."""
    post = get_post(post_id)
    if hidden_by_block(viewer, post):
        raise NotFound(f"No post {post.pk}.")
    return post
