"""Checking the ids and text that reach the domain from any dialect."""

from __future__ import annotations

from .errors import invalid

MAX_ID = 2**63 - 1


def parse_id(value: str, name: str) -> int:
    """A positive 64-bit id given as decimal digits; anything else is the client's error."""
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        raise invalid(f"{name} must be a positive integer id, not {value[:40]!r}.")
    # The length first: int() refuses more than 4,300 digits (a 500, not a 400).
    if len(value.lstrip("0")) > 19 or int(value) > MAX_ID:
        raise invalid(f"{name} {value[:40]} is out of range: ids go up to {MAX_ID}.")
    return int(value)


def parse_guid(value: str) -> str | None:
    """A guid as diaspora names posts and comments: 32 hex digits (case-insensitive), or None
    for anything else — which then matches nothing, and never reaches the database (a NUL
    there is an error of its own)."""
    guid = value.strip().lower()
    if len(guid) != 32 or not all(ch in "0123456789abcdef" for ch in guid):
        return None
    return guid


def storable_text(value: str) -> bool:
    """PostgreSQL stores neither NUL characters nor lone surrogates (JSON allows both)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def flag_value(value, name: str) -> bool:
    """A boolean as JSON (true/false, 0/1) or a form ("1", "true", ...) sends it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {"0", "1", "true", "false", ""}:
        return value.strip().lower() in {"1", "true"}
    raise invalid(f"{name} must be true or false (or 1 or 0).")
