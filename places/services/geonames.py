"""Reading GeoNames' dump format (``allCountries.txt``, ``cities500.txt``, a country's file: one
place a line, 19 tab-separated columns, UTF-8) into places, as ``manage.py import_places`` does.

A GeoNames feature has no street address, telephone or website; its region and admin region are
GeoNames' admin1 and admin2 codes, its category its feature class and code, and its locality its
own name when it is a populated place. Features GeoNames marks historical, abandoned or destroyed
are stored as not open (``remove_closed`` leaves them out of searches).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from ..models import Place

COLUMNS = 19
BATCH = 2000
FEATURE_CLASSES = {
    "A": "Country, state, region",
    "H": "Stream, lake",
    "L": "Parks, area",
    "P": "City, village",
    "R": "Road, railroad",
    "S": "Spot, building, farm",
    "T": "Mountain, hill, rock",
    "U": "Undersea",
    "V": "Forest, heath",
}
# Feature codes of places that are no more (historical, abandoned, destroyed, ruined).
CLOSED_CODES = {"PPLH", "PPLQ", "PPLW", "PCLH", "ADMDH", "RUIN", "HSTS"} | {
    f"ADM{n}H" for n in range(1, 6)
}
UPDATED = [f.name for f in Place._meta.concrete_fields if f.name not in ("id", "factual_id")]


class BadLine(ValueError):
    pass


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else None


def _coordinate(text: str, limit: float, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadLine(f"{name} {text!r} is not a number") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise BadLine(f"{name} {text!r} is out of range")
    return value


def parse_line(line: str) -> Place:
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) != COLUMNS:
        raise BadLine(f"{len(fields)} columns, not {COLUMNS}")
    geonameid, name, ascii_name = fields[0].strip(), fields[1].strip(), fields[2].strip()
    if not geonameid.isdigit() or not name:
        raise BadLine("no geonameid or no name")
    feature_class, code = fields[6].strip(), fields[7].strip()
    try:
        modified = date.fromisoformat(fields[18].strip()) if fields[18].strip() else None
    except ValueError:
        modified = None
    elevation = _int(fields[15])
    return Place(
        factual_id=geonameid,
        name=name[:200],
        ascii_name=ascii_name[:200],
        locality=name[:200] if feature_class == "P" else "",
        region=fields[10].strip()[:200],
        admin_region=fields[11].strip()[:200],
        country_code=fields[8].strip().lower()[:2],
        latitude=_coordinate(fields[4], 90, "latitude"),
        longitude=_coordinate(fields[5], 180, "longitude"),
        is_open=code not in CLOSED_CODES,
        category_id=code[:16],
        category_labels=[label for label in (FEATURE_CLASSES.get(feature_class), code) if label],
        population=_int(fields[14]) or 0,
        elevation=elevation if elevation is not None else _int(fields[16]),
        timezone=fields[17].strip()[:40],
        modified=modified,
    )


@dataclass
class Imported:
    places: int = 0
    skipped: list[tuple[int, str]] | None = None


def _batches(lines: Iterable[str], result: Imported) -> Iterator[list[Place]]:
    batch: list[Place] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            batch.append(parse_line(line))
        except BadLine as problem:
            result.skipped.append((number, str(problem)))
            continue
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def import_places(lines: Iterable[str]) -> Imported:
    """Insert the lines' places, or update those imported before (by geonameid). A malformed
    line is skipped and reported; the rest go in, a batch per transaction."""
    result = Imported(skipped=[])
    for batch in _batches(lines, result):
        unique = {place.factual_id: place for place in batch}  # a file naming one twice: the last
        with transaction.atomic():
            Place.objects.bulk_create(
                list(unique.values()),
                update_conflicts=True,
                unique_fields=["factual_id"],
                update_fields=UPDATED,
            )
        result.places += len(unique)
    return result
