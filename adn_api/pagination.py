"""Reading App.net's paging parameters (``since_id``, ``before_id``, ``count``) into the domain's
``Cursor``, and writing a page's ``more``, ``min_id`` and ``max_id`` into ``meta``.

The paging itself is the domain's (``core.paging``); pnut pages the same way.
"""

from __future__ import annotations

from typing import Any

from core.errors import invalid
from core.inputs import MAX_ID, parse_id
from core.paging import MAX_COUNT, SPECIAL_IDS, Cursor

__all__ = ["MAX_ID", "parse_id", "read_cursor", "page_meta"]


def parse_count(value: str | None, default: int, *, lenient: bool = False) -> int:
    """App.net: a non-zero integer, clamped to ±200; anything else is a 400. ``lenient``
    (pnut: "If it is invalid, the API will ignore it"): anything but 1…200 or -200…-1 is
    the default."""
    if value is None or value == "":
        return default
    text = value.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12 or int(digits) == 0:
        if lenient:
            return default
        raise invalid(f"count must be a non-zero integer from -{MAX_COUNT} to {MAX_COUNT}.")
    if lenient and abs(int(text)) > MAX_COUNT:
        return default
    return max(-MAX_COUNT, min(MAX_COUNT, int(text)))


def _bound(value: str | None, name: str) -> tuple[int | str | None, bool]:
    if value is None or value == "":
        return None, False
    if value in SPECIAL_IDS:
        return value, value.endswith("_inclusive")
    return parse_id(value, name), False


def read_cursor(request) -> Cursor:
    params = request.query_params
    # The dialect of the view the request is for (DRF keeps it in the parser context).
    view = (getattr(request, "parser_context", None) or {}).get("view")
    dialect = getattr(view, "dialect", None)
    since, since_inclusive = _bound(params.get("since_id"), "since_id")
    before, before_inclusive = _bound(params.get("before_id"), "before_id")
    return Cursor(
        count=parse_count(
            params.get("count"), Cursor.count, lenient=getattr(dialect, "ignores_bad_count", False)
        ),
        since_id=since,
        before_id=before,
        since_inclusive=since_inclusive,
        before_inclusive=before_inclusive,
    )


def page_meta(items: list, more: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {"more": more}
    if items:
        meta["max_id"] = str(items[0].pagination_id)
        meta["min_id"] = str(items[-1].pagination_id)
    return meta
