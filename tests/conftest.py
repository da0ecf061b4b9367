"""Fixtures shared by the API tests: users, an OAuth app, tokens and a JSON client."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIClient

from adn_api.oauth.tokens import create_app, issue_token
from messaging import rendered as messaging_rendered
from users.models import User

# The files tests' stores (the local disk, S3 at a moto server), for any test module to ask for.
from .file_backends import file_backend, s3_server  # noqa: E402,F401

ALL_SCOPES = [
    "basic",
    "stream",
    "write_post",
    "follow",
    "update_profile",
    "public_messages",
    "messages",
    "files",
    "email",
    "export",
]


def delete_matching(client: redis.Redis, patterns: Iterable[str]) -> int:
    """Delete the keys matching these glob patterns (SCAN, never KEYS or FLUSHDB)."""
    deleted = 0
    for pattern in patterns:
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                deleted += client.unlink(*batch)
                batch = []
        if batch:
            deleted += client.unlink(*batch)
    return deleted


def run_key_patterns() -> list[str]:
    """This run's keys in REDIS_URL: the cache's (``<prefix>:<version>:<key>``) and the dedupe's."""
    cache_prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return [
        f"{redis_glob(cache_prefix)}:*",
        f"{redis_glob(settings.REPOST_DEDUPE_KEY_PREFIX)}shown:*",
    ]


def redis_glob(text: str) -> str:
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)


def clear_run_cache() -> None:
    """Empty this run's cache and dedupe keys, and only those: cache.clear() would FLUSHDB a
    Redis database other runs and people share."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        delete_matching(backend._cache.get_client(write=True), run_key_patterns())
    else:
        backend.clear()  # in-process (locmem): this run's own
    # This process's rendered messages: tests reuse ids and versions with other rows.
    messaging_rendered.LOCAL.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache (Redis in tests); each test starts with none, and
    # with no repost dedupe keys left by an earlier test.
    clear_run_cache()
    yield


def forget_run_tasks(client: redis.Redis, queue: str) -> None:
    """Drop this run's queue (kombu keeps it as a list of that name, one per priority), its
    exchange binding, and its messages in the transport's shared unacknowledged index."""
    name = redis_glob(queue)
    delete_matching(
        client,
        [
            name,
            f"{name}\x06\x16*",  # kombu's priority queues: name, separator, priority
            f"_kombu.binding.{name}",
            f"_kombu.binding_permanent.{name}",
        ],
    )
    client.zrem("_kombu.binding_deadlines", queue)
    for tag, raw in client.hscan_iter("unacked"):
        with contextlib.suppress(ValueError, TypeError, IndexError):
            _message, exchange, routing_key = json.loads(raw)
            if queue in (exchange, routing_key):
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    # The remote-control bindings of this run's workers (named after the run: tests/processes.py).
    for binding in client.scan_iter(match="_kombu.binding*pidbox", count=1000):
        for member in client.smembers(binding):
            if f"{queue}@".encode() in member:
                client.srem(binding, member)


@pytest.fixture(autouse=True, scope="session")
def _run_cleanup():
    """At the end of the run: delete its keys in Redis, its Celery queue and its directory of
    uploaded files (pytest-django drops its database)."""
    yield
    media = Path(settings.MEDIA_ROOT)
    if os.environ.get("ADN_TEST_RUN_ID", "-") in media.name:  # the run's own, never another
        shutil.rmtree(media, ignore_errors=True)
    if settings.REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        client = redis.Redis.from_url(settings.REDIS_URL)
        with contextlib.closing(client):
            delete_matching(client, run_key_patterns())
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://", "unix://")):
        client = redis.Redis.from_url(broker)
        with contextlib.closing(client):
            for queue in (settings.CELERY_TASK_DEFAULT_QUEUE, settings.FANOUT_QUEUE):
                forget_run_tasks(client, queue)


@pytest.fixture
def oauth_app(db):
    app, _secret = create_app(
        "Test app",
        link="https://client.example.com",
        redirect_uris="https://client.example.com/callback",
        password_flow=True,
    )
    return app


@pytest.fixture
def make_user(db):
    def make(username: str, **fields) -> User:
        return User.objects.create_user(
            username=username,
            password=f"pw-{username}-secret",
            email=f"{username.lower()}@example.com",
            **fields,
        )

    return make


@pytest.fixture
def alice(make_user) -> User:
    return make_user("alice")


@pytest.fixture
def bob(make_user) -> User:
    return make_user("bob")


@pytest.fixture
def carol(make_user) -> User:
    return make_user("carol")


@pytest.fixture
def token_for(oauth_app):
    def token(user: User | None, scopes: list[str] | None = None) -> str:
        return issue_token(user, oauth_app, ALL_SCOPES if scopes is None else scopes)

    return token


class Api:
    """A client that speaks to the API as an app would: JSON in, parsed envelope out."""

    def __init__(self):
        self.client = APIClient()

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        data=None,
        headers: dict | None = None,
        as_json: bool = True,
        **params,
    ):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if params:
            query = "&".join(f"{k}={v}" for k, v in params.items())
            path = f"{path}{'&' if '?' in path else '?'}{query}"
        kwargs = {}
        if data is not None:
            if as_json:
                kwargs = {"data": json.dumps(data), "content_type": "application/json"}
            else:
                kwargs = {"data": data}
        return getattr(self.client, method.lower())(path, **kwargs, **extra)

    def post_raw(self, path: str, token: str, body: str):
        """POST a body exactly as given (malformed JSON, a JSON list) as application/json."""
        return self.client.post(
            path, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    def get(self, path, token=None, **params):
        return self.call("GET", path, token, **params)

    def post(self, path, token=None, data=None, **params):
        return self.call("POST", path, token, data, **params)

    def put(self, path, token=None, data=None, **params):
        return self.call("PUT", path, token, data, **params)

    def patch(self, path, token=None, data=None, **params):
        return self.call("PATCH", path, token, data, **params)

    def delete(self, path, token=None, **params):
        return self.call("DELETE", path, token, **params)


@pytest.fixture
def api(db) -> Api:
    return Api()
