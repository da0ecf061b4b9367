"""Real processes for the fan-out tests: a Celery worker, a private Redis, a web server.

They run against the test database (the tests using them commit for real) and are stopped by
the context managers, whatever the test's outcome.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

from adn_api.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
WORKER_NUMBERS = itertools.count(1)


def wait_for(condition: Callable[[], bool], timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


def embedded_manage(db_path: Path) -> Callable[..., str]:
    """``manage.py`` on the embedded default (SQLite at ``db_path``, tasks in-process, no Redis):
    a function that runs one command, checks it succeeded and returns its stdout and stderr."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DATABASE_URL"] = f"sqlite:///{db_path}"  # the default's engine, apart

    def manage(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout + result.stderr

    return manage


def service_env(**overrides: str) -> dict[str, str]:
    """The environment of a process that shares this test's database, Redis and broker, and
    this run's names on them (its id, cache and dedupe key prefixes, Celery queue)."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TEST_CELERY_EAGER": "0",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "DB_CONN_MAX_AGE": "0",
            "ADN_TEST_RUN_ID": os.environ["ADN_TEST_RUN_ID"],
            "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
            "REPOST_DEDUPE_KEY_PREFIX": settings.REPOST_DEDUPE_KEY_PREFIX,
            "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        }
    )
    env.update(overrides)
    return env


class Worker:
    """A Celery worker process; ``kill()`` SIGKILLs it as a crash would."""

    def __init__(
        self,
        env: dict[str, str],
        beat: bool,
        pool: str = "solo",
        concurrency: int = 1,
        queues: list[str] | None = None,
    ):
        handle, name = tempfile.mkstemp(suffix=".log")
        os.close(handle)
        self.log = Path(name)
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "adn_api",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            # Named after the run's queue: its remote-control queue is the run's too.
            # Numbered: two workers of one test (one per queue) are two nodes.
            f"--hostname={env.get('CELERY_QUEUE', 'celery')}@%h.{next(WORKER_NUMBERS)}",
        ]
        if queues:  # only these (the default: every queue, fan-out's too)
            command.append(f"--queues={','.join(queues)}")
        if beat:
            schedule = Path(tempfile.mkdtemp()) / "beat-schedule"
            command += ["--beat", f"--schedule={schedule}"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(
            lambda: "ready." in self.output() or self.process.poll() is not None,
            60,
            "the worker to start",
        )
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited at start:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def celery_worker(
    beat: bool = False, queues: list[str] | None = None, **env: str
) -> Iterator[Worker]:
    # A queue left over from an earlier run must not feed this worker stale tasks.
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "adn_api", "purge", "-f"],
        cwd=ROOT,
        env=service_env(**env),
        capture_output=True,
        timeout=60,
        check=False,
    )
    worker = Worker(service_env(**env), beat, queues=queues)
    # This process must now hand tasks to the broker instead of running them itself.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = eager
        worker.stop()


class PrivateRedis:
    """A Redis server of the test's own, so stopping it disturbs nothing else."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
            capture_output=True,
        )
        wait_for(self.ping, 10, "redis to start")

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
            check=False,
        )
        wait_for(lambda: not self.ping(), 10, "redis to stop")

    def ping(self) -> bool:
        return _pong(self.port)


@contextlib.contextmanager
def web_server(port: int | None = None, **env: str) -> Iterator[str]:
    """gunicorn serving the project as deployed, with one worker; yields its base URL."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config=deploy/gunicorn.conf.py",  # as deployed: its JSON refusals included
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=service_env(**env),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_for(up, 30, "the web server to start")
        yield base
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM a process started in its own session (and its children), and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(15)


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as its own user, then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresCluster:
    """A PostgreSQL cluster of the test's own in a temporary directory, on a free loopback port:
    a primary (``initdb``, replication allowed) or a streaming replica of one
    (``pg_basebackup -R``). ``stop()`` stops it and removes its files."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    @classmethod
    def primary(cls) -> PostgresCluster:
        cluster = cls(_postgres_directory())
        subprocess.run(
            _as_postgres(
                ["initdb", "-D", str(cluster.directory), "-U", "postgres", "--auth=trust"]
            ),
            check=True,
            capture_output=True,
        )
        settings_file = cluster.directory / "postgresql.conf"
        with settings_file.open("a") as conf:
            conf.write(
                "wal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\n"
            )
        cluster.start()
        return cluster

    @classmethod
    def replica_of(cls, primary: PostgresCluster) -> PostgresCluster:
        cluster = cls(_postgres_directory())
        subprocess.run(
            _as_postgres(
                [
                    "pg_basebackup",
                    f"--dbname=host=127.0.0.1 port={primary.port} user=postgres",
                    "-D",
                    str(cluster.directory),
                    "-R",  # standby.signal and primary_conninfo: it streams from the primary
                    "-X",
                    "stream",
                ]
            ),
            check=True,
            capture_output=True,
        )
        cluster.start()
        return cluster

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
        subprocess.run(
            _as_postgres(
                [
                    "pg_ctl",
                    "-D",
                    str(self.directory),
                    "-o",
                    options,
                    "-l",
                    str(self.directory / "log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def sql(self, statement: str, database: str = "postgres") -> str:
        result = subprocess.run(
            ["psql", self.url(database), "-Atc", statement],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(self.directory), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory.parent, ignore_errors=True)


def _postgres_directory() -> Path:
    parent = Path(tempfile.mkdtemp(prefix="adn-pg-"))
    os.chmod(parent, 0o755)
    directory = parent / "data"
    directory.mkdir(mode=0o700)
    shutil.chown(directory, "postgres", "postgres")
    if os.geteuid() == 0:
        shutil.chown(parent, "postgres", "postgres")
    return directory


def call(method: str, url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    """One JSON request to a server these helpers started: (status, body), errors too."""
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class PrivateRedisCluster:
    """A 3-node Redis Cluster of the test's own (no replicas) on loopback ports, its files in a
    temporary directory; ``url`` names it as REDIS_URL does."""

    def __init__(self, nodes: int = 3):
        self.directory = Path(tempfile.mkdtemp(prefix="adn-redis-cluster-"))
        self.ports = [_cluster_port() for _ in range(nodes)]
        self.url = f"redis+cluster://127.0.0.1:{self.ports[0]}/0"

    def start(self) -> None:
        for port in self.ports:
            subprocess.run(
                [
                    "redis-server",
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    str(self.directory / f"nodes-{port}.conf"),
                    "--dir",
                    str(self.directory),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "yes",
                ],
                check=True,
                capture_output=True,
            )
        subprocess.run(
            [
                "redis-cli",
                "--cluster",
                "create",
                *(f"127.0.0.1:{p}" for p in self.ports),
                "--cluster-replicas",
                "0",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
        )
        wait_for(self.ready, 30, "the cluster to be ready")

    def ready(self) -> bool:
        for port in self.ports:
            info = subprocess.run(
                ["redis-cli", "-p", str(port), "cluster", "info"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if "cluster_state:ok" not in info:
                return False
        return True

    def stop(self) -> None:
        for port in self.ports:
            subprocess.run(
                ["redis-cli", "-p", str(port), "shutdown", "nosave"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.directory, ignore_errors=True)


def _pong(port: int) -> bool:
    result = subprocess.run(
        ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() == "PONG"


def _cluster_port() -> int:
    """A free port whose cluster bus port (+10000) is free and valid too."""
    while True:
        port = free_port()
        if port + 10000 > 65535:
            continue
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port + 10000)) != 0:
                return port
