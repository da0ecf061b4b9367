"""App.net's general parameters that choose which posts a list shows.

``include_deleted`` (default on), ``include_machine`` (default off) and ``include_muted``
(default off: posts by users the viewer muted, and reposts of them, are left out). Returned as a
``Q`` so a list stays one query; ``prefix`` reaches the post through a relation (``post__`` for
a user's stars).
"""

from __future__ import annotations

from django.db.models import Q

from adn_api.params import flag
from users.models import Mute


def post_list_filter(request, viewer, *, prefix: str = "") -> Q:
    condition = Q()
    if not flag(request, "include_deleted", True):
        condition &= Q(**{f"{prefix}is_deleted": False})
    if not flag(request, "include_machine", False):
        condition &= Q(**{f"{prefix}machine_only": False})
    if viewer is not None and not flag(request, "include_muted", False):
        muted = Mute.objects.filter(muter=viewer).values("muted_id")
        condition &= ~Q(**{f"{prefix}user_id__in": muted})
        condition &= ~Q(**{f"{prefix}repost_of__user_id__in": muted})
    return condition
