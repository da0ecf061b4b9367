"""Generated requests to every endpoint of every dialect, against a live gunicorn: no 5xx, and
every error in its dialect's shape. ``FUZZ_EXAMPLES`` scales the run (``make fuzz``: ≥ 10,000)."""

from __future__ import annotations

import os

import pytest

from tests.fuzzing import fuzz, seed
from tests.processes import free_port, web_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Requests per operation and generation mode (valid / invalid): 80 operations x 2 x 4 by default.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))


@pytest.mark.timeout(3600)
def test_generated_requests_get_no_server_error_and_enveloped_errors(token_for):
    seeded = seed(lambda user: token_for(user))
    port = free_port()  # redirects (an avatar, a file's content) point at PUBLIC_URL: this server
    with web_server(
        port, PUBLIC_URL=f"http://127.0.0.1:{port}", RATE_LIMIT="10000000/hour"
    ) as base_url:
        tally = fuzz(base_url, seeded, lambda: token_for(seeded_viewer()), EXAMPLES, progress=True)
    print(f"\nfuzz totals: {tally.summary()}")
    for line in (tally.server_errors + tally.shape_violations + tally.schema_violations)[:40]:
        print(line)
    assert tally.requests >= 80 * EXAMPLES
    assert tally.server_errors == []
    assert tally.shape_violations == []
    assert tally.schema_violations == []


def seeded_viewer():
    from users.models import User

    return User.objects.get(username="fuzzer")
