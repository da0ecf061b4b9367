"""Middleware that keeps API paths speaking JSON even when Django itself answers."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError

from .dialects import renderer_for_path
from .envelope import error_response
from .errors import ApiError
from .exceptions import DATABASE_DOWN, RETRY_AFTER_DATABASE

logger = logging.getLogger("adn_api.errors")


class ApiErrorMiddleware:
    """An exception escaping a view on an API path becomes that dialect's enveloped 500, never
    Django's HTML page. Also adds the rate-limit headers the throttle recorded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        ratelimit = getattr(request, "ratelimit", None)
        if ratelimit is not None and getattr(request, "ratelimit_authenticated", False):
            limit, remaining, reset = ratelimit
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = str(remaining)
            response["X-RateLimit-Reset"] = str(reset)
        return response

    def process_exception(self, request, exception):
        renderer = renderer_for_path(request.path)
        if renderer is None:
            return None
        if isinstance(exception, OperationalError | InterfaceError):
            response = error_response(renderer, ApiError(503, DATABASE_DOWN), request)
            response["Retry-After"] = RETRY_AFTER_DATABASE
            return response
        error = ApiError(
            500, "An unexpected server error occurred; quote the error_id if you report it."
        )
        logger.error(
            "unhandled exception error_id=%s path=%s",
            error.error_id,
            request.path,
            exc_info=exception,
        )
        return error_response(renderer, error, request)
