"""The one rule for which posts a viewer sees, as a condition every read puts in its query.

Always: the author's account is active, and for a repost its original's author's too (a
suspended user's posts leave every read and come back when the suspension is lifted); no block
either way between the viewer and the author, or the original's author (App.net's blocked user
"will not be able to see … your content"). Then the general parameters (``PostFilters``):
deleted, machine-only and muted posts, directed posts that mention no one the viewer follows, and
(pnut's) replies and posts with mentions.

``Post.objects.visible_to(viewer, filters)`` applies it to posts; ``visible_posts(…, prefix)``
to rows that reach a post through a relation (``post__`` for stream rows and stars).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from users.models import Block, Follow, Mute

from ..options import PostFilters
from .post_mention import PostMention


def visible_posts(viewer, filters: PostFilters, prefix: str = "") -> Q:
    """``viewer`` is a user, None (signed out), or a stand-in id (a compiled page's)."""
    p = prefix
    authors = (f"{p}user", f"{p}repost_of__user")
    condition = Q(**{f"{authors[0]}__is_active": True}) & (
        Q(**{f"{p}repost_of__isnull": True}) | Q(**{f"{authors[1]}__is_active": True})
    )
    if not filters.include_deleted:
        condition &= Q(**{f"{p}is_deleted": False})
    if not filters.include_machine:
        condition &= Q(**{f"{p}machine_only": False})
    if not filters.include_replies:
        condition &= Q(**{f"{p}reply_to__isnull": True})
    if not filters.include_mention_posts:
        condition &= ~Exists(PostMention.objects.filter(post=OuterRef(f"{p}id")))
    if viewer is None:
        return condition
    for author in authors:
        condition &= ~Exists(
            Block.objects.filter(
                Q(blocker=viewer, blocked=OuterRef(f"{author}_id"))
                | Q(blocker=OuterRef(f"{author}_id"), blocked=viewer)
            )
        )
        if not filters.include_muted:
            condition &= ~Exists(Mute.objects.filter(muter=viewer, muted=OuterRef(f"{author}_id")))
    if not filters.include_directed_posts:
        # A directed post stays if it mentions the viewer or someone they follow.
        followed = Follow.objects.filter(follower=viewer).values("followee_id")
        condition &= Q(**{f"{p}is_directed": False}) | Exists(
            PostMention.objects.filter(post=OuterRef(f"{p}id")).filter(
                Q(user=viewer) | Q(user__in=followed)
            )
        )
    return condition
