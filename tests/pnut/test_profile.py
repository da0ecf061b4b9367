"""pnut's profile endpoints: ``PUT``/``PATCH users/me`` (``content.text``, ``name``, ``locale``,
``timezone``, ``raw``) and ``DELETE users/me/avatar`` / ``cover``, through the same domain as
App.net's ``users/me``."""

from __future__ import annotations

import pytest

from users.models import User

from ..images import png
from ..test_files import upload
from .support import V1, data_of, error_of

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "Alice A.",
    "content": {"text": "I like #pnut and @bob"},
    "timezone": "Europe/Paris",
    "locale": "fr_FR",
}


def profile_row(user: User) -> tuple:
    user.refresh_from_db()
    return (
        user.name,
        user.description_text,
        user.timezone,
        user.locale,
        user.annotations,
        user.avatar_url,
    )


def test_put_replaces_the_profile_and_answers_with_the_user(api, alice, bob, tokens):
    user = data_of(api.put(f"{V1}/users/me", tokens["alice"], data=PROFILE))
    assert (user["name"], user["timezone"], user["locale"]) == ("Alice A.", "Europe/Paris", "fr_FR")
    assert user["content"]["text"] == "I like #pnut and @bob"
    assert user["content"]["entities"]["tags"] == [{"text": "pnut", "pos": 7, "len": 5}]
    assert user["content"]["entities"]["mentions"][0]["id"] == str(bob.pk)
    # PUT: what it leaves out is removed.
    replaced = data_of(
        api.put(f"{V1}/users/me", tokens["alice"], data={"timezone": "UTC", "locale": "en_US"})
    )
    assert replaced["name"] == "" and replaced["content"]["text"] == ""
    # The same profile App.net shows.
    adn = api.get("/stream/0/users/me", tokens["alice"]).json()["data"]
    assert (adn["timezone"], adn["locale"]) == ("UTC", "en_US")


def test_patch_changes_only_what_it_names(api, alice, tokens):
    data_of(api.put(f"{V1}/users/me", tokens["alice"], data=PROFILE))
    user = data_of(
        api.patch(f"{V1}/users/me", tokens["alice"], data={"name": "Eric", "timezone": "UTC"})
    )
    assert (user["name"], user["timezone"], user["locale"]) == ("Eric", "UTC", "fr_FR")
    assert user["content"]["text"] == PROFILE["content"]["text"]


def test_raw_sets_and_deletes_one_item_per_type(api, alice, tokens):
    raw = {"io.example.pronouns": [{"text": "she/her"}]}
    data_of(api.patch(f"{V1}/users/me", tokens["alice"], data={"raw": raw}))
    shown = data_of(api.get(f"{V1}/users/me", tokens["alice"], include_user_raw=1))
    assert shown["raw"] == raw
    data_of(api.patch(f"{V1}/users/me", tokens["alice"], data={"name": "no raw given"}))
    assert data_of(api.get(f"{V1}/users/me", tokens["alice"], include_raw=1))["raw"] == raw
    data_of(api.patch(f"{V1}/users/me", tokens["alice"], data={"raw": {"io.example.pronouns": []}}))
    assert data_of(api.get(f"{V1}/users/me", tokens["alice"], include_raw=1))["raw"] == {}


def test_a_whole_user_object_as_body_is_taken_for_its_profile_fields(api, alice, tokens):
    """What pnutpy's ``User.update_user`` sends: the user it read, entities left out."""
    user = data_of(api.get(f"{V1}/users/me", tokens["alice"]))
    del user["content"]["entities"]
    user["name"] = "Renamed"
    user["content"]["text"] = "new words"
    updated = data_of(api.put(f"{V1}/users/me", tokens["alice"], data=user))
    assert updated["name"] == "Renamed" and updated["content"]["text"] == "new words"
    assert updated["username"] == "alice" and updated["id"] == user["id"]


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("PUT", {"name": "no locale or timezone"}),
        ("PUT", {"locale": "en_US", "name": "no timezone"}),
        ("PATCH", {"timezone": "Mars/Olympus"}),
        ("PATCH", {"locale": "not a locale!"}),
        ("PATCH", {"name": "x" * 51}),
        ("PATCH", {"content": {"text": "x" * 257}}),
        ("PATCH", {"content": "not an object"}),
        ("PATCH", {"content": {"text": 42}}),
        ("PATCH", {"raw": "not raw"}),
        ("PATCH", {"raw": {"io.example": [{"a": 1}, {"b": 2}]}}),
        ("PATCH", {"raw": {"io.example": {"not": "a list"}}}),
        ("PATCH", ["a", "list"]),
    ],
)
def test_bad_profile_input_is_400_and_changes_nothing(api, alice, tokens, method, body):
    data_of(api.put(f"{V1}/users/me", tokens["alice"], data=PROFILE))
    before = profile_row(alice)
    error_of(api.call(method, f"{V1}/users/me", tokens["alice"], body), 400)
    assert profile_row(alice) == before


def test_profile_changes_need_a_token_with_update_profile_and_only_ones_own(
    api, alice, bob, token_for, tokens
):
    before = profile_row(alice)
    error_of(api.patch(f"{V1}/users/me", None, data={"name": "anon"}), 401)
    reader = token_for(alice, ["basic", "stream"])
    error_of(api.patch(f"{V1}/users/me", reader, data={"name": "no scope"}), 403)
    error_of(api.patch(f"{V1}/users/{alice.pk}", tokens["bob"], data={"name": "not bob's"}), 403)
    assert profile_row(alice) == before


def test_delete_avatar_and_cover_go_back_to_the_defaults(api, alice, tokens):
    for kind in ("avatar", "cover"):
        made = upload(api, tokens["alice"], png(960, 400), path=f"{V1}/users/me/{kind}", field=kind)
        uploaded = data_of(made)
        assert uploaded["content"][f"{kind}_image"]["is_default"] is False
        back = data_of(api.delete(f"{V1}/users/me/{kind}", tokens["alice"]))
        image = back["content"][f"{kind}_image"]
        assert image["is_default"] is True and image["url"].endswith(f"{kind}-default.png")
    error_of(api.delete(f"{V1}/users/me/avatar", None), 401)
    # App.net had no such DELETE.
    error_of(api.delete("/stream/0/users/me/avatar", tokens["alice"]), 405)
