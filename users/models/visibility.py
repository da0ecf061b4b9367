"""Which users a viewer is shown in lists (followers, starrers, reposters, search, samples).

Active accounts only, and none on the other side of a block with the viewer, either way: the
blocked user does not see the blocker turn up among other people's starrers, and the blocker is
spared the blocked. Lookups by id or name are not lists: one can still open the profile of
someone one blocked, to unblock them. ``prefix`` reaches the user through a relation (``user__``
for stars and reposts).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from .block import Block


def visible_users(viewer, prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}is_active": True})
    if viewer is None:
        return condition
    user = OuterRef(f"{prefix[:-2]}_id" if prefix else "pk")  # "user__" -> "user_id"
    return condition & ~Exists(
        Block.objects.filter(Q(blocker=viewer, blocked=user) | Q(blocker=user, blocked=viewer))
    )
