"""How App.net (and pnut, which follows it) answers a domain refusal: one status per reason, in
the envelope, with the domain's own sentence as ``error_message``."""

from __future__ import annotations

from core.errors import Reason, Refused

from .errors import ApiError

STATUS = {
    Reason.INVALID: 400,
    Reason.OWN_POST: 400,  # App.net refused reposting one's own post with a 400
    Reason.BLOCKED: 403,
    Reason.NOT_ALLOWED: 403,
    Reason.NOT_FOUND: 404,
    Reason.DELETED: 404,
    Reason.ALREADY_DONE: 409,
    Reason.TOO_LARGE: 413,
    Reason.OVER_QUOTA: 507,  # App.net's "insufficient storage" (ADNpy raises on it)
    Reason.UNAVAILABLE: 503,
}


def envelope_refusal(refused: Refused, action: str | None = None) -> ApiError:
    return ApiError(STATUS[refused.reason], refused.message)
