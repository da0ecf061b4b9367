"""One log line per request: request id, user id, method, path, status and duration."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.utils.functional import SimpleLazyObject

from . import request_log

logger = logging.getLogger("operations.requests")

# A caller's id is kept only if it is short and harmless in a header and a log line.
CALLER_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")


def request_id_for(request) -> str:
    """The id a proxy or client sent in ``X-Request-ID``, or a new one."""
    sent = request.headers.get("X-Request-ID", "")
    return sent if CALLER_REQUEST_ID.match(sent) else uuid.uuid4().hex


def authenticated_user_id(request) -> int | None:
    """The user the request was served as, without looking anyone up just to log them: a DRF
    view puts the token's user on the request; a session user counts once something (the admin)
    has loaded it (``_cached_user`` is where Django's lazy ``request.user`` keeps it)."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = request_id_for(request)
        id_token = request_log.request_id.set(request.request_id)
        user_token = request_log.user_id.set(None)
        try:
            response = self.get_response(request)
            user = authenticated_user_id(request)
            request_log.user_id.set(user)
            response["X-Request-ID"] = request.request_id
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            logger.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "request_id": request.request_id,
                    "user_id": user,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_log.user_id.reset(user_token)
            request_log.request_id.reset(id_token)
