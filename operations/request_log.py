"""The request being served, as context for every log line written while serving it.

The id and user live in context variables set by ``RequestLogMiddleware``; the filter copies them
onto each record, so a line logged deep in a service (an error id, a fan-out warning) carries the
request id the client saw in ``X-Request-ID``.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")
user_id: ContextVar[int | None] = ContextVar("user_id", default=None)


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        if not hasattr(record, "user_id"):
            record.user_id = user_id.get()
        return True
