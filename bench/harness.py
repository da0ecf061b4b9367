"""What the benches share: a seeded bench database, real processes, gunicorn measured by wrk.

A bench database is created, migrated and filled by ``manage.py seed_demo`` the first time, and
reused afterwards: the seed's arguments are kept as the database's comment, so a database seeded
with other sizes (or holding anything else) is never reused by mistake, nor wiped unless asked.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/adn"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

# ≥ 1,000,000 stream rows, and a celebrity with 10,000 followers for the fan-out bench.
LARGE = [
    "--users",
    "1000",
    "--posts-per-user",
    "20",
    "--follows-per-user",
    "50",
    "--reposts",
    "2000",
    "--celebrity-followers",
    "10000",
    "--seed",
    "1",
]
# The same shape of user (as many follows and posts: streams as long) in a tenth of the rows.
SMALL = [
    "--users",
    "100",
    "--posts-per-user",
    "20",
    "--follows-per-user",
    "50",
    "--reposts",
    "200",
    "--celebrity-followers",
    "1000",
    "--seed",
    "1",
]

# ≥ 1,000,000 posts for bench/search: many posts per user, few follows (the stream table stays
# near a million rows too), no celebrity.
POSTS_1M = [
    "--users",
    "1000",
    "--posts-per-user",
    "1000",
    "--follows-per-user",
    "1",
    "--reposts",
    "1000",
    "--celebrity-followers",
    "0",
    "--seed",
    "1",
]


def database_url() -> str:
    """The benches' own database: DATABASE_URL's server, its name + ``_bench`` (``adn_bench`` on
    127.0.0.1 by default). A bench never fills, or with --reseed drops, the server's database."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The database benches need PostgreSQL: set DATABASE_URL=postgres://…")
    return url if _name(url).endswith("_bench") else sibling_database(url, "_bench")


def sibling_database(url: str, suffix: str) -> str:
    """The URL of another database on the same server: ``adn_bench`` → ``adn_bench_100k``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + suffix))


def use_environment(db_url: str) -> dict[str, str]:
    """Point this process (and the processes it starts) at the bench's database and Redis.
    Tasks go to a queue of the bench's own, so a worker sharing the broker never takes them."""
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "adn_api.settings",
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or redis_url,
            "CELERY_QUEUE": "bench",
            "DEBUG": "0",
            # A bench server is not a deployment: any key passes adn_api.checks.
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret-key",
        }
    )
    return dict(os.environ)


def _server_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _comment(url: str) -> str | None:
    with psycopg.connect(_server_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [_name(url)],
        ).fetchone()
    return None if row is None else (row[0] or "")


def _create(url: str, *, drop: bool) -> None:
    name = psycopg.sql.Identifier(_name(url))
    with psycopg.connect(_server_url(url), autocommit=True) as conn:
        if drop:
            conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(name))


def manage(db_url: str, *args: str) -> None:
    env = use_environment(db_url)
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def seeded_database(url: str, seed_args: list[str], *, reseed: bool) -> str:
    """``url``'s database, migrated and seeded with ``seed_args`` (created if missing)."""
    return prepared_database(
        url,
        "seed_demo " + " ".join(seed_args),
        lambda: manage(url, "seed_demo", *seed_args),
        reseed=reseed,
    )


def prepared_database(url: str, signature: str, fill: Callable[[], None], *, reseed: bool) -> str:
    """``url``'s database, migrated and filled once by ``fill`` (created if missing); the
    ``signature`` kept as its comment tells a later run it may reuse it."""
    comment = _comment(url)
    if comment is None or reseed:
        _create(url, drop=comment is not None)
    elif comment not in ("", signature):
        raise SystemExit(
            f"{_name(url)} was filled otherwise ({comment!r}); pass --reseed to drop and "
            "fill it again."
        )
    manage(url, "migrate", "--verbosity", "0")
    if _comment(url) != signature:
        print(f"filling {_name(url)}: {signature} (once; later runs reuse it)", flush=True)
        try:
            fill()
        except subprocess.CalledProcessError:
            raise SystemExit(
                f"{_name(url)} could not be filled (see above); --reseed drops it and starts again."
            ) from None
        with psycopg.connect(url) as conn:
            conn.execute(
                psycopg.sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    psycopg.sql.Identifier(_name(url)), psycopg.sql.Literal(signature)
                )
            )
    return url


