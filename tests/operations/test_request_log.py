"""Request ids and the one-line-per-request log: the id a client or proxy sends in X-Request-ID
(or a new one) comes back in the response and is on every log line written while serving it."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from operations.request_log import RequestContextFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The JSON lines the production handler (LOG_FORMAT=json) would write, for the request
    log and the API error log."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    config = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    assert settings.LOGGING["formatters"]["json"]["()"] == "pythonjsonlogger.json.JsonFormatter"
    handler.setFormatter(JsonFormatter(**config))
    loggers = [logging.getLogger(name) for name in ("operations.requests", "adn_api.errors")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_a_sent_request_id_is_echoed_and_logged(api, json_log):
    response = api.call("GET", "/stream/0/config", headers={"X-Request-ID": "lb-1234.abc"})
    assert response["X-Request-ID"] == "lb-1234.abc"
    (line,) = json_log()
    assert line["request_id"] == "lb-1234.abc"
    assert line["method"] == "GET" and line["path"] == "/stream/0/config"
    assert line["status"] == 200 and line["user_id"] is None
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["logger"] == "operations.requests" and line["time"]


def test_a_request_without_an_id_gets_a_new_one(api):
    first = api.get("/stream/0/config")["X-Request-ID"]
    second = api.get("/stream/0/config")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


@pytest.mark.parametrize("sent", ["has space", "x" * 200, "new\nline", "<script>"])
def test_an_unsafe_request_id_is_replaced(api, sent):
    returned = api.call("GET", "/stream/0/config", headers={"X-Request-ID": sent})["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", returned)


def test_the_token_user_is_logged(api, make_user, token_for, json_log):
    alice = make_user("alice")
    response = api.get("/stream/0/token", token_for(alice))
    assert response.status_code == 200
    (line,) = json_log()
    assert line["user_id"] == alice.pk and line["status"] == 200


def test_the_admin_user_is_logged(moderator_client, moderator, json_log):
    assert moderator_client.get("/admin/").status_code == 200
    (line,) = json_log()
    assert line["user_id"] == moderator.pk and line["path"] == "/admin/"


@pytest.mark.urls("tests.test_envelope")
def test_an_api_error_keeps_its_envelope_and_carries_the_request_id(api, json_log):
    api.client.raise_request_exception = False
    response = api.call("GET", "/stream/0/test/explode", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    meta = response.json()["meta"]
    assert meta["code"] == 500 and meta["error_id"]
    assert response["X-Request-ID"] == "req-500"
    error_line, request_line = json_log()
    assert error_line["logger"] == "adn_api.errors" and error_line["request_id"] == "req-500"
    assert meta["error_id"] in error_line["message"]
    assert request_line["status"] == 500 and request_line["request_id"] == "req-500"
