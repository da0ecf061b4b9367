"""The Celery app. Configuration comes from Django settings (the CELERY_ namespace).

A worker's broker connection waits longer on a slow Redis than a web process does
(``REDIS_WORKER_SOCKET_TIMEOUT`` instead of ``REDIS_SOCKET_TIMEOUT``): a web request must not
wait on Redis, a worker that gives up too soon only drops and remakes its connection.
"""

import os

from celery import Celery, signals
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adn_api.settings")

app = Celery("adn_api")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.celeryd_init.connect
def worker_socket_timeout(conf, **_kwargs) -> None:
    """In a worker (sent before it connects, and before its pool forks)."""
    conf.broker_transport_options = {
        **conf.broker_transport_options,
        "socket_timeout": settings.REDIS_WORKER_SOCKET_TIMEOUT,
    }
