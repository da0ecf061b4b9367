"""The one-week repost dedupe: "was this follower shown post A recently?"

One key per (follower, original post) with an expiry, holding the id of the post that showed it.
Claiming is ``SET NX`` — atomic per key — sent for a whole batch in one pipeline. A replayed batch
(a worker killed mid fan-out) finds its own id in the key and delivers again, and the stream's
unique constraint makes that harmless.

Redis holds the keys in production; the embedded default keeps them in process memory.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from functools import cache

import redis
from django.conf import settings


def _key(owner_id: int, original_id: int) -> str:
    return f"shown:{owner_id}:{original_id}"


class RedisDedupe:
    def __init__(self, client: redis.Redis, ttl: int):
        self.client = client
        self.ttl = ttl

    def claim(self, owner_ids: Sequence[int], original_id: int, post_id: int) -> list[int]:
        """The owners who may be shown ``post_id`` (a repost of ``original_id``)."""
        pipe = self.client.pipeline(transaction=False)
        for owner_id in owner_ids:
            key = _key(owner_id, original_id)
            pipe.set(key, post_id, nx=True, ex=self.ttl)
            pipe.get(key)
        replies = pipe.execute()
        mine = str(post_id).encode()
        return [
            owner_id
            for owner_id, claimed, holder in zip(
                owner_ids, replies[0::2], replies[1::2], strict=True
            )
            if claimed or holder == mine
        ]

    def record(self, owner_ids: Sequence[int], original_id: int, post_id: int) -> None:
        """Note that these owners were shown ``original_id`` itself."""
        pipe = self.client.pipeline(transaction=False)
        for owner_id in owner_ids:
            pipe.set(_key(owner_id, original_id), post_id, ex=self.ttl)
        pipe.execute()


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
        return RedisDedupe(redis.Redis.from_url(settings.REDIS_URL), ttl)
    return MemoryDedupe(ttl)
