"""``/healthz`` and ``/readyz``: JSON, no authentication, 200 when all is well, else 503."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import health


def _answer(checks: dict[str, health.Check]) -> JsonResponse:
    ok, body = health.run(checks)
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_safe
def healthz(request) -> JsonResponse:
    """Every service the server needs (database, Redis, the Celery broker) answers."""
    return _answer(health.LIVENESS)


@never_cache
@require_safe
def readyz(request) -> JsonResponse:
    """The server can serve: the database answers and its schema is fully migrated."""
    return _answer(health.READINESS)
