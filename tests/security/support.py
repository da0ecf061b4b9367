"""Assertions on the error shape each dialect answers with (CONTRACT §1, §8)."""

from __future__ import annotations


def assert_dialect_error(response, dialect: str, status: int) -> dict:
    """ADN and pnut: an envelope with only ``meta`` (``code`` = the status, a message);
    diaspora: exactly ``{"code", "message"}``. Returns the error's meta/body."""
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    if dialect == "DiasporaRenderer":
        assert set(body) == {"code", "message"}, body
        assert body["code"] == status and body["message"]
        return body
    assert "data" not in body, body
    meta = body["meta"]
    assert meta["code"] == status and meta["error_message"], meta
    return meta
