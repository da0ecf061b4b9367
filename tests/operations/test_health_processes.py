"""/healthz and /readyz from a real server process while the parts under it go away: a private
Redis is stopped and started again (the machine's shared Redis is never touched), and a server
is pointed at a database no migration has reached."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

import psycopg
import pytest
from django.db import connection

from ..processes import PrivateRedis, web_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def probe(url: str) -> tuple[int, dict, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, json.loads(body), time.monotonic() - started


@pytest.fixture
def private_redis():
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def test_healthz_names_redis_and_the_broker_while_redis_is_down(private_redis):
    broker = private_redis.url.removesuffix("/0") + "/1"
    with web_server(REDIS_URL=private_redis.url, CELERY_BROKER_URL=broker) as base:
        status, body, _ = probe(f"{base}/healthz")
        assert status == 200 and body["status"] == "ok", body
        assert body["checks"]["broker"]["status"] == "ok"  # tasks go to this broker

        private_redis.stop()
        status, body, took = probe(f"{base}/healthz")
        assert status == 503
        assert body["status"] == "fail"
        assert body["failing"] == ["redis", "broker"]
        assert body["checks"]["database"]["status"] == "ok"
        assert body["checks"]["redis"]["status"] == "fail"
        assert body["checks"]["redis"]["error"] == "ConnectionError"
        assert took < 10  # fast timeouts: the probe answers while Redis is away
        # Readiness is about serving from the database; it stays ready.
        assert probe(f"{base}/readyz")[0] == 200

        private_redis.start()
        status, body, _ = probe(f"{base}/healthz")
        assert status == 200 and body["status"] == "ok", body


@pytest.fixture
def unmigrated_database():
    """An empty database beside the test database."""
    name = f"adn_unmigrated_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    admin = f"postgresql://{db['USER']}@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_readyz_refuses_until_the_migrations_are_applied(unmigrated_database):
    with web_server(DATABASE_URL=unmigrated_database) as base:
        status, body, _ = probe(f"{base}/readyz")
        assert status == 503
        assert body["failing"] == ["migrations"]
        assert body["checks"]["database"]["status"] == "ok"
        assert "unapplied migration" in body["checks"]["migrations"]["error"]
        # Alive all the same: the database answers.
        assert probe(f"{base}/healthz")[0] == 200
