"""The error shape of each dialect (CONTRACT §1, §8), checked one way for all the tests.

One core (the status is the error's ``code``, the body is JSON with exactly the dialect's keys,
the message is a non-empty string) and one function per shape:

- App.net and pnut: ``{"meta": {"code", "error_message", "error_id"[, "error_slug"]}}``, no
  ``data`` (``adn_api.errors.ApiError.as_meta``; pnut's renderer reuses App.net's error meta);
- diaspora: exactly ``{"code", "message"}``.

Each returns the error object (the ``meta``, or diaspora's body).
"""

from __future__ import annotations

ENVELOPE_KEYS = {"meta"}
DIASPORA_KEYS = {"code", "message"}


def assert_error(response, status: int, *, keys: set[str], within: str | None, message: str):
    """The shared core: ``status`` is the response's and the error's ``code``, the body is JSON
    with exactly ``keys``, and ``body[within][message]`` (or ``body[message]``) is a non-empty
    string. Returns the error object."""
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict) and set(body) == keys, body
    error = body[within] if within is not None else body
    assert error["code"] == status, error
    assert isinstance(error[message], str) and error[message], error
    return error


def assert_adn_error(response, status: int) -> dict:
    """App.net's error: only ``meta``, with ``code``, ``error_message`` and ``error_id``."""
    meta = assert_error(
        response, status, keys=ENVELOPE_KEYS, within="meta", message="error_message"
    )
    assert meta["error_id"], meta
    return meta


def assert_pnut_error(response, status: int) -> dict:
    """pnut's error: App.net's ``meta``-only envelope (pnut/renderers.py shares it)."""
    return assert_adn_error(response, status)


def assert_diaspora_error(response, status: int, message: str | None = None) -> dict:
    """diaspora's error: exactly ``{"code", "message"}``; ``message``, if given, is the text."""
    body = assert_error(response, status, keys=DIASPORA_KEYS, within=None, message="message")
    if message is not None:
        assert body["message"] == message, body
    return body


BY_RENDERER = {
    "ADNRenderer": assert_adn_error,
    "PnutRenderer": assert_pnut_error,
    "DiasporaRenderer": assert_diaspora_error,
}


def assert_dialect_error(response, dialect: str, status: int) -> dict:
    """The error shape of the dialect named by its renderer's class name."""
    return BY_RENDERER[dialect](response, status)
