"""Places (App.net ``places/{factual_id}`` and ``places/search``) from a GeoNames file that
``manage.py import_places`` reads: nearest first within the radius, ``q``, closed places, the
antimeridian, bad input answered with an enveloped 400, and a constant number of queries."""

from __future__ import annotations

import math
from io import StringIO

import pytest
from django.core.management import call_command

from places.models import Place

from ..post_support import error, ok

pytestmark = pytest.mark.django_db

SEARCH = "/stream/0/places/search"
CALTRAIN = {"latitude": "37.776905", "longitude": "-122.395012"}


def geonames_line(geonameid, name, lat, lon, fclass="S", code="RSTN", cc="US", **extra) -> str:
    columns = [
        str(geonameid),
        name,
        extra.get("ascii", name),
        extra.get("alternates", ""),
        str(lat),
        str(lon),
        fclass,
        code,
        cc,
        "",  # cc2
        extra.get("admin1", "CA"),
        extra.get("admin2", "075"),
        "",
        "",
        str(extra.get("population", 0)),
        str(extra.get("elevation", "")),
        "12",  # dem
        extra.get("timezone", "America/Los_Angeles"),
        "2024-01-05",
    ]
    return "\t".join(columns)


LINES = [
    geonames_line(1001, "Caltrain Station", 37.7766, -122.3947, alternates="SF Caltrain,4th St"),
    geonames_line(1002, "Creamery", 37.7772, -122.3958, code="REST"),
    geonames_line(1003, "Ice Cream Parlor", 37.7776, -122.3945, code="REST"),
    geonames_line(1004, "Old Fort", 37.7768, -122.3951, code="HSTS"),  # historical: closed
    geonames_line(1005, "Oakland", 37.80437, -122.2708, fclass="P", code="PPL", population=433031),
    geonames_line(2001, "Taveuni East", -16.85, 179.99, cc="FJ", admin1="03", admin2=""),
    geonames_line(2002, "Taveuni West", -16.85, -179.99, cc="FJ", admin1="03", admin2=""),
    geonames_line(3001, "North Pole Camp", 89.9995, 10.0, cc=""),
    geonames_line(3002, "Pole Other Side", 89.9995, -170.0, cc=""),
    "1006\tToo few columns\t37.0\t-122.0",
    geonames_line(1007, "Nowhere", "north", -122.0),
]


