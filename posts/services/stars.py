"""Stars (pnut bookmarks, diaspora likes)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from adn_api.errors import Forbidden, NotFound
from users.models import User
from users.services.graph import blocked_between

from ..models import Post, Star
from .counters import shift


def _target(post: Post) -> Post:
    original = post.original  # starring a repost stars the original
    if original.is_deleted:
        raise NotFound(f"Post {original.pk} has been deleted.")
    return original


def star(user: User, post: Post) -> Post:
    post = _target(post)
    if blocked_between(user, post.user):
        raise Forbidden("You cannot star this user's posts.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                Star.objects.create(user=user, post=post)
        except IntegrityError:
            return post  # already starred: starring is idempotent
        shift(Post, post.pk, num_stars=1)
        shift(User, user.pk, stars_count=1)
    return post


def unstar(user: User, post: Post) -> Post:
    post = post.original
    with transaction.atomic():
        deleted, _ = Star.objects.filter(user=user, post=post).delete()
        if deleted:
            shift(Post, post.pk, num_stars=-1)
            shift(User, user.pk, stars_count=-1)
    return post
