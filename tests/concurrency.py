"""Requests sent at once, each from its own thread on its own database connection, for the
tests that show constraints and row locks keep the rows and counters exact."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def run_together(calls: list[tuple]) -> list[tuple[int, dict]]:
    """Run ``(method, path, token)`` or ``(method, path, token, body)`` calls at once (a
    barrier releases them together); returns each one's status and body."""
    from tests.conftest import Api  # conftest is pytest's; imported once a test runs

    barrier = threading.Barrier(len(calls), timeout=60)

    def one(call):
        method, path, token, *body = call
        try:
            barrier.wait()
            response = Api().call(method, path, token, *body)
            return response.status_code, response.json()
        finally:
            connection.close()  # each thread opened its own connection

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))