def reference_distance(lat1, lon1, lat2, lon2) -> float:
    """The spherical law of cosines, independent of the server's haversine."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6_371_008.8 * math.acos(min(1.0, cosine))


def import_file(tmp_path, lines) -> tuple[str, str]:
    path = tmp_path / "places.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_places", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def places(tmp_path):
    out, err = import_file(tmp_path, LINES)
    assert "9 places imported, 2 lines skipped" in out
    assert "line 10 skipped" in err and "line 11 skipped" in err
    return {p.name: p for p in Place.objects.all()}


def names(data) -> list[str]:
    return [p["name"] for p in data]


def test_import_reads_geonames_and_updates_what_it_imported_before(tmp_path, places):
    oakland = places["Oakland"]
    assert (oakland.factual_id, oakland.locality, oakland.country_code) == ("1005", "Oakland", "us")
    assert (oakland.region, oakland.admin_region, oakland.population) == ("CA", "075", 433031)
    assert oakland.category_labels == ["City, village", "PPL"] and oakland.is_open
    assert places["Old Fort"].is_open is False
    renamed = geonames_line(1005, "Oakland, CA", 37.80437, -122.2708, fclass="P", code="PPL")
    out, _ = import_file(tmp_path, [renamed])
    assert "1 places imported" in out
    assert Place.objects.count() == 9
    assert Place.objects.get(factual_id="1005").name == "Oakland, CA"


def test_a_place_by_id_in_app_nets_shape(api, places):
    data = ok(api.get("/stream/0/places/1001"))
    assert data == {
        "factual_id": "1001",
        "name": "Caltrain Station",
        "latitude": 37.7766,
        "longitude": -122.3947,
        "is_open": True,
        "categories": [{"labels": ["Spot, building, farm", "RSTN"], "id": "RSTN"}],
        "region": "CA",
        "admin_region": "075",
        "country_code": "us",
    }
    error(api.get("/stream/0/places/9999"), 404)
    error(api.get("/stream/0/places/" + "x" * 300), 404)


def test_search_is_nearest_first_within_the_radius(api, alice, token_for, places):
    token = token_for(alice)
    data = ok(api.get(SEARCH, token, **CALTRAIN))
    assert names(data) == ["Caltrain Station", "Creamery", "Ice Cream Parlor"]
    for place in data:
        expected = reference_distance(37.776905, -122.395012, place["latitude"], place["longitude"])
        assert place["distance"] == pytest.approx(expected, abs=0.5)
        assert place["distance"] <= 100
    wider = ok(api.get(SEARCH, token, radius="20000", **CALTRAIN))
    assert names(wider)[-1] == "Oakland" and len(wider) == 4
    assert names(ok(api.get(SEARCH, token, count="2", radius="20000", **CALTRAIN))) == [
        "Caltrain Station",
        "Creamery",
    ]
    assert ok(api.get(SEARCH, token, radius="0.001", **CALTRAIN)) == []


def test_q_matches_names_prefix_first_and_closed_places_on_request(api, alice, token_for, places):
    token = token_for(alice)
    # "cre" finds the creamery and the ice cream parlour, as App.net's example says.
    assert names(ok(api.get(SEARCH, token, q="cre", **CALTRAIN))) == [
        "Creamery",
        "Ice Cream Parlor",
    ]
    assert names(ok(api.get(SEARCH, token, q="CALTRAIN", **CALTRAIN))) == ["Caltrain Station"]
    assert "Old Fort" not in names(ok(api.get(SEARCH, token, **CALTRAIN)))
    assert names(ok(api.get(SEARCH, token, remove_closed="0", **CALTRAIN)))[0] == "Old Fort"


def test_search_across_the_antimeridian_and_near_a_pole(api, alice, token_for, places):
    token = token_for(alice)
    east = ok(api.get(SEARCH, token, latitude="-16.85", longitude="179.995", radius="5000"))
    assert names(east) == ["Taveuni East", "Taveuni West"]
    west = ok(api.get(SEARCH, token, latitude="-16.85", longitude="-180", radius="5000"))
    assert sorted(names(west)) == ["Taveuni East", "Taveuni West"]
    pole = ok(api.get(SEARCH, token, latitude="90", longitude="0", radius="1000"))
    assert sorted(names(pole)) == ["North Pole Camp", "Pole Other Side"]


def test_search_needs_a_user_token(api, places):
    error(api.get(SEARCH, **CALTRAIN), 401)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"latitude": "37.7"},
        {"longitude": "-122.3"},
        {**CALTRAIN, "latitude": "91"},
        {**CALTRAIN, "longitude": "-180.5"},
        {**CALTRAIN, "latitude": "north"},
        {**CALTRAIN, "latitude": "nan"},
        {**CALTRAIN, "longitude": "inf"},
        {**CALTRAIN, "latitude": "1e400"},
        {**CALTRAIN, "latitude": "3" * 10_000},
        {**CALTRAIN, "radius": "0"},
        {**CALTRAIN, "radius": "50001"},
        {**CALTRAIN, "radius": "-5"},
        {**CALTRAIN, "count": "0"},
        {**CALTRAIN, "count": "101"},
        {**CALTRAIN, "count": "2.5"},
        {**CALTRAIN, "remove_closed": "maybe"},
        {**CALTRAIN, "altitude": "high"},
        {**CALTRAIN, "horizontal_accuracy": "x"},
        {**CALTRAIN, "q": "x" * 10_000},
        {**CALTRAIN, "q": "a\x00b"},
    ],
)
def test_bad_input_is_an_enveloped_400(api, alice, token_for, places, params):
    params = {k: v.replace("\x00", "%00") for k, v in params.items()}
    error(api.get(SEARCH, token_for(alice), **params), 400)


@pytest.mark.parametrize("q", ['"cre', "cre*", "cre NEAR x", "o'cre", "%", "_", "\\"])
def test_q_with_syntax_characters_is_text(api, alice, token_for, places, q):
    response = api.get(SEARCH, token_for(alice), q=q.replace("%", "%25"), **CALTRAIN)
    assert response.status_code == 200, response.content
    if q in ("%", "_", "\\"):
        assert ok(response) == []  # LIKE's wildcards are escaped: no name holds them


@pytest.mark.parametrize("count", [1, 100])
def test_a_search_costs_the_same_queries(api, alice, token_for, count, django_assert_num_queries):
    Place.objects.bulk_create(
        Place(factual_id=str(n), name=f"Stop {n}", latitude=37.7 + n * 1e-5, longitude=-122.4)
        for n in range(150)
    )
    token = token_for(alice)
    with django_assert_num_queries(PLACE_QUERIES):
        params = {"latitude": "37.7", "longitude": "-122.4", "radius": "1000"}
        data = ok(api.get(SEARCH, token, count=str(count), **params))
    assert len(data) == count


PLACE_QUERIES = 2  # the token, the places
