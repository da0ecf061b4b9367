"""Middleware that keeps API paths speaking JSON even when Django itself answers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, resolve

from .dialects import renderer_for_path
from .envelope import error_response
from .errors import ApiError
from .exceptions import RETRY_AFTER_DATABASE, body_too_large, error_for_exception


def declared_body_length(request) -> int:
    """The body's length as the client declared it (gunicorn has refused a malformed one)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def upload_limit(request) -> int | None:
    """The body limit of an endpoint that takes files (its view's ``max_body``), if it is one."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(getattr(match.func, "cls", None), "max_body", None)


def refused_before_reading(request) -> ApiError | None:
    """What Django's own middleware and parsers would refuse with an HTML page or a 500: a body
    over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (whatever its content type: Django exempts multipart
    file parts from the limit; an endpoint that takes files says its own), a Host not in
    ``ALLOWED_HOSTS``."""
    length = declared_body_length(request)
    # No body (every GET): no limit to look up (resolving the path costs up to 60 µs).
    max_body = (upload_limit(request) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE) if length else None
    if max_body is not None and length > max_body:
        return body_too_large(max_body)
    try:
        request.get_host()
    except DisallowedHost as exc:
        return error_for_exception(exc)
    return None


class ApiErrorMiddleware:
    """On an API path: what Django would refuse before the view (``refused_before_reading``) is
    the dialect's error before anything reads the body; an exception escaping a view is the
    dialect's error (a 500 unless it is a known one), never Django's HTML page. Also adds the
    rate-limit headers the throttle recorded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        renderer = renderer_for_path(request.path)
        refusal = refused_before_reading(request) if renderer is not None else None
        if refusal is not None:
            response = error_response(renderer, refusal, request)
            # Answered before CommonMiddleware, which would set it: a client still sending the
            # body it was refused knows where this answer ends.
            response["Content-Length"] = str(len(response.content))
            return response
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
        error = error_for_exception(exception, request.path)
        response = error_response(renderer, error, request)
        if error.code == 503:
            response["Retry-After"] = RETRY_AFTER_DATABASE
        return response


def http_server_error(path: str, status: int, message: str) -> bytes | None:
    """The body of an error the HTTP server answers without Django (gunicorn refusing a request
    line or a header too long: ``deploy/gunicorn.conf.py``), in the shape of the path's dialect;
    None off the API paths."""
    renderer = renderer_for_path(path)
    if renderer is None:
        return None
    return renderer.dumps(renderer.error_body(ApiError(status, message)), False)
