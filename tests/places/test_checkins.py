"""Checkins: ``+net.app.core.place`` in an annotation value names a place, is refused when it
names none, and is replaced by the place's current data when read, in posts (App.net, and pnut's
``raw``) and messages; a place removed takes its annotation with it."""

from __future__ import annotations

import pytest

from places.models import Place

from ..post_support import error, new_post, ok

pytestmark = pytest.mark.django_db

POSTS = "/stream/0/posts"
PLACE = "+net.app.core.place"


@pytest.fixture
def borderlands(db) -> Place:
    return Place.objects.create(
        factual_id="5391959",
        name="Borderlands Books",
        locality="San Francisco",
        region="CA",
        country_code="us",
        latitude=37.759064,
        longitude=-122.421336,
        category_id="LIBR",
        category_labels=["Spot, building, farm", "LIBR"],
    )


def checkin(ref) -> list[dict]:
    return [{"type": "net.app.core.checkin", "value": {PLACE: ref}}]


def shown(api, post_id, token=None) -> list[dict]:
    return ok(api.get(f"{POSTS}/{post_id}", token, include_annotations=1))["annotations"]


@pytest.mark.parametrize("ref", [{"factual_id": "5391959"}, [{"factual_id": "5391959"}]])
def test_a_checkin_is_read_with_the_places_data(api, alice, token_for, borderlands, ref):
    post = new_post(api, token_for(alice), "here", annotations=checkin(ref))
    value = shown(api, post["id"])[0]["value"]
    assert PLACE not in value
    assert value["name"] == "Borderlands Books" and value["factual_id"] == "5391959"
    assert (value["latitude"], value["longitude"]) == (37.759064, -122.421336)
    assert value["categories"] == [{"labels": ["Spot, building, farm", "LIBR"], "id": "LIBR"}]


def test_other_values_are_kept_and_the_place_is_read_as_it_now_is(
    api, alice, token_for, borderlands
):
    note = [{"type": "com.example.visit", "value": {PLACE: {"factual_id": "5391959"}, "n": 3}}]
    post = new_post(api, token_for(alice), "again", annotations=note)
    Place.objects.filter(pk=borderlands.pk).update(name="Borderlands Books & Café")
    value = shown(api, post["id"])[0]["value"]
    assert value["n"] == 3 and value["name"] == "Borderlands Books & Café"
    borderlands.delete()
    assert shown(api, post["id"]) == []  # the place is gone: so is what showed it


@pytest.mark.parametrize(
    "annotations",
    [
        checkin({"factual_id": "nowhere"}),
        checkin({"factual_id": 5391959}),
        checkin({}),
        checkin("5391959"),
        checkin([{"factual_id": "5391959"}, {"factual_id": "5391959"}]),
        [{"type": "net.app.core.checkin", "value": {"name": "A café"}}],
        [{"type": "com.example", "value": {PLACE: {"factual_id": "x" * 100}}}],
    ],
)
def test_a_bad_place_reference_is_a_400_and_nothing_is_posted(
    api, alice, token_for, borderlands, annotations
):
    token = token_for(alice)
    error(api.post(POSTS, token, data={"text": "here", "annotations": annotations}), 400)
    assert ok(api.get(f"/stream/0/users/{alice.pk}/posts", token)) == []


def test_pnut_raw_takes_and_shows_the_checkin(api, alice, token_for, borderlands):
    token = token_for(alice)
    raw = {"net.app.core.checkin": [{PLACE: {"factual_id": "5391959"}}]}
    created = api.post("/v1/posts", token, data={"text": "via pnut", "raw": raw}).json()["data"]
    read = ok(api.get(f"/v1/posts/{created['id']}", token, include_raw=1))
    assert read["raw"]["net.app.core.checkin"][0]["name"] == "Borderlands Books"


def test_a_message_checkin_is_replaced_too(api, alice, bob, token_for, borderlands):
    token = token_for(alice)
    sent = ok(
        api.post(
            "/stream/0/channels/pm/messages",
            token,
            data={
                "text": "meet here",
                "destinations": [bob.pk],
                "annotations": checkin({"factual_id": "5391959"}),
            },
        )
    )
    messages = ok(
        api.get(f"/stream/0/channels/{sent['channel_id']}/messages", token, include_annotations=1)
    )
    assert messages[0]["annotations"][0]["value"]["name"] == "Borderlands Books"
    refused = api.post(
        "/stream/0/channels/pm/messages",
        token,
        data={"text": "x", "destinations": [bob.pk], "annotations": checkin({"factual_id": "no"})},
    )
    error(refused, 400)