def wait_for(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise SystemExit(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def process(
    command: list[str], env: dict[str, str], ready: Callable[[str], bool], what: str
) -> Iterator[Path]:
    """A child process in its own session, stopped (SIGTERM, then SIGKILL) on the way out;
    yields the path of its log (removed afterwards) once ``ready(log text)`` holds."""
    log = Path(tempfile.mkstemp(prefix="bench-", suffix=".log")[1])
    with log.open("w") as out:
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for(
            lambda: child.poll() is not None or ready(log.read_text(errors="replace")), 60, what
        )
        if child.poll() is not None:
            raise SystemExit(f"{what} failed:\n{log.read_text(errors='replace')[-3000:]}")
        yield log
    finally:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait(5)
        log.unlink(missing_ok=True)


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def migrated_database(url: str) -> str:
    """``url``'s database, created if missing and migrated, with no seed (bench/files)."""
    if _comment(url) is None:
        _create(url, drop=False)
    manage(url, "migrate", "--verbosity", "0")
    return url


@dataclass
class Server:
    """A gunicorn serving the project, and the token its requests carry."""

    base: str = ""
    token: str = ""

    def get(self, path: str) -> dict:
        request = urllib.request.Request(
            self.base + path, headers={"Authorization": f"Bearer {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def answers(self, path: str) -> bool:
        try:
            return self.get(path)["meta"]["code"] == 200
        except OSError:
            return False


def gunicorn(
    stack: ExitStack,
    server: Server,
    env: dict[str, str],
    *,
    workers: int | None = None,
    threads: int | None = None,
) -> None:
    """Serve the project as deployed (deploy/gunicorn.conf.py: sync workers, 2 per core + 1) on
    127.0.0.1, neither recycling nor lazily loading workers in the middle of a measurement,
    with a one-second rate-limit window and no log line per request; sets ``server.base``."""
    port = free_port()
    env = {**env, "RATE_LIMIT": "1000000/second", "LOG_LEVEL": "WARNING"}
    expected = workers or min(2 * os.cpu_count() + 1, 9)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config=deploy/gunicorn.conf.py",
        f"--bind=127.0.0.1:{port}",
        *([f"--workers={workers}"] if workers else []),
        *([f"--threads={threads}"] if threads else []),
        "--max-requests=0",
        "--preload",  # every worker starts with the application loaded
        "--log-level=info",
    ]
    stack.enter_context(
        process(command, env, lambda log: log.count("Booting worker") >= expected, "gunicorn")
    )
    server.base = f"http://127.0.0.1:{port}"
    wait_for(lambda: server.answers("/stream/0/config"), 180, "gunicorn to answer", poll=0.5)


def wrk(server: Server, path: str, seconds: int, connections: int) -> float:
    """Requests per second; every response must have been a 200."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-H",
            f"Authorization: Bearer {server.token}",
            server.base + path,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"{match.group(1)} responses to {path} were not 200:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def measure(
    jobs: list[tuple[str, Server, str]], *, rounds: int, duration: int, connections: int
) -> dict[str, float]:
    """The median requests/s of each job, measured in turns (ABAB…, so that a change in the
    machine's load hits all alike) after a warm-up of each."""
    for _, server, path in jobs:
        wrk(server, path, 2, connections)
    results: dict[str, list[float]] = {name: [] for name, _, _ in jobs}
    for n in range(1, rounds + 1):
        for name, server, path in jobs:
            results[name].append(wrk(server, path, duration, connections))
        print(
            f"round {n}: " + ", ".join(f"{k} {v[-1]:,.0f} req/s" for k, v in results.items()),
            flush=True,
        )
    return {name: statistics.median(values) for name, values in results.items()}
