"""Health checks for load balancers and orchestrators: is each service this server needs
reachable (``/healthz``), and is it ready to serve (``/readyz``)?

Each check either returns (ok), returns a reason it does not apply (skipped: the embedded default
has no Redis and no broker), or raises (fail). Network checks give up after ``TIMEOUT_SECONDS``
so a probe answers while a service hangs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from adn_api.celery import app as celery_app
from core.redis_clients import CLUSTER_SCHEME, redis_client

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 1.0
REDIS_SCHEMES = {"redis", "rediss", "unix", CLUSTER_SCHEME}

Check = Callable[[], "str | None"]


def ping_redis(url: str) -> None:
    client = redis_client(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()


def database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_redis() -> str | None:
    if not settings.REDIS_URL:
        return "not configured: the cache is in-process"
    ping_redis(settings.REDIS_URL)
    return None


def broker() -> str | None:
    url = settings.CELERY_BROKER_URL
    if not url or celery_app.conf.task_always_eager:
        return "not configured: tasks run in-process"
    if urlsplit(url).scheme in REDIS_SCHEMES:
        ping_redis(url)
        return None
    # Another kombu transport: let kombu connect to it.
    with celery_app.connection_for_write(connect_timeout=TIMEOUT_SECONDS) as conn:
        conn.connect()
    return None


_migrated = False


def migrations() -> None:
    """Every migration the code has is applied. Once true it stays true for this process (a
    deploy with new migrations starts new processes), so the migration files are read once."""
    global _migrated
    if _migrated:
        return
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        pending = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise RuntimeError(f"{len(plan)} unapplied migration(s): {pending}")
    _migrated = True


def run(checks: dict[str, Check]) -> tuple[bool, dict]:
    """Run every check; the body names each part's state and which parts failed."""
    results: dict[str, dict] = {}
    for name, check in checks.items():
        started = time.monotonic()
        try:
            skipped = check()
        except Exception as error:  # any failure of a part is that part's "fail"
            logger.warning("health check %s failed", name, exc_info=True)
            result = {"status": "fail", "error": _describe(error)}
        else:
            result = {"status": "skipped", "reason": skipped} if skipped else {"status": "ok"}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    failing = [name for name, result in results.items() if result["status"] == "fail"]
    body = {"status": "fail" if failing else "ok", "checks": results}
    if failing:
        body["failing"] = failing
    return not failing, body


def _describe(error: Exception) -> str:
    # Unauthenticated callers see the kind of failure, not hosts, ports or credentials; the
    # log line above has the whole of it.
    if isinstance(error, RuntimeError):
        return str(error)
    return type(error).__name__


LIVENESS: dict[str, Check] = {"database": database, "redis": cache_redis, "broker": broker}
READINESS: dict[str, Check] = {"database": database, "migrations": migrations}
