"""The kinds of relation a viewer has to a user that API objects show (``you_follow``,
``follows_you``, ``you_muted``, ``you_blocked``), each as the rows that make it: one rule for the
viewer context's id lists (``users/services/viewer.py``) and for a column of another query (a
channel's page of messages, a page of interactions)."""

from __future__ import annotations

from django.db.models import Exists

from .block import Block
from .follow import Follow
from .mute import Mute

# kind: (model, the viewer's column, the user's column)
USER_RELATIONS = {
    "you_follow": (Follow, "follower_id", "followee_id"),
    "follows_you": (Follow, "followee_id", "follower_id"),
    "you_muted": (Mute, "muter_id", "muted_id"),
    "you_blocked": (Block, "blocker_id", "blocked_id"),
}


def user_relation(kind: str, viewer, user) -> Exists:
    """Whether ``viewer`` has ``kind`` to ``user`` (ids or ``OuterRef``s), as a column."""
    model, mine, theirs = USER_RELATIONS[kind]
    return Exists(model.objects.filter(**{mine: viewer, theirs: user}))
