"""Finding places: one by its id, or the nearest to a point (App.net's ``places/search``).

Search is a box, then a circle: the (latitude, longitude) index narrows the rows to the box
around the radius (latitude as a range, longitude checked within the index; a box across the
antimeridian is two ranges, one reaching a pole is every longitude), and the great-circle
distance (haversine, in SQL, on PostgreSQL and SQLite alike) keeps those within the radius,
nearest first. With ``q``, names starting with it come first, then names containing it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from core.errors import Reason, Refused, invalid
from core.inputs import flag_value, storable_text

from ..models import Place

EARTH_RADIUS = 6_371_008.8  # metres, the mean radius
METRES_PER_DEGREE = EARTH_RADIUS * math.pi / 180
MAX_Q = 128
RADIUS = (0.001, 50_000.0, 100.0)  # least, most, default: App.net's
COUNT = (1, 100, 20)
OPTIONAL_ONLY = ("altitude", "horizontal_accuracy", "vertical_accuracy")  # read, not used yet


def get_place(factual_id: str) -> Place:
    place = Place.objects.filter(factual_id=factual_id).first() if factual_id else None
    if place is None:
        raise Refused(Reason.NOT_FOUND, "There is no place with that id.", subject="place")
    return place


def number(params: Mapping[str, str], name: str, *, required: bool = False) -> float | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        if required:
            raise invalid(f"{name} is required: a decimal number.")
        return None
    try:
        value = float(raw) if len(raw) <= 32 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise invalid(f"{name} must be a decimal number, not {raw[:40]!r}.")
    return value


def bounded(value: float | None, name: str, least: float, most: float, default: float) -> float:
    if value is None:
        return default
    if not least <= value <= most:
        raise invalid(f"{name} must be between {least:g} and {most:g}.")
    return value


@dataclass(frozen=True)
class PlaceSearch:
    latitude: float
    longitude: float
    radius: float = RADIUS[2]
    count: int = COUNT[2]
    q: str = ""
    remove_closed: bool = True

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> PlaceSearch:
        latitude = bounded(number(params, "latitude", required=True), "latitude", -90, 90, 0)
        longitude = bounded(number(params, "longitude", required=True), "longitude", -180, 180, 0)
        radius = bounded(number(params, "radius"), "radius", *RADIUS)
        count = bounded(number(params, "count"), "count", *COUNT)
        if count != int(count):
            raise invalid("count must be a whole number.")
        for name in OPTIONAL_ONLY:
            number(params, name)  # malformed is refused even though the value is not used
        q = (params.get("q") or "").strip()
        if len(q) > MAX_Q:
            raise invalid(f"q is at most {MAX_Q} characters.")
        if not storable_text(q):
            raise invalid("q must not contain NUL characters or lone surrogates.")
        remove_closed = params.get("remove_closed", "")
        closed = flag_value(remove_closed, "remove_closed") if remove_closed != "" else True
        return cls(latitude, longitude, radius, int(count), q, closed)


def _longitudes(longitude: float, span: float) -> Q:
    if span >= 180:
        return Q()
    low, high = longitude - span, longitude + span
    if low < -180:
        return Q(longitude__gte=low + 360) | Q(longitude__lte=high)
    if high > 180:
        return Q(longitude__gte=low) | Q(longitude__lte=high - 360)
    return Q(longitude__gte=low, longitude__lte=high)


def box(latitude: float, longitude: float, radius: float) -> Q:
    """Every point within ``radius`` metres lies in this box (a little larger, for rounding)."""
    degrees = radius / METRES_PER_DEGREE * 1.01
    south, north = latitude - degrees, latitude + degrees
    condition = Q(latitude__gte=max(south, -90), latitude__lte=min(north, 90))
    widest = max(abs(south), abs(north))
    if widest >= 90:
        return condition  # the circle holds a pole: every longitude
    return condition & _longitudes(longitude, degrees / math.cos(math.radians(widest)))


def distance_to(latitude: float, longitude: float):
    """The haversine distance in metres from the point to each row, as a SQL expression."""
    lat1, lat2 = Radians(Value(latitude)), Radians(F("latitude"))
    half_dlat = (lat2 - lat1) / 2
    half_dlon = (Radians(F("longitude")) - Radians(Value(longitude))) / 2
    haversine = Power(Sin(half_dlat), 2) + Cos(lat1) * Cos(lat2) * Power(Sin(half_dlon), 2)
    return Value(2 * EARTH_RADIUS) * ASin(Sqrt(Least(haversine, Value(1.0))))


def search_places(search: PlaceSearch) -> QuerySet:
    """The places within the radius, nearest first, each with ``distance`` (metres)."""
    rows = Place.objects.filter(box(search.latitude, search.longitude, search.radius))
    if search.remove_closed:
        rows = rows.filter(is_open=True)
    order = ["distance", "id"]
    if search.q:
        rows = rows.filter(Q(name__icontains=search.q) | Q(ascii_name__icontains=search.q))
        starts = Q(name__istartswith=search.q) | Q(ascii_name__istartswith=search.q)
        rows = rows.annotate(later=Case(When(starts, then=Value(0)), default=Value(1)))
        order.insert(0, "later")
    rows = rows.annotate(distance=distance_to(search.latitude, search.longitude))
    rows = rows.filter(distance__lte=search.radius)
    return rows.order_by(*order)[: search.count]


OPTIONAL_FIELDS = (
    "address",
    "address_extended",
    "locality",
    "region",
    "admin_region",
    "post_town",
    "po_box",
    "postcode",
    "country_code",
    "telephone",
    "fax",
    "website",
)


def place_value(place: Place) -> dict:
    """App.net's place object (fields it has no value for left out, as App.net's examples)."""
    value = {
        "factual_id": place.factual_id,
        "name": place.name,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "is_open": place.is_open,
        "categories": (
            [{"labels": place.category_labels, "id": place.category_id}]
            if place.category_id
            else []
        ),
    }
    value.update((name, getattr(place, name)) for name in OPTIONAL_FIELDS if getattr(place, name))
    return value
