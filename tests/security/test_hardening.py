"""Hardening details: JSONP never carries a signed-in user's data, CORS never shares credentials
with every origin, the password flow does not tell which usernames exist, a 500 shows no
traceback, and a deployment cannot run with the published SECRET_KEY."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from oauth2_provider.models import get_access_token_model

from adn_api import views as adn_views
from adn_api.checks import EMBEDDED_SECRET_KEY_IN_PRODUCTION, uses_published_secret_key
from diaspora import views as diaspora_views
from pnut import views as pnut_views

from .support import assert_dialect_error

AccessToken = get_access_token_model()
ROOT = settings.BASE_DIR


# JSONP


@pytest.mark.parametrize("path", ["/stream/0/token", "/v1/token", "/stream/0/posts/stream"])
@pytest.mark.parametrize("how", ["header", "query"])
def test_jsonp_refuses_a_signed_in_request_and_shows_none_of_its_data(
    api, make_user, token_for, path, how
):
    token = token_for(make_user("jsonpvictim"))
    if how == "header":
        response = api.get(path, token, callback="steal")
    else:
        response = api.get(path, callback="steal", access_token=token)
    text = response.content.decode()
    assert "jsonpvictim" not in text
    assert '"code":400' in text.replace(" ", "")


# CORS


@pytest.mark.parametrize("path", ["/stream/0/token", "/v1/token", "/api/v1/posts/x"])
def test_cors_allows_any_origin_but_never_with_credentials(api, make_user, token_for, path):
    token = token_for(make_user("alice"))
    origin = {"Origin": "https://evil.example"}
    preflight = api.call(
        "OPTIONS",
        path,
        headers={**origin, "Access-Control-Request-Method": "GET"},
    )
    actual = api.call("GET", path, token, headers=origin)
    for response in (preflight, actual):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response.get("Access-Control-Allow-Credentials") != "true"


# The password flow


@pytest.fixture
def password_app(oauth_app, make_user):
    make_user("alice")
    return oauth_app


def password_grant(api, app, username: str, password: str):
    return api.client.post(
        "/oauth/access_token",
        {
            "client_id": app.client_id,
            "password_grant_secret": app.profile.password_grant_secret,
            "grant_type": "password",
            "username": username,
            "password": password,
            "scope": "stream",
        },
    )


def test_the_password_flow_answers_an_unknown_user_as_a_wrong_password(api, password_app):
    wrong_password = password_grant(api, password_app, "alice", "not her password")
    unknown_user = password_grant(api, password_app, "nobody_here", "not her password")
    assert wrong_password.status_code == unknown_user.status_code == 400
    strip = {"error_id"}  # per-response ids, if any

    def body(response) -> dict:
        return {k: v for k, v in response.json().items() if k not in strip}

    assert body(wrong_password) == body(unknown_user)
    assert not AccessToken.objects.exists()


# Unhandled errors


@pytest.mark.parametrize(
    ("view", "method", "path", "dialect"),
    [
        (adn_views.ConfigView, "get", "/stream/0/config", "ADNRenderer"),
        (pnut_views.TokenView, "get", "/v1/token", "PnutRenderer"),
        (diaspora_views.PostView, "get", "/api/v1/posts/{guid}", "DiasporaRenderer"),
    ],
)
def test_an_unhandled_error_answers_500_without_a_traceback(
    api, make_user, token_for, monkeypatch, view, method, path, dialect
):
    def explode(*args, **kwargs):
        raise RuntimeError("internal-detail: password=hunter2 at /srv/secret/module.py")

    monkeypatch.setattr(view, method, explode)
    response = api.get(path.format(guid="0" * 32), token_for(make_user("alice")))
    error = assert_dialect_error(response, dialect, 500)
    text = response.content.decode()
    for leak in ("Traceback", "RuntimeError", "hunter2", "internal-detail", ".py", 'File "'):
        assert leak not in text
    if dialect != "DiasporaRenderer":
        assert error["error_id"]


def test_debug_pages_are_off_by_default():
    # tests run with the production default; a DEBUG page would leak settings and source.
    assert settings.DEBUG is False
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    out = subprocess.run(
        [sys.executable, "-c", "from adn_api import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


# SECRET_KEY


POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


@pytest.mark.parametrize(
    ("secret_key", "engine", "debug", "refused"),
    [
        pytest.param(settings.EMBEDDED_SECRET_KEY, POSTGRES, False, True, id="production"),
        pytest.param("a-real-random-key", POSTGRES, False, False, id="key-set"),
        pytest.param(settings.EMBEDDED_SECRET_KEY, SQLITE, False, False, id="embedded-default"),
        pytest.param(settings.EMBEDDED_SECRET_KEY, POSTGRES, True, False, id="debugging"),
    ],
)
def test_the_published_secret_key_is_refused_only_in_a_deployment(
    secret_key, engine, debug, refused
):
    assert uses_published_secret_key(secret_key, [engine], debug) is refused


def manage_check(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "adn_api.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_refuses_to_run_a_postgresql_server_with_the_published_key():
    result = manage_check(DATABASE_URL="postgres://postgres@127.0.0.1:5432/adn_h10")
    assert result.returncode != 0
    assert EMBEDDED_SECRET_KEY_IN_PRODUCTION in result.stderr


def test_the_embedded_default_still_starts_with_no_configuration():
    # README: `uv run python manage.py migrate && … runserver` on a bare machine, no variables.
    result = manage_check()
    assert result.returncode == 0, result.stderr
