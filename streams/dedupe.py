"""The one-week repost dedupe: "was this follower shown post A recently?"

One key per (follower, original post) with an expiry, holding the id of the post that showed it.
Claiming is ``SET NX`` — atomic per key — run for a whole batch by one Lua script: one command and
one reply for thousands of keys, where a pipeline of two commands a key spent most of a fan-out's
time packing and parsing them in Python. A replayed batch (a worker killed mid fan-out) finds its
own id in the key and delivers again, and the stream's unique constraint makes that harmless.

Redis holds the keys in production; the embedded default keeps them in process memory.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from functools import cache

import redis
from django.conf import settings


def _key(owner_id: int, original_id: int, prefix: str = "") -> str:
    return f"{prefix}shown:{owner_id}:{original_id}"


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
RECORD = """
for _, key in ipairs(KEYS) do
    redis.call("SET", key, ARGV[1], "EX", ARGV[2])
end
return #KEYS
"""


class RedisDedupe:
    def __init__(self, client: redis.Redis, ttl: int, prefix: str = ""):
        self.client = client
        self.ttl = ttl
        self.prefix = prefix  # settings.REPOST_DEDUPE_KEY_PREFIX: apart from others' keys
        self._claim = client.register_script(CLAIM)
        self._record = client.register_script(RECORD)

    def claim(self, owner_ids: Sequence[int], original_id: int, post_id: int) -> list[int]:
        """The owners who may be shown ``post_id`` (a repost of ``original_id``)."""
        if not owner_ids:
            return []
        keys = [_key(owner_id, original_id, self.prefix) for owner_id in owner_ids]
        shown = self._claim(keys=keys, args=[post_id, self.ttl])
        return [owner_id for owner_id, ok in zip(owner_ids, shown, strict=True) if ok]

    def record(self, owner_ids: Sequence[int], original_id: int, post_id: int) -> None:
        """Note that these owners were shown ``original_id`` itself."""
        if owner_ids:
            keys = [_key(owner_id, original_id, self.prefix) for owner_id in owner_ids]
            self._record(keys=keys, args=[post_id, self.ttl])


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

    def record(self, owner_ids: Sequence[int], original_id: int, post_id: int) -> None:
        expires = time.monotonic() + self.ttl
        with self.lock:
            for owner_id in owner_ids:
                self.keys[_key(owner_id, original_id)] = (post_id, expires)


@cache
def dedupe_store() -> RedisDedupe | MemoryDedupe:
    ttl = settings.REPOST_DEDUPE_SECONDS
    if settings.REDIS_URL:
        # One attempt (a client made from a URL does not retry), a short connect timeout: a
        # Redis that is down fails the fan-out at once, and the fan-out is tried again later
        # (its task's retry, or the sweep). A claim of a whole batch may take a while.
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
            socket_timeout=settings.REDIS_WORKER_SOCKET_TIMEOUT,
        )
        return RedisDedupe(client, ttl, settings.REPOST_DEDUPE_KEY_PREFIX)
    return MemoryDedupe(ttl)
