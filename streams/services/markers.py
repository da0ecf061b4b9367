"""Stream markers: a user's place in a named stream."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from core.errors import invalid
from core.inputs import parse_id

from ..models import StreamMarker
from ..models.stream_marker import new_version

# Every stream marker name, and the stream it marks: the one table of names (another dialect's
# names are mapped onto these in that dialect). A post stream's name is fixed...
STREAM_MARKERS = {
    "my_stream": "posts/stream, the personal stream",
    "unified": "posts/stream/unified",
    "global": "posts/stream/global",
    "mentions": "users/me/mentions, the viewer's own mentions",
    "interactions": "users/me/interactions (the id is an interaction's pagination_id)",
}
# ...and the stream of one object is named "<kind>:<id>".
OBJECT_MARKERS = {
    "user": "users/{id}/posts, a user's posts",
    "channel": "channels/{id}/messages (messaging also marks the channel read up to it)",
}
MARKER_NAMES = set(STREAM_MARKERS)  # the fixed names
OBJECT_MARKER = re.compile(rf"^({'|'.join(OBJECT_MARKERS)}):([0-9]{{1,19}})$")


def object_marker(kind: str, pk: int) -> str:
    """The marker name of one object's stream: ``user:5``, ``channel:7``."""
    return f"{kind}:{pk}"


def marker_object(name: str) -> tuple[str, int] | None:
    """The kind and id an object's marker name holds (``channel:7`` → ("channel", 7))."""
    found = OBJECT_MARKER.match(name)
    return (found[1], int(found[2])) if found else None


def is_marker_name(name) -> bool:
    return isinstance(name, str) and (
        name in STREAM_MARKERS or OBJECT_MARKER.match(name) is not None
    )


def parse_marker(item) -> tuple[str, int, int]:
    """A marker object's name (one of the table's), id and percentage."""
    if not isinstance(item, dict):
        raise invalid("A stream marker is an object with name and id.")
    name = item.get("name")
    if not is_marker_name(name):  # a list is unhashable: checked as a str first
        kinds = ", ".join(f"{kind}:ID" for kind in OBJECT_MARKERS)
        raise invalid(f"name must be one of {', '.join(sorted(STREAM_MARKERS))}, {kinds}.")
    post_id = parse_id(str(item.get("id", "")), "id")
    percentage = item.get("percentage", 0)
    # isascii: "²".isdigit() is true but int() refuses it; the length keeps int() from
    # refusing thousands of digits. Both were 500s before.
    ok_digits = isinstance(percentage, str) and percentage.isascii() and percentage.isdigit()
    if ok_digits and len(percentage) <= 3:
        percentage = int(percentage)
    if (
        not isinstance(percentage, int)
        or isinstance(percentage, bool)
        or not 0 <= percentage <= 100
    ):
        raise invalid("percentage must be an integer from 0 to 100.")
    return name, post_id, percentage


def update_markers(user, items: list, *, reset_read_id: bool) -> list[StreamMarker]:
    """Validate every marker first, then save all of them: a bad item changes nothing."""
    parsed = [parse_marker(item) for item in items]
    saved = []
    with transaction.atomic():
        for name, post_id, percentage in parsed:
            saved.append(save_marker(user, name, post_id, percentage, reset_read_id))
    return saved


def save_marker(user, name: str, post_id: int, percentage: int, reset: bool) -> StreamMarker:
    """Create or move one marker (inside the caller's transaction)."""
    marker = StreamMarker.objects.select_for_update().filter(user=user, name=name).first()
    if marker is None:
        try:
            with transaction.atomic():
                return StreamMarker.objects.create(
                    user=user,
                    name=name,
                    post_id=post_id,
                    last_read_id=post_id,
                    percentage=percentage,
                )
        except IntegrityError:  # created concurrently: update that one
            marker = StreamMarker.objects.select_for_update().get(user=user, name=name)
    marker.post_id = post_id
    marker.percentage = percentage
    marker.last_read_id = post_id if reset else max(marker.last_read_id, post_id)
    marker.version = new_version()
    marker.save()
    return marker
