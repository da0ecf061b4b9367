"""Whether a user can still see a post at all.

A dialect needs this where it answers differently for a post its caller has lost sight of (pnut's
un-repost returns only ``{"id", "you_reposted": false}`` then); any dialect can ask the same.
"""

from __future__ import annotations

from users.models import User
from users.services.graph import blocked_between

from ..models import Post


def can_see(viewer: User | None, post: Post) -> bool:
    """Not deleted, its author's account active, and no block between the viewer and them."""
    if post.is_deleted or not post.user.is_active:
        return False
    return viewer is None or not blocked_between(viewer, post.user)
