"""Moving denormalised counters inside the caller's transaction."""

from __future__ import annotations

from collections import Counter

from django.db.models import F, Model

from users.models import User


def shift(model: type[Model], pk: int, **deltas: int) -> None:
    model.objects.filter(pk=pk).update(**{name: F(name) + delta for name, delta in deltas.items()})


def shift_posts_counts(deltas: Counter[int] | dict[int, int]) -> None:
    """Move several users' ``posts_count``, locking them in id order (no deadlock between two
    transactions that touch the same users) and after any post row (see ``lock_post``)."""
    for user_id in sorted(deltas):
        if deltas[user_id]:
            shift(User, user_id, posts_count=deltas[user_id])
