"""Read replicas: API reads go to ``DATABASE_REPLICA_URL`` when it is set, writes and the
viewer's own reads for a few seconds after a write to the primary (read-your-writes).

A replica lags the primary by a little; a client that has just posted, followed or starred and
then reads must see its own change, so a successful write by a viewer marks them in the cache
for ``READ_YOUR_WRITES_SECONDS`` and their reads meanwhile stay on the primary. Others' writes
may reach a reader that lag later, as they would a moment later anyway.

The choice is made per request, after authentication (``ApiView.initial``) -- the token itself
is always read from the primary -- and held in a context variable the router reads; the
middleware clears it when the request ends. Without a replica nothing here runs.
"""

from __future__ import annotations

import contextvars
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
REPLICA = "replica"
_reads: contextvars.ContextVar[str | None] = contextvars.ContextVar("reads", default=None)


def enabled() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads where the request says (the replica, or the primary by default); every write,
    migration and relation on the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        return _reads.get()

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the primary's very rows

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"


def _key(user_id: int) -> str:
    return f"wrote:{user_id}"


def read_from_replica(user_id: int | None) -> None:
    """This request's reads go to the replica, unless its viewer wrote in the last seconds (or
    the cache cannot say: then the primary, which is always right)."""
    if not enabled():
        return
    if user_id is not None:
        try:
            if cache.get(_key(user_id)):
                return
        except Exception:
            logger.warning("cache unreachable; reading from the primary", exc_info=True)
            return
    _reads.set(REPLICA)


def wrote(user_id: int) -> None:
    """A successful write by this viewer: their reads stay on the primary for a while."""
    if enabled():
        try:
            cache.set(_key(user_id), 1, settings.READ_YOUR_WRITES_SECONDS)
        except Exception:  # the write stands; reads may lag it for a moment
            logger.warning("cache unreachable; read-your-writes not recorded", exc_info=True)


def primary_reads() -> None:
    _reads.set(None)


class ReplicaMiddleware:
    """Each request starts and ends reading from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        primary_reads()
        try:
            return self.get_response(request)
        finally:
            primary_reads()
