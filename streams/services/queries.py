"""Which posts each stream holds, before read-time filters and pagination.

Every dialect's stream endpoints use these, so "what is in the global stream" is decided once.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet

from adn_api.errors import BadRequest
from posts.models import Post
from posts.serializers import RENDER_RELATIONS
from posts.services.posting import fold_tag
from users.models import User

from ..models import StreamItem

HASHTAG = re.compile(r"^\w{1,256}$")


def global_posts(*, humans_only: bool = False) -> QuerySet:
    """Original posts, never reposts; never bots' (App.net), only humans' (pnut)."""
    posts = Post.objects.filter(repost_of__isnull=True)
    if humans_only:
        return posts.filter(user__type=User.Type.HUMAN)
    return posts.exclude(user__type=User.Type.BOT)


def user_posts(user: User) -> QuerySet:
    return Post.objects.filter(user=user)


def mention_posts(user: User) -> QuerySet:
    return Post.objects.filter(mention_rows__user=user, repost_of__isnull=True)


def tag_posts(hashtag: str) -> QuerySet:
    if not HASHTAG.match(hashtag) or hashtag.isdigit():
        raise BadRequest("A hashtag is letters, digits and underscores, not only digits.")
    return Post.objects.filter(hashtag_rows__name=fold_tag(hashtag), repost_of__isnull=True)


def personal_items(owner: User, *, with_mentions: bool) -> QuerySet:
    """The owner's materialised stream rows, with everything their posts' rendering needs."""
    items = StreamItem.objects.filter(owner=owner)
    if not with_mentions:
        items = items.filter(is_mention=False)
    return items.select_related("post", *(f"post__{r}" for r in RENDER_RELATIONS))


def item_id_for_post(owner: User, post_id: int) -> int | None:
    """Markers hold post ids; the materialised stream pages by its row ids."""
    return (
        StreamItem.objects.filter(owner=owner, post_id=post_id).values_list("id", flat=True).first()
    )
