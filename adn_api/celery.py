"""The Celery app. Configuration comes from Django settings (the CELERY_ namespace).

Three adjustments are made here rather than in settings, because they act on Celery and kombu
themselves:

- The embedded default (no broker: tasks run in-process) uses kombu's in-memory transport.
- A worker's broker connection waits longer on a slow Redis than a web process does
  (``REDIS_WORKER_SOCKET_TIMEOUT`` instead of ``REDIS_SOCKET_TIMEOUT``): a web request must not
  wait on Redis, a worker that gives up too soon only drops and remakes its connection.
- A workaround for a kombu/Celery bug that made a worker exit when Redis went away while a task
  was in flight (``reclose_half_closed_default_channel`` below).
"""

import os

from celery import Celery, signals
from django.conf import settings
from kombu.connection import Connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adn_api.settings")

app = Celery("adn_api")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def in_memory_broker_when_none(sender, **_kwargs) -> None:
    """The embedded default runs tasks in-process, but Celery 5.7 still takes a producer for
    each one, from a broker connection that, with no URL, warns "No hostname was supplied" on
    the first task; the in-memory transport needs no server and says nothing."""
    if not sender.conf.broker_url:
        sender.conf.broker_url = "memory://localhost/"


@signals.celeryd_init.connect
def worker_socket_timeout(conf, **_kwargs) -> None:
    """In a worker (sent before it connects, and before its pool forks)."""
    conf.broker_transport_options = {
        **conf.broker_transport_options,
        "socket_timeout": settings.REDIS_WORKER_SOCKET_TIMEOUT,
    }


# The bug (celery 5.7.0, kombu 5.7.0, Redis transport). When the broker connection is lost,
# Consumer.on_connection_error_after_connected calls ``connection.collect()`` and then (lately:
# Celery 5.5 only collected) ``connection.close()`` on the same connection. ``collect()`` closes
# the connection's channels and detaches the transport (``transport.client = None``). But closing
# the default channel fails half-way when it has a BRPOP outstanding -- which it has whenever a
# prefork worker has a process free for its next message: draining that BRPOP from the dead server
# raises ConnectionError before the channel is marked closed, ``maybe_close_channel`` swallows it,
# and the channel stays open, still holding the unacknowledged message of the task in flight (the
# transport's own close of its channels stops at the first that fails: the remote-control channel,
# deleting its broadcast queue). ``close()`` then closes the default channel again; this time it
# gets as far as restoring that message, which builds a Redis pool from ``self.connection.client``
# -- now None -- and raises AttributeError("'NoneType' object has no attribute 'hostname'"). That
# is neither a connection nor a channel error, so it escapes ``ignore_errors`` and the consumer,
# and the worker stops with "Unrecoverable error", exit code 1. An idle worker has no
# unacknowledged message, never builds a pool, and reconnects; so does a worker whose processes
# are all busy (it has no BRPOP outstanding), and a solo-pool worker (its task runs inside the
# event loop).
#
# The workaround: when a close of the connection leaves its default channel half-closed, close it
# once more at once, while the transport is still attached. The second close completes (its
# restore of the unacknowledged message fails against the dead server as any would: the message
# stays in Redis's unacked index, restored after the visibility timeout, and a fan-out's outbox
# row is swept again in any case), and every later close of that channel does nothing.
# tests/faults/test_broker_outage.py shows the bug with the workaround off, and fails when an
# upgrade fixes it upstream: then this can go. KOMBU_RECLOSE_WORKAROUND=0 turns it off.
_do_close_self = Connection._do_close_self


def reclose_half_closed_default_channel(self: Connection) -> None:
    _do_close_self(self)
    channel = self._default_channel
    if channel is not None and getattr(channel, "closed", True) is False:
        self.maybe_close_channel(channel)  # connection and channel errors are ignored


if os.environ.get("KOMBU_RECLOSE_WORKAROUND", "1") != "0":
    Connection._do_close_self = reclose_half_closed_default_channel
