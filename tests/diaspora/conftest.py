"""The diaspora tests' users have display names, as diaspora's people do (``name`` is checked
in every person object)."""

from __future__ import annotations

import pytest


@pytest.fixture
def alice(make_user):
    return make_user("alice", name="Alice Testing")


@pytest.fixture
def bob(make_user):
    return make_user("bob", name="Bob Testing")
