"""Moving denormalised counters inside the caller's transaction."""

from __future__ import annotations

from django.db.models import F, Model


def shift(model: type[Model], pk: int, **deltas: int) -> None:
    model.objects.filter(pk=pk).update(**{name: F(name) + delta for name, delta in deltas.items()})
