"""App.net's rendering of a stream marker (in a stream's ``meta`` and from ``posts/marker``)."""

from __future__ import annotations

from adn_api.formats import iso_z

from .models import StreamMarker


def marker_data(marker: StreamMarker | None, name: str) -> dict:
    if marker is None:
        return {"name": name}
    return {
        "id": str(marker.post_id),
        "last_read_id": str(marker.last_read_id),
        "name": marker.name,
        "percentage": marker.percentage,
        "updated_at": iso_z(marker.updated_at),
        "version": marker.version,
    }
