"""/healthz and /readyz answered in-process (the test settings' real PostgreSQL and Redis).
test_health_processes.py stops a Redis under a running server."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "broker"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "ok"
    # Tasks run in-process in these tests, so no broker is used.
    assert body["checks"]["broker"] == {
        "status": "skipped",
        "reason": "not configured: tasks run in-process",
        "ms": body["checks"]["broker"]["ms"],
    }


def test_readyz_is_ok_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: c["status"] for name, c in body["checks"].items()} == {
        "database": "ok",
        "migrations": "ok",
    }


def test_healthz_needs_no_token_even_when_a_bad_one_is_sent(client):
    response = client.get("/healthz", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 200


def test_healthz_only_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
