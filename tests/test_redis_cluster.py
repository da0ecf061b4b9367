"""REDIS_URL naming a Redis Cluster (core/redis_clients.py): a real 3-node cluster the test
starts on loopback ports. The repost dedupe claims a whole batch in one script (its keys share
the original's hash slot), the cache and the rate limit run on it, and a real worker's fan-out
dedupes through it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from redis.exceptions import RedisClusterException, ResponseError

from core.redis_clients import ClusterRedisCache, redis_client
from streams.dedupe import CLAIM, RedisDedupe

from .processes import PrivateRedisCluster, call, celery_worker, web_server
from .test_fanout import fanned_out

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateRedisCluster]:
    servers = PrivateRedisCluster()
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


def test_the_dedupe_claims_a_batch_in_one_slot(cluster):
    client = redis_client(cluster.url)
    dedupe = RedisDedupe(client, ttl=60, prefix="t:")
    owners = list(range(1, 2001))
    assert dedupe.claim(owners, 77, 500) == owners
    assert dedupe.claim(owners, 77, 501) == []  # another repost of 77: all shown already
    assert dedupe.claim(owners, 77, 500) == owners  # a replayed batch delivers again
    assert dedupe.claim(owners[:3], 78, 502) == owners[:3]
    slots = {client.keyslot(f"t:shown:{{77}}:{owner}") for owner in owners}
    assert len(slots) == 1
    # Why the tag: untagged keys of many followers span nodes, which a cluster refuses.
    script = client.register_script(CLAIM)
    with pytest.raises((RedisClusterException, ResponseError)):
        script(keys=[f"t:shown:{owner}:77" for owner in owners[:50]], args=[1, 60])


def test_the_cache_works_across_the_clusters_nodes(cluster):
    cache = ClusterRedisCache(cluster.url, {"KEY_PREFIX": "t"})
    values = {f"key{i}": i for i in range(50)}  # many keys: many slots, every node
    cache.set_many(values, timeout=60)
    assert cache.get_many(list(values)) == values
    assert cache.incr("key1", 5) == 6
    assert cache.add("key1", 0) is False and cache.add("fresh", 1) is True
    cache.delete_many(list(values))
    assert cache.get_many(list(values)) == {}
    assert cache.get("fresh") == 1


@pytest.mark.django_db(transaction=True)
def test_rate_limits_and_a_workers_fan_out_run_on_the_cluster(cluster, make_user, token_for):
    author, sharer, reader, other = (make_user(n) for n in ("author", "sharer", "reader", "other"))
    env = {
        "REDIS_URL": cluster.url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,  # kombu cannot use a cluster
        "RATE_LIMIT": "12/minute",
    }
    tokens = {u.username: token_for(u) for u in (author, sharer, reader, other)}
    with web_server(**env) as base, celery_worker(**env):
        for who, whom in (("reader", author), ("reader", sharer), ("other", sharer)):
            assert call("POST", f"{base}/stream/0/users/{whom.pk}/follow", tokens[who])[0] == 200
        status, body = call("POST", f"{base}/stream/0/posts", tokens["author"], {"text": "hi"})
        assert status == 200, body
        original = body["data"]["id"]
        fanned_out(original)
        status, body = call("POST", f"{base}/stream/0/posts/{original}/repost", tokens["sharer"])
        assert status == 200, body
        repost = body["data"]["id"]
        fanned_out(repost)

        def stream(who: str) -> list[str]:
            status, body = call("GET", f"{base}/stream/0/posts/stream", tokens[who])
            assert status == 200, body
            return [p["id"] for p in body["data"]]

        assert stream("reader") == [original]  # shown the original: the repost withheld
        assert stream("other") == [repost]
        client = redis_client(cluster.url)
        pattern = f"{settings.REPOST_DEDUPE_KEY_PREFIX}shown:{{{original}}}:*"
        assert len(list(client.scan_iter(match=pattern))) == 1  # other's delivery, on the cluster
        # The rate limit counts in the cluster: past 12 requests in the minute, refused.
        path = f"{base}/stream/0/posts/stream"
        statuses = [call("GET", path, tokens["other"])[0] for _ in range(12)]
        assert statuses[0] == 200 and statuses[-1] == 429
