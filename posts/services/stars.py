"""Stars (pnut bookmarks, diaspora likes).

Both directions lock the post first (``lock_post``), then touch the star row, the post's counter
and the user's counter, in that order, so any mix of concurrent stars and unstars queues on the
post and the counters always equal the rows.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from core.errors import Reason, Refused
from interactions import services as interactions
from interactions.models import STAR
from users.models import User
from users.services.graph import blocked_between

from ..models import Post, Star
from .counters import shift
from .lookup import lock_post


def star(user: User, post: Post) -> Post:
    """Star the post (the original, for a repost); starring twice changes nothing."""
    return add_star(user, post)[0]


def add_star(user: User, post: Post) -> tuple[Post, bool]:
    """``star``, also saying whether this call made the star (diaspora answers a second like
    with 409)."""
    target_id = post.repost_of_id or post.pk
    with transaction.atomic():
        target = lock_post(target_id)
        if target is None or target.is_deleted:
            raise Refused(Reason.DELETED, f"Post {target_id} has been deleted.")
        if blocked_between(user, target.user):
            raise Refused(Reason.BLOCKED, "You cannot star this user's posts.")
        try:
            with transaction.atomic():
                Star.objects.create(user=user, post=target)
        except IntegrityError:
            return target, False  # already starred
        shift(Post, target.pk, num_stars=1)
        shift(User, user.pk, stars_count=1)
        interactions.record(STAR, user_id=target.user_id, actor_id=user.pk, post_id=target.pk)
    return target, True


def unstar(user: User, post: Post) -> Post:
    return remove_star(user, post)[0]


def remove_star(user: User, post: Post) -> tuple[Post, bool]:
    """``unstar``, also saying whether there was a star to remove (diaspora: 410 if not)."""
    target_id = post.repost_of_id or post.pk
    with transaction.atomic():
        target = lock_post(target_id)
        deleted, _ = Star.objects.filter(user=user, post_id=target_id).delete()
        if deleted:
            shift(Post, target_id, num_stars=-1)
            shift(User, user.pk, stars_count=-1)
            interactions.forget(STAR, actor_id=user.pk, post_id=target_id)
    return target, bool(deleted)
