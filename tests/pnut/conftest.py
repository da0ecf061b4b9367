"""Fixtures for the pnut tests: three users with tokens."""

from __future__ import annotations

import pytest


@pytest.fixture
def tokens(alice, bob, carol, token_for):
    return {"alice": token_for(alice), "bob": token_for(bob), "carol": token_for(carol)}
