"""Suspending accounts: the admins' answer to abuse that outlives one post.

Suspension is ``is_active=False`` and nothing more, so lifting it restores everything: the
account cannot sign in (Django refuses inactive users) nor use its tokens (401 in
adn_api/authentication.py), and its posts leave every stream and lookup at read time
(posts.models.visibility).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import User


def suspend(user_ids: Iterable[int]) -> list[int]:
    """Suspend the active accounts among ``user_ids``; returns the ids this call suspended."""
    return _set_active(user_ids, active=False)


def unsuspend(user_ids: Iterable[int]) -> list[int]:
    """Lift the suspension of those among ``user_ids``; returns the ids this call restored."""
    return _set_active(user_ids, active=True)


def _set_active(user_ids: Iterable[int], *, active: bool) -> list[int]:
    changing = User.objects.filter(pk__in=list(user_ids), is_active=not active)
    ids = list(changing.values_list("pk", flat=True))
    User.objects.filter(pk__in=ids).update(is_active=active)
    return ids
