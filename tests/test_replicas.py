"""Read replicas (adn_api/replicas.py) against a real streaming replica: a primary and a
``pg_basebackup`` replica of it, two PostgreSQL clusters the test starts on loopback ports and
removes after, and the server run as deployed (gunicorn) over them. With the replica's replay
paused, what a reader is served shows where it was read."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from .processes import ROOT, PostgresCluster, call, service_env, wait_for, web_server

pytestmark = pytest.mark.slow
KEY = "replica-test-only-secret-key-not-the-embedded-default"

MAKE_PEOPLE = """
import json
from adn_api.oauth.tokens import create_app, issue_token
from users.models import User
app, _ = create_app("Replica test", link="https://client.example.com")
tokens = {}
for name in ("alice", "bob"):
    user = User.objects.create_user(username=name)
    tokens[name] = issue_token(user, app, "basic stream write_post follow")
print(json.dumps(tokens))
"""


@pytest.fixture(scope="module")
def clusters() -> Iterator[tuple[PostgresCluster, PostgresCluster, dict]]:
    primary = PostgresCluster.primary()
    replica = None
    try:
        primary.sql("CREATE DATABASE adn")
        env = service_env(DATABASE_URL=primary.url("adn"), CELERY_BROKER_URL="", SECRET_KEY=KEY)
        env["TEST_CELERY_EAGER"] = "1"
        run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
        migrated = subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], **{**run, "check": False}
        )
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        made = subprocess.run([sys.executable, "manage.py", "shell", "-c", MAKE_PEOPLE], **run)
        tokens = json.loads(made.stdout.strip().splitlines()[-1])
        replica = PostgresCluster.replica_of(primary)
        wait_for(
            lambda: replica.sql("SELECT count(*) FROM users_user", "adn") == "2",
            30,
            "the replica to catch up",
        )
        assert replica.sql("SELECT pg_is_in_recovery()") == "t"
        yield primary, replica, tokens
    finally:
        if replica is not None:
            replica.stop()
        primary.stop()


def test_reads_go_to_the_replica_and_a_writers_own_reads_to_the_primary(clusters):
    primary, replica, tokens = clusters
    env = {
        "DATABASE_URL": primary.url("adn"),
        "DATABASE_REPLICA_URL": replica.url("adn"),
        "CELERY_BROKER_URL": "",  # fan-out in-process, on the primary
        "TEST_CELERY_EAGER": "1",
        "READ_YOUR_WRITES_SECONDS": "2",
        "SECRET_KEY": KEY,
    }
    alice, bob = tokens["alice"], tokens["bob"]
    with web_server(**env) as base:
        replica.sql("SELECT pg_wal_replay_pause()")
        try:
            # Bob's post is written to the primary (the replica is read-only: a write there
            # would fail), and Bob reads it back at once from there.
            status, body = call("POST", f"{base}/stream/0/posts", bob, {"text": "fresh"})
            assert status == 200, body
            post = body["data"]["id"]
            assert call("GET", f"{base}/stream/0/posts/{post}", bob)[0] == 200
            assert post in ids(call("GET", f"{base}/stream/0/posts/stream", bob)[1])
            # Alice reads the replica, whose replay is paused: not there yet.
            assert call("GET", f"{base}/stream/0/posts/{post}", alice)[0] == 404
            assert post not in ids(call("GET", f"{base}/stream/0/posts/stream/global", alice)[1])
            # Once Bob's few seconds are over, his reads go to the replica too.
            time.sleep(2.5)
            assert call("GET", f"{base}/stream/0/posts/{post}", bob)[0] == 404
        finally:
            replica.sql("SELECT pg_wal_replay_resume()")
        wait_for(
            lambda: call("GET", f"{base}/stream/0/posts/{post}", alice)[0] == 200,
            30,
            "the replica to replay the post",
        )
        assert post in ids(call("GET", f"{base}/stream/0/posts/stream/global", alice)[1])


def ids(body: dict) -> list[str]:
    return [p["id"] for p in body["data"]]
