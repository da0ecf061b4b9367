"""What one process keeps of answers whose keys name every version they depend on.

A rendered post (``adn_api/rendered.py``) is keyed by the versions of the rows it shows, and a
viewer's relations (``users/services/viewer.py``) by the viewer's row version: a change of any
input gives a new key, so a copy kept in the process is never stale, and reading it costs no
round trip to Redis or PostgreSQL. Each cache holds at most ``size`` entries (the oldest goes
first) and belongs to its process; a thread may read and write it (dict operations are atomic).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

_caches: list[LocalCache] = []


class LocalCache:
    def __init__(self, size: int):
        self.size = size
        self.entries: dict[Hashable, Any] = {}
        _caches.append(self)

    def get(self, key: Hashable) -> Any | None:
        return self.entries.get(key)

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, Any]:
        entries = self.entries
        return {key: entries[key] for key in keys if key in entries}

    def set_many(self, values: dict[Hashable, Any]) -> None:
        if not self.size:
            return
        entries = self.entries
        entries.update(values)
        while len(entries) > self.size:
            entries.pop(next(iter(entries)), None)

    def set(self, key: Hashable, value: Any) -> None:
        self.set_many({key: value})

    def clear(self) -> None:
        self.entries.clear()


def clear_all() -> None:
    """Forget every local cache's entries: tests whose databases reuse ids and versions."""
    for cache in _caches:
        cache.clear()
