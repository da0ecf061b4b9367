"""DRF exception handler: every error, expected or not, becomes an ``ApiError`` response.

A domain refusal (``core.errors.Refused``) is worded by the view's dialect, from its one table
and the view's action for the method (``ApiView.actions``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.errors import Refused

from .errors import ApiError, ApiException
from .refusals import envelope_refusal

logger = logging.getLogger("adn_api.errors")


def _flatten_detail(detail) -> str:
    """Turn DRF's nested validation detail into one readable sentence."""
    if isinstance(detail, dict):
        parts = []
        for key, value in detail.items():
            text = _flatten_detail(value)
            parts.append(text if key == "non_field_errors" else f"{key}: {text}")
        return "; ".join(parts)
    if isinstance(detail, list):
        return " ".join(_flatten_detail(item) for item in detail)
    return str(detail)


DATABASE_DOWN = "The database is unavailable; try again in a few seconds."
RETRY_AFTER_DATABASE = "5"


def body_too_large(limit: int | None = None) -> ApiError:
    """A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (or an upload endpoint's own limit): refused
    before it is read (``adn_api.middleware.ApiErrorMiddleware``), or when Django's parsers
    find it so."""
    limit = limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(413, f"The request body is too large: the limit is {limit} bytes.")


def error_for_exception(exc: Exception, path: str | None = None) -> ApiError:
    """The error an exception is, in any dialect; ``path`` only goes in the log of a 500."""
    if isinstance(exc, OperationalError | InterfaceError):
        # PostgreSQL unreachable or restarting (or a deadlock): the client may retry.
        logger.warning("database unavailable: %s", exc)
        return ApiError(503, DATABASE_DOWN)
    if isinstance(exc, Refused):  # outside any view: App.net's wording
        return envelope_refusal(exc)
    if isinstance(exc, Http404):
        return ApiError(404, "The requested object was not found.")
    if isinstance(exc, PermissionDenied):
        return ApiError(403, "You are not allowed to do this.")
    if isinstance(exc, RequestDataTooBig):
        return body_too_large()
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return ApiError(400, f"The request has too many fields: the limit is {limit}.")
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return ApiError(400, f"The request has too many files: the limit is {limit}.")
    if isinstance(exc, DisallowedHost):
        return ApiError(400, "The Host header names a host this server does not serve.")
    if isinstance(exc, SuspiciousOperation):  # Django answers these 400 too, saying no more
        return ApiError(400, "The request was refused as malformed.")
    if isinstance(exc, ApiException):
        return ApiError(exc.status_code, _flatten_detail(exc.detail), exc.slug)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return ApiError(
            401, "Call requires authentication: pass a valid access token.", "invalid-token"
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        return ApiError(405, _flatten_detail(exc.detail))
    if isinstance(exc, exceptions.ParseError):
        return ApiError(400, f"Malformed request body: {_flatten_detail(exc.detail)}")
    if isinstance(exc, exceptions.APIException):
        return ApiError(exc.status_code, _flatten_detail(exc.detail))
    error = ApiError(
        500, "An unexpected server error occurred; quote the error_id if you report it."
    )
    logger.error("unhandled exception error_id=%s path=%s", error.error_id, path, exc_info=exc)
    return error


def envelope_exception_handler(exc: Exception, context: dict) -> Response:
    view, request = context.get("view"), context.get("request")
    if isinstance(exc, Refused) and view is not None:
        action = view.actions.get(request.method) if request is not None else None
        error = view.dialect.refusal(exc, action)
    else:
        error = error_for_exception(exc, request.path if request is not None else None)
    headers = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait) + 1)
    if error.code == status.HTTP_401_UNAUTHORIZED:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if error.code == status.HTTP_503_SERVICE_UNAVAILABLE:
        headers["Retry-After"] = RETRY_AFTER_DATABASE
    return Response(error, status=error.code, headers=headers)
