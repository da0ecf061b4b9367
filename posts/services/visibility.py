"""App.net's general parameters that choose which posts a list shows.

``include_deleted`` (default on), ``include_machine`` (default off) and ``include_muted``
(default off: posts by users the viewer muted, and reposts of them, are left out); posts of users
on either side of a block with the viewer are always left out. Returned as a
``Q`` so a list stays one query; ``prefix`` reaches the post through a relation (``post__`` for
a user's stars).
"""

from __future__ import annotations

from django.db.models import Q

from adn_api.params import flag
from users.models import Block, Mute


def by_active_authors(prefix: str = "") -> Q:
    """Posts whose author's account is active, and for a repost its original's author's too: a
    suspended user's posts (and reposts of them, which show their content) leave every stream and
    lookup at read time, and come back if the suspension is lifted."""
    return Q(**{f"{prefix}user__is_active": True}) & (
        Q(**{f"{prefix}repost_of__isnull": True})
        | Q(**{f"{prefix}repost_of__user__is_active": True})
    )


def post_list_filter(request, viewer, *, prefix: str = "") -> Q:
    condition = by_active_authors(prefix)
    if not flag(request, "include_deleted", True):
        condition &= Q(**{f"{prefix}is_deleted": False})
    if not flag(request, "include_machine", False):
        condition &= Q(**{f"{prefix}machine_only": False})
    if viewer is not None:
        # Blocks hide posts both ways, as in every stream (streams.filters); no flag lifts them.
        blocked = Block.objects.filter(blocker=viewer).values("blocked_id")
        blocking = Block.objects.filter(blocked=viewer).values("blocker_id")
        for author in (f"{prefix}user_id", f"{prefix}repost_of__user_id"):
            condition &= ~Q(**{f"{author}__in": blocked}) & ~Q(**{f"{author}__in": blocking})
    if viewer is not None and not flag(request, "include_muted", False):
        muted = Mute.objects.filter(muter=viewer).values("muted_id")
        condition &= ~Q(**{f"{prefix}user_id__in": muted})
        condition &= ~Q(**{f"{prefix}repost_of__user_id__in": muted})
    return condition
