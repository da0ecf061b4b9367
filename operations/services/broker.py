"""The Celery queue as the broker holds it: how many tasks wait for a worker."""

from __future__ import annotations

from urllib.parse import urlsplit

import redis
from django.conf import settings

from adn_api.celery import app as celery_app

TIMEOUT_SECONDS = 1.0


class QueueDepthUnknown(Exception):
    """The depth cannot be read: tasks run in-process, or the broker is not Redis or is down."""


def queue_depth(queue: str | None = None) -> int:
    """Tasks waiting in ``queue`` (default: the queue tasks go to). kombu's Redis transport keeps
    a queue as a list of that name, so this is its ``LLEN``."""
    url = settings.CELERY_BROKER_URL
    if not url or celery_app.conf.task_always_eager:
        raise QueueDepthUnknown("tasks run in-process")
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise QueueDepthUnknown("the broker is not Redis")
    client = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        return client.llen(queue or settings.CELERY_TASK_DEFAULT_QUEUE)
    except redis.RedisError as error:
        raise QueueDepthUnknown("the broker is unreachable") from error
    finally:
        client.close()
