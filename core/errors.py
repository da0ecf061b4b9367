"""Refusals: how a domain function says no, with a reason and no HTTP.

A domain function raises ``Refused(Reason.BLOCKED, "…")``; each dialect maps the reason to its
own status, error shape and wording in one table (``adn_api/refusals.py``, ``diaspora/errors.py``),
so a new refusal never changes a dialect's answers by accident.
"""

from __future__ import annotations

from enum import Enum


class Reason(Enum):
    INVALID = "invalid"  # the input is malformed or out of range; the message says how
    NOT_FOUND = "not found"  # no such object, or one the caller may not see
    DELETED = "deleted"  # the object was there and has been deleted
    OWN_POST = "own post"  # the action makes no sense on one's own post (reposting it)
    BLOCKED = "blocked"  # a block between the caller and the other user forbids it
    NOT_ALLOWED = "not allowed"  # the caller has no right to this object (someone else's)
    ALREADY_DONE = "already done"  # the action was done before (a second report)
    TOO_LARGE = "too large"  # the upload is over the size limit of one file
    OVER_QUOTA = "over quota"  # the upload would take the user's storage past their quota
    UNAVAILABLE = "unavailable"  # a service behind the domain (the file store) is down


class Refused(Exception):
    """A domain function's no: ``reason`` (and what it is about, ``subject``) for the dialects'
    tables, ``message`` for people."""

    def __init__(self, reason: Reason, message: str, *, subject: str = "post"):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.subject = subject  # "post", "comment", "user": diaspora words each apart


def invalid(message: str) -> Refused:
    return Refused(Reason.INVALID, message)
