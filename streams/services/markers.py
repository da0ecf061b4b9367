"""Stream markers: a user's place in a named stream."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction

from core.errors import invalid
from core.inputs import parse_id

from ..models import StreamMarker
from ..models.stream_marker import new_version

# The streams that keep a marker; "mentions" is the viewer's own mentions stream;
# "interactions" holds an interaction's pagination id rather than a post's.
MARKER_NAMES = {"my_stream", "unified", "global", "mentions", "interactions"}


def parse_marker(item, other_names: Callable[[str], bool] | None = None) -> tuple[str, int, int]:
    """A marker object's name, id and percentage; ``other_names`` accepts names of markers
    kept by other apps (messaging's ``channel:ID``)."""
    if not isinstance(item, dict):
        raise invalid("A stream marker is an object with name and id.")
    name = item.get("name")
    if not isinstance(name, str) or (  # a list is unhashable: a 500
        name not in MARKER_NAMES and not (other_names and other_names(name))
    ):
        extra = " or channel:ID" if other_names else ""
        raise invalid(f"name must be one of {', '.join(sorted(MARKER_NAMES))}{extra}.")
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
