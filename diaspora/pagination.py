"""diaspora's list paging: ``per_page`` (default 15, at most 100) and a ``Link`` header.

Lists run oldest first, as diaspora shows comments. Pages are keyset pages over an increasing
id (as ``core.paging``): the ``Link`` header's ``rel="next"`` asks for ``after=<last id>`` and
``rel="previous"`` for ``before=<first id>``. Conversations run newest first, as diaspora lists
them: ``before`` is then the next page and ``after`` the previous. diaspora's own numbered
``page`` is accepted too, for clients that start at ``page=1``; the links it answers with are
cursors all the same (diaspora tells clients to follow links, never to build them). Each page is
one query, plus one row to learn whether more follow.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet

from adn_api.errors import BadRequest
from adn_api.pagination import MAX_ID, parse_id

DEFAULT_PER_PAGE = 15
MAX_PER_PAGE = 100
MAX_PAGE = 10_000  # deeper than that, follow the links: an offset that large is a slow scan
CURSOR_PARAMS = ("after", "before", "page")


def _positive_int(value: str | None, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise BadRequest(f"{name} must be a positive whole number, not {value[:40]!r}.")
    return int(text)


class DiasporaPagination:
    def __init__(self, request):
        self.request = request
        params = request.query_params
        # Out of range is clamped, as diaspora does; a value that is not a number is an error.
        self.per_page = min(
            max(_positive_int(params.get("per_page"), "per_page", DEFAULT_PER_PAGE), 1),
            MAX_PER_PAGE,
        )
        self.after = self._cursor(params.get("after"), "after")
        self.before = self._cursor(params.get("before"), "before")
        if self.after is not None and self.before is not None:
            raise BadRequest("Give after or before, not both.")
        self.page = max(_positive_int(params.get("page"), "page", 1), 1)
        if self.page > MAX_PAGE:
            raise BadRequest(f"page goes up to {MAX_PAGE}; follow the Link header further.")
        self.rows: list[Any] = []
        self.has_next = self.has_previous = False
        self.field, self.newest_first = "id", False

    @staticmethod
    def _cursor(value: str | None, name: str) -> int | None:
        return None if value is None or value == "" else parse_id(value, name)

    def paginate(self, queryset: QuerySet, field: str = "id", *, newest_first=False) -> list[Any]:
        """A page of ``queryset`` by ``field``; ``newest_first`` runs the list the other way
        (diaspora's conversations), ``before`` then being the next page and ``after`` the
        previous one."""
        self.field, self.newest_first = field, newest_first
        forward, backward = ("before", "after") if newest_first else ("after", "before")
        older, newer = (f"-{field}", field) if newest_first else (field, f"-{field}")
        past, ahead = ("lt", "gt") if newest_first else ("gt", "lt")
        size = self.per_page
        back_cursor = getattr(self, backward)
        if back_cursor is not None:
            rows = list(
                queryset.filter(**{f"{field}__{ahead}": back_cursor}).order_by(newer)[: size + 1]
            )
            self.has_previous = len(rows) > size
            rows = rows[:size][::-1]
            self.has_next = True  # the page asked for with the cursor follows this one
        else:
            offset = 0
            cursor = getattr(self, forward)
            if cursor is not None:
                queryset = queryset.filter(**{f"{field}__{past}": cursor})
            else:
                offset = (self.page - 1) * size
            rows = list(queryset.order_by(older)[offset : offset + size + 1])
            self.has_next = len(rows) > size
            rows = rows[:size]
            self.has_previous = cursor is not None or offset > 0
        self.rows = rows
        return rows

    def _url(self, **cursor: int) -> str:
        params = [(k, v) for k, v in self.request.query_params.items() if k not in CURSOR_PARAMS]
        params.extend(cursor.items())
        return self.request.build_absolute_uri(f"{self.request.path}?{urlencode(params)}")

    def link_header(self) -> str | None:
        links = []
        forward, backward = ("before", "after") if self.newest_first else ("after", "before")
        if self.rows:
            first, last = getattr(self.rows[0], self.field), getattr(self.rows[-1], self.field)
            if self.has_next:
                links.append(f'<{self._url(**{forward: last})}>; rel="next"')
            if self.has_previous:
                links.append(f'<{self._url(**{backward: first})}>; rel="previous"')
        elif self.has_previous:
            # Past the end: the previous page is whatever lies up to the cursor.
            if not self.newest_first and self.after is not None and self.after < MAX_ID:
                links.append(f'<{self._url(before=self.after + 1)}>; rel="previous"')
            elif self.newest_first and self.before is not None and self.before > 1:
                links.append(f'<{self._url(after=self.before - 1)}>; rel="previous"')
        return ", ".join(links) or None

    def headers(self) -> dict[str, str]:
        link = self.link_header()
        return {"Link": link} if link else {}
