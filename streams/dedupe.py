"""The one-week repost dedupe: "was this follower shown post A, or a repost of A, recently?"

Two halves, so that an original costs Redis nothing:

- **Shown in the stream**: whichever way A or a repost of A reached a stream (fan-out, a follow's
  merge, a mention merged into the personal stream), the row is there with its delivery time.
  ``already_shown`` asks the stream table, over its (owner, post) index, for the owners of a
  batch holding such a row delivered within the window. An original's fan-out writes no key.
- **Claimed in Redis**: two reposts of A fanned out at once could both find nothing in the
  stream, so each repost's batch also claims its owners with ``SET NX`` -- atomic per key -- in
  one Lua script (one command and one reply for thousands of keys). Keys exist only for the
  deliveries of reposts, expire with the window, and are hash-tagged by the original
  (``shown:{A}:owner``), so one batch is one Redis Cluster slot. A replayed batch (a worker
  killed mid fan-out) finds its own id in the key and delivers again; the stream's unique
  constraint makes that harmless.

Redis holds the keys in production; the embedded default keeps them in process memory.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from functools import cache

import redis
from django.conf import settings
from django.db import connection

from core.redis_clients import RedisCluster, redis_client
from posts.models import Post

from .models import StreamItem


def _key(owner_id: int, original_id: int, prefix: str = "") -> str:
    # {original}: Redis Cluster hashes only the tag, so a batch's keys share one slot.
    return f"{prefix}shown:{{{original_id}}}:{owner_id}"


# KEYS: one per owner. ARGV: the post's id, the expiry in seconds. 1 where the post may be shown.
CLAIM = """
local shown = {}
for i, key in ipairs(KEYS) do
    if redis.call("SET", key, ARGV[1], "NX", "EX", ARGV[2]) then
        shown[i] = 1
    elseif redis.call("GET", key) == ARGV[1] then
        shown[i] = 1
    else
        shown[i] = 0
    end
end
return shown
"""


def showing_posts(original_id: int, post_id: int) -> list[int]:
    """The posts whose row shows a follower ``original_id``: it and its reposts, but not
    ``post_id`` itself (a replayed batch finds its own rows)."""
    reposts = Post.objects.filter(repost_of_id=original_id).exclude(pk=post_id)
    return [original_id, *reposts.values_list("id", flat=True)]


SHOWN = (
    "SELECT DISTINCT owner_id FROM {table} WHERE owner_id = ANY(%s) AND post_id = ANY(%s)"
    " AND NOT is_mention AND delivered_at > now() - make_interval(secs => %s)"
)


def already_shown(owner_ids: Sequence[int], showing: Sequence[int]) -> set[int]:
    """The owners whose personal stream got one of ``showing`` within the window."""
    if not owner_ids:
        return set()
    if connection.vendor != "postgresql":
        rows = StreamItem.objects.filter(
            owner_id__in=owner_ids, post_id__in=showing, is_mention=False
        ).values_list("owner_id", flat=True)
        return set(rows)  # the embedded default: no window (its keys live as long as the process)
    with connection.cursor() as cursor:
        cursor.execute(
            SHOWN.format(table=StreamItem._meta.db_table),
            [list(owner_ids), list(showing), settings.REPOST_DEDUPE_SECONDS],
        )
        return {owner for (owner,) in cursor.fetchall()}


class RedisDedupe:
    def __init__(self, client: redis.Redis | RedisCluster, ttl: int, prefix: str = ""):
        self.client = client
        self.ttl = ttl
        self.prefix = prefix  # settings.REPOST_DEDUPE_KEY_PREFIX: apart from others' keys
        self._claim = client.register_script(CLAIM)

    def claim(self, owner_ids: Sequence[int], original_id: int, post_id: int) -> list[int]:
        """The owners who may be shown ``post_id`` (a repost of ``original_id``)."""
        if not owner_ids:
            return []
        keys = [_key(owner_id, original_id, self.prefix) for owner_id in owner_ids]
        shown = self._claim(keys=keys, args=[post_id, self.ttl])
        return [owner_id for owner_id, ok in zip(owner_ids, shown, strict=True) if ok]


class MemoryDedupe:
    """The same rules in one process, for the embedded default (no Redis)."""

    def __init__(self, ttl: int):
        self.ttl = ttl
        self.keys: dict[str, tuple[int, float]] = {}
        self.lock = threading.Lock()

    def _holder(self, key: str, now: float) -> int | None:
        entry = self.keys.get(key)
        return entry[0] if entry and entry[1] > now else None

    def claim(self, owner_ids: Sequence[int], original_id: int, post_id: int) -> list[int]:
        now = time.monotonic()
        allowed = []
        with self.lock:
            for owner_id in owner_ids:
                key = _key(owner_id, original_id)
                holder = self._holder(key, now)
                if holder is None:
                    self.keys[key] = (post_id, now + self.ttl)
                if holder in (None, post_id):
                    allowed.append(owner_id)
        return allowed


@cache
def dedupe_store() -> RedisDedupe | MemoryDedupe:
    ttl = settings.REPOST_DEDUPE_SECONDS
    if settings.REDIS_URL:
        # One attempt, a short connect timeout: a Redis that is down fails the fan-out at once,
        # and the fan-out is tried again later (its task's retry, or the sweep). A claim of a
        # whole batch may take a while.
        client = redis_client(
            settings.REDIS_URL,
            socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
            socket_timeout=settings.REDIS_WORKER_SOCKET_TIMEOUT,
        )
        return RedisDedupe(client, ttl, settings.REPOST_DEDUPE_KEY_PREFIX)
    return MemoryDedupe(ttl)
