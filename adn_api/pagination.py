"""App.net pagination: ``since_id``, ``before_id`` and ``count`` over an increasing id.

Items come newest first. A negative ``count`` takes the oldest items after ``since_id`` (still
returned newest first). Each returned object gets ``pagination_id``; ``meta`` gets ``min_id``,
``max_id`` (strings) and ``more``. Streams with a stream marker resolve the special ids
(``last_read``, ``marker`` and their ``_inclusive`` forms) through ``special_ids``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.db.models import QuerySet

from .compiled import Slots, compiled
from .errors import BadRequest

MAX_ID = 2**63 - 1
DEFAULT_COUNT = 20
MAX_COUNT = 200
SPECIAL_IDS = ("last_read", "last_read_inclusive", "marker", "marker_inclusive")


def parse_id(value: str, name: str) -> int:
    """A positive 64-bit id given as decimal digits; anything else is the client's error."""
    value = value.strip()
    if not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        raise BadRequest(f"{name} must be a positive integer id, not {value[:40]!r}.")
    return int(value)


def parse_count(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_COUNT
    text = value.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12 or int(digits) == 0:
        raise BadRequest(f"count must be a non-zero integer from -{MAX_COUNT} to {MAX_COUNT}.")
    count = int(text)
    return max(-MAX_COUNT, min(MAX_COUNT, count))


class IdPagination:
    def __init__(self, request, special_ids: Callable[[str], int | None] | None = None):
        params = request.query_params
        self.count = parse_count(params.get("count"))
        self.since_id, self.since_inclusive = self._bound(
            params.get("since_id"), "since_id", special_ids
        )
        self.before_id, self.before_inclusive = self._bound(
            params.get("before_id"), "before_id", special_ids
        )
        self.more = False
        self.page: list[Any] = []

    @staticmethod
    def _bound(value, name, special_ids) -> tuple[int | None, bool]:
        if value is None or value == "":
            return None, False
        if value in SPECIAL_IDS:
            if special_ids is None:
                raise BadRequest(f"{name}={value} is only valid on streams with a stream marker.")
            # No marker yet: the bound does not apply.
            return special_ids(value), value.endswith("_inclusive")
        return parse_id(value, name), False

    def paginate(self, queryset: QuerySet, field: str = "id") -> list[Any]:
        """One query for the page (plus one row to learn ``more``)."""
        rows = self._window(queryset, field, self.since_id, self.before_id)
        return self._finish(list(rows), field)

    def paginate_compiled(
        self, key: Hashable, build: Callable[[Slots], QuerySet], field: str = "id", **values
    ) -> list[Any]:
        """``paginate`` for a hot stream: the page query is compiled once per shape
        (``adn_api.compiled``). ``build(slots)`` makes the stream's queryset from stand-ins,
        ``values`` gives theirs (``viewer=…``); ``key`` names what else changes its shape."""
        shape = (key, field, self.count, self.since_id is None, self.since_inclusive)
        shape += (self.before_id is None, self.before_inclusive)

        def window(slots: Slots) -> QuerySet:
            since = None if self.since_id is None else slots.since_id
            before = None if self.before_id is None else slots.before_id
            return self._window(build(slots), field, since, before)

        query = compiled(shape, window)
        rows = query.run(since_id=self.since_id, before_id=self.before_id, **values)
        return self._finish(rows, field)

    def _window(self, queryset: QuerySet, field: str, since, before) -> QuerySet:
        if since is not None:
            op = "gte" if self.since_inclusive else "gt"
            queryset = queryset.filter(**{f"{field}__{op}": since})
        if before is not None:
            op = "lte" if self.before_inclusive else "lt"
            queryset = queryset.filter(**{f"{field}__{op}": before})
        order = f"-{field}" if self.count > 0 else field
        return queryset.order_by(order)[: abs(self.count) + 1]

    def _finish(self, rows: list[Any], field: str) -> list[Any]:
        size = abs(self.count)
        self.more = len(rows) > size
        rows = rows[:size]
        if self.count < 0:
            rows.reverse()
        for row in rows:
            row.pagination_id = getattr(row, field)
        self.page = rows
        return rows

    def meta(self) -> dict:
        meta: dict[str, Any] = {"more": self.more}
        if self.page:
            meta["max_id"] = str(self.page[0].pagination_id)
            meta["min_id"] = str(self.page[-1].pagination_id)
        return meta
