"""The error value every dialect renders in its own shape, and the HTTP errors of the dialects'
own code (a malformed query string, a missing body field).

The domain never raises these: it refuses with ``core.errors.Refused``, which each dialect's
table turns into an ``ApiError`` (``adn_api/refusals.py``, ``diaspora/errors.py``). A dialect's
renderer decides whether an ``ApiError`` becomes an ADN/pnut ``meta`` object or a diaspora
``{"code", "message"}`` body.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from rest_framework import status
from rest_framework.exceptions import APIException


@dataclass
class ApiError:
    code: int
    message: str
    slug: str | None = None
    error_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def as_meta(self) -> dict:
        meta = {"code": self.code, "error_message": self.message, "error_id": self.error_id}
        if self.slug:
            meta["error_slug"] = self.slug
        return meta


class ApiException(APIException):
    """An exception that carries an HTTP status, a sentence for developers and an optional slug."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request was malformed."

    def __init__(
        self, message: str | None = None, *, code: int | None = None, slug: str | None = None
    ):
        super().__init__(message or self.default_detail)
        if code is not None:
            self.status_code = code
        self.slug = slug


class BadRequest(ApiException):
    status_code = 400


class Forbidden(ApiException):
    status_code = 403
    default_detail = "You are not allowed to do this."


class NotFound(ApiException):
    status_code = 404
    default_detail = "Not found."


class Unprocessable(ApiException):
    status_code = 422
