"""``users/search`` as App.net documents it, in App.net's and pnut's shapes."""

from __future__ import annotations

import pytest

from ..post_support import error, ok

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/stream/0/users/search", "/v1/users/search"])
def test_username_name_description_and_the_at_and_hash_forms(api, make_user, path):
    make_user("gandalf", name="Grey Wizard", description_text="wanders #middleearth")
    make_user("frodo", name="Ring bearer", description_text="likes gandalf")
    names = lambda **q: [u["username"] for u in ok(api.get(path, **q))]  # noqa: E731
    assert names(q="gand") == ["frodo", "gandalf"]  # frodo's description says gandalf
    assert names(q="%40gand") == ["gandalf"]  # @gand: usernames only
    assert names(q="%23middleearth") == ["gandalf"]  # #middleearth: the description's tag
    assert names(q="wizard") == ["gandalf"]
    assert names(q="bearer") == ["frodo"]
    for bad in ("", "%40", "%23", "x" * 300, "x" * 10_000):
        error(api.get(path, q=bad), 400)
