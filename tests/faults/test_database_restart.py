"""PostgreSQL restarted under a live server: while it is down the API answers an enveloped 503
(never a 500, never HTML); once it is back the same server answers again without a restart;
no post is half-written (issue: faults found under test).

The database is a cluster of the test's own on a loopback port, so stopping it disturbs nothing
else; gunicorn keeps its connections (``DB_CONN_MAX_AGE``) as in production.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import ROOT, free_port, wait_for, web_server

pytestmark = pytest.mark.slow

PG_BIN = next(Path("/usr/lib/postgresql").glob("*/bin"), None)


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary directory, run as the ``postgres`` system user."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="adn-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/adn"
        self._pg("initdb", "-D", str(self.dir), "-A", "trust", "-U", "postgres")

    def _pg(self, tool: str, *args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", str(PG_BIN / tool), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        # -l: the server's output to a file, not to pipes this process would wait on.
        log = str(self.dir / "server.log")
        self._pg("pg_ctl", "-D", str(self.dir), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.dir), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def database() -> Iterator[PrivatePostgres]:
    if PG_BIN is None:
        pytest.fail("PostgreSQL's server binaries are needed (/usr/lib/postgresql/*/bin)")
    cluster = PrivatePostgres()
    try:
        cluster.start()
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(cluster.port),
                "-U",
                "postgres",
                "-c",
                "CREATE DATABASE adn",
            ],
            check=True,
            capture_output=True,
        )
        yield cluster
    finally:
        cluster.remove()


def manage(url: str, *args: str) -> str:
    env = {"DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": url, "SECRET_KEY": "k" * 50}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def call(base: str, method: str, path: str, token: str, body: dict | None = None):
    """(status, parsed JSON body, content type) of one request."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers["Content-Type"]


def test_the_api_answers_503_while_postgresql_is_down_and_recovers_without_a_restart(database):
    manage(database.url, "migrate", "-v0")
    manage(
        database.url, "create_user", "alice", "--email", "a@example.com", "--password", "pw-a1-long"
    )
    app = manage(database.url, "create_app", "c", "--redirect-uri", "http://localhost/cb")
    client_id = next(line.split()[-1] for line in app.splitlines() if "client_id" in line)
    token = manage(
        database.url,
        "issue_token",
        "alice",
        "--app",
        client_id,
        "--scopes",
        "basic stream write_post",
    ).split()[-1]

    with web_server(DATABASE_URL=database.url, DB_CONN_MAX_AGE="60") as base:
        status, _, _ = call(base, "POST", "/stream/0/posts", token, {"text": "before"})
        assert status == 200
        database.stop()
        outage = []
        for path, method, body in [
            ("/stream/0/posts", "POST", {"text": "during"}),
            ("/stream/0/posts/stream/global", "GET", None),
            ("/v1/posts/streams/me", "GET", None),
            ("/api/v1/posts/" + "a" * 32, "GET", None),
        ]:
            outage.append((path, *call(base, method, path, token, body)))
        database.start()

        for path, status, body, content_type in outage:
            assert status == 503, (path, status, body)
            assert content_type.startswith("application/json"), (path, content_type)
            code = body.get("code") if path.startswith("/api/v1/") else body["meta"]["code"]
            assert code == 503, (path, body)

        def answers() -> bool:
            return call(base, "GET", "/stream/0/posts/stream/global", token)[0] == 200

        wait_for(answers, 30, "the same server to answer again")
        status, _, _ = call(base, "POST", "/stream/0/posts", token, {"text": "after"})
        assert status == 200
        _, page, _ = call(base, "GET", "/stream/0/posts/stream/global", token)
        assert [post["text"] for post in page["data"]] == [
            "after",
            "before",
        ]  # nothing half-written
