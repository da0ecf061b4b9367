"""A Redis client for ``REDIS_URL``, one server or a Redis Cluster: ``redis+cluster://host:port``
names any node of a cluster (redis-py's ``RedisCluster`` finds the rest). The repost dedupe, the
cache and the rate limits (which live in the cache) all take their client from here.

In a cluster a command (or a Lua script) may touch keys of one hash slot only; the dedupe's keys
are tagged by the original post (``shown:{A}:owner``) so that one batch's are. The cache's
``get_many``/``set_many`` span slots, so the cluster's cache client runs them key by key in one
pipeline, which redis-py sends to each node.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.cluster import RedisCluster

CLUSTER_SCHEME = "redis+cluster"


def is_cluster(url: str) -> bool:
    return urlsplit(url).scheme == CLUSTER_SCHEME


def redis_client(url: str, **options) -> redis.Redis | RedisCluster:
    """A client of the server or cluster ``url`` names (redis-py's connection options)."""
    if is_cluster(url):
        node = urlunsplit(urlsplit(url)._replace(scheme="redis"))
        return RedisCluster.from_url(node, **options)
    return redis.Redis.from_url(url, **options)


class PooledCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection pool: Django's
    makes a new one for every command, and building one (its table of ~170 response callbacks)
    cost more Python time than the command itself on every request (the rate limit, the
    rendered-post cache). A ``redis.Redis`` over a pool is safe to share between threads."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients: dict[int, redis.Redis] = {}

    def get_client(self, key=None, *, write=False) -> redis.Redis:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PooledRedisCache(RedisCache):
    """``CACHES``' backend for one Redis server (``PooledCacheClient``)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledCacheClient


class ClusterCacheClient(RedisCacheClient):
    """Django's Redis cache client over one ``RedisCluster`` (which keeps a pool per node)."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._options = {k: v for k, v in options.items() if k.startswith("socket_")}
        self._cluster: RedisCluster | None = None

    def get_client(self, key=None, *, write=False) -> RedisCluster:
        if self._cluster is None:
            self._cluster = redis_client(self._servers[0], **self._options)
        return self._cluster

    def get_many(self, keys):
        values = self.get_client().mget_nonatomic(keys)
        return {k: self._serializer.loads(v) for k, v in zip(keys, values, strict=True) if v}

    def set_many(self, data, timeout):
        pipeline = self.get_client().pipeline()
        for key, value in data.items():
            pipeline.set(key, self._serializer.dumps(value), ex=timeout)
        pipeline.execute()

    def clear(self):
        return bool(self.get_client().flushdb(target_nodes=RedisCluster.PRIMARIES))


class ClusterRedisCache(RedisCache):
    """``CACHES``' backend when ``REDIS_URL`` names a cluster."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClusterCacheClient
