"""App.net's ``+net.app.core.place`` replacement value, and the checkin annotation built on it,
for any object that carries annotations (the same shape as ``files.services.annotations``).

A writer names a place with ``{"+net.app.core.place": {"factual_id": …}}`` inside an
annotation's value (the checkin documentation's example wraps it in a one-item list; both are
read). ``check_references`` runs when the annotations are written: the place must exist, and a
``net.app.core.checkin`` annotation must name one (it is a core annotation, validated).
``expand`` runs when they are read, over a whole page at once (one query), and merges the
place's current data into the value in place of the reference, other keys kept. An annotation
whose place has since left the table is left out, as one whose file is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from core.errors import invalid

from ..models import Place
from .places import place_value

PLACE = "+net.app.core.place"
CHECKIN = "net.app.core.checkin"
MAX_ID = 64


def _reference(value) -> dict | None:
    ref = value.get(PLACE)
    if isinstance(ref, list) and len(ref) == 1:
        ref = ref[0]
    return ref if isinstance(ref, dict) else None


def _factual_id(ref: dict | None) -> str | None:
    factual_id = ref.get("factual_id") if ref else None
    if isinstance(factual_id, str) and 0 < len(factual_id) <= MAX_ID:
        return factual_id
    return None


def _named(annotations: Iterable[dict]) -> Iterable[tuple[int, dict]]:
    for index, annotation in enumerate(annotations):
        value = annotation.get("value")
        if isinstance(value, dict) and (PLACE in value or annotation.get("type") == CHECKIN):
            yield index, value


def check_references(annotations: list[dict]) -> list[dict]:
    """Refuse a place reference that is malformed or names no place, and a checkin without
    one; the annotations are stored as written."""
    wanted = {}
    for index, value in _named(annotations):
        factual_id = _factual_id(_reference(value)) if PLACE in value else None
        if factual_id is None:
            raise invalid(f'annotations[{index}]: {PLACE} needs {{"factual_id": "…"}}.')
        wanted[index] = factual_id
    if not wanted:
        return annotations
    known = set(
        Place.objects.filter(factual_id__in=set(wanted.values())).values_list(
            "factual_id", flat=True
        )
    )
    for index, factual_id in wanted.items():
        if factual_id not in known:
            raise invalid(f"annotations[{index}]: there is no place {factual_id!r}.")
    return annotations


def _expand_one(annotations: list[dict], places: Mapping[str, Place]) -> list[dict]:
    out = []
    for annotation in annotations:
        value = annotation.get("value")
        if not isinstance(value, dict) or PLACE not in value:
            out.append(annotation)
            continue
        place = places.get(_factual_id(_reference(value)) or "")
        if place is None:
            continue  # the place is gone: so is the annotation that showed it
        value = {key: item for key, item in value.items() if key != PLACE}
        value.update(place_value(place))
        out.append({"type": annotation["type"], "value": value})
    return out


def expand(by_object: Mapping[int, list[dict]]) -> dict[int, list[dict]]:
    """Each object's annotations with place references replaced: one query for the page."""
    wanted = {
        factual_id
        for listed in by_object.values()
        for _, value in _named(listed)
        if (factual_id := _factual_id(_reference(value))) is not None
    }
    if not wanted:
        return dict(by_object)
    places = Place.objects.in_bulk(wanted, field_name="factual_id")
    return {key: _expand_one(listed, places) for key, listed in by_object.items()}
