"""App.net's paging over an increasing id, as the domain sees it: a ``Cursor`` in, a page out.

Items come newest first. A negative ``count`` takes the oldest items after ``since_id`` (still
returned newest first). Each item gets ``pagination_id``. Dialects read the cursor from their
query strings (``adn_api.pagination``); a stream with a marker may be given the names of its
marker's ids (``last_read``, ``marker`` and their ``_inclusive`` forms) as bounds, which
``streams.services.page`` resolves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .errors import invalid

DEFAULT_COUNT = 20
MAX_COUNT = 200
SPECIAL_IDS = ("last_read", "last_read_inclusive", "marker", "marker_inclusive")


@dataclass(frozen=True)
class Cursor:
    count: int = DEFAULT_COUNT
    since_id: int | str | None = None  # a str is one of SPECIAL_IDS
    before_id: int | str | None = None
    since_inclusive: bool = False
    before_inclusive: bool = False

    @property
    def has_special_ids(self) -> bool:
        return isinstance(self.since_id, str) or isinstance(self.before_id, str)

    def shape(self) -> Cursor:
        """This cursor with its bounds' values left out: what a compiled page's key holds
        (``core.compiled``), whose bounds are stand-ins given on each run."""
        return Cursor(
            count=self.count,
            since_id=None if self.since_id is None else 0,
            before_id=None if self.before_id is None else 0,
            since_inclusive=self.since_inclusive,
            before_inclusive=self.before_inclusive,
        )

    def bounds(self) -> dict[str, int]:
        """The bounds it gives, as a compiled page's ``since`` and ``before`` values (what
        ``shape`` leaves out)."""
        values = {}
        if self.since_id is not None:
            values["since"] = self.since_id
        if self.before_id is not None:
            values["before"] = self.before_id
        return values

    def plain(self) -> Cursor:
        """This cursor, refusing the marker names: for lists that keep no marker."""
        for name, value in (("since_id", self.since_id), ("before_id", self.before_id)):
            if isinstance(value, str):
                raise invalid(f"{name}={value} is only valid on streams with a stream marker.")
        return self


@dataclass
class Page:
    items: list[Any]
    more: bool


def window(queryset: QuerySet, cursor: Cursor, since: Any, before: Any, field: str = "id"):
    """The query for a page (plus one row to learn ``more``); ``since``/``before`` are the bound
    values (a compiled page's stand-ins), or None for no bound."""
    if since is not None:
        op = "gte" if cursor.since_inclusive else "gt"
        queryset = queryset.filter(**{f"{field}__{op}": since})
    if before is not None:
        op = "lte" if cursor.before_inclusive else "lt"
        queryset = queryset.filter(**{f"{field}__{op}": before})
    order = f"-{field}" if cursor.count > 0 else field
    return queryset.order_by(order)[: abs(cursor.count) + 1]


def finish(rows: list[Any], cursor: Cursor, field: str = "id") -> Page:
    size = abs(cursor.count)
    more = len(rows) > size
    rows = rows[:size]
    if cursor.count < 0:
        rows.reverse()
    for row in rows:
        row.pagination_id = getattr(row, field)
    return Page(rows, more)


def paginate(queryset: QuerySet, cursor: Cursor, field: str = "id") -> Page:
    """One query for the page of a list without a marker."""
    cursor = cursor.plain()
    return finish(
        list(window(queryset, cursor, cursor.since_id, cursor.before_id, field)), cursor, field
    )
