"""Fixtures shared by the API tests: users, an OAuth app, tokens and a JSON client."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from adn_api.oauth.tokens import create_app, issue_token
from users.models import User

ALL_SCOPES = [
    "basic",
    "stream",
    "write_post",
    "follow",
    "update_profile",
    "public_messages",
    "messages",
    "files",
    "email",
    "export",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache (Redis in tests); each test starts with none.
    cache.clear()
    yield


@pytest.fixture
def oauth_app(db):
    app, _secret = create_app(
        "Test app",
        link="https://client.example.com",
        redirect_uris="https://client.example.com/callback",
        password_flow=True,
    )
    return app


@pytest.fixture
def make_user(db):
    def make(username: str, **fields) -> User:
        return User.objects.create_user(
            username=username,
            password=f"pw-{username}-secret",
            email=f"{username.lower()}@example.com",
            **fields,
        )

    return make


@pytest.fixture
def alice(make_user) -> User:
    return make_user("alice")


@pytest.fixture
def bob(make_user) -> User:
    return make_user("bob")


@pytest.fixture
def carol(make_user) -> User:
    return make_user("carol")


@pytest.fixture
def token_for(oauth_app):
    def token(user: User | None, scopes: list[str] | None = None) -> str:
        return issue_token(user, oauth_app, ALL_SCOPES if scopes is None else scopes)

    return token


class Api:
    """A client that speaks to the API as an app would: JSON in, parsed envelope out."""

    def __init__(self):
        self.client = APIClient()

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        data=None,
        headers: dict | None = None,
        as_json: bool = True,
        **params,
    ):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if params:
            query = "&".join(f"{k}={v}" for k, v in params.items())
            path = f"{path}{'&' if '?' in path else '?'}{query}"
        kwargs = {}
        if data is not None:
            if as_json:
                kwargs = {"data": json.dumps(data), "content_type": "application/json"}
            else:
                kwargs = {"data": data}
        return getattr(self.client, method.lower())(path, **kwargs, **extra)

    def post_raw(self, path: str, token: str, body: str):
        """POST a body exactly as given (malformed JSON, a JSON list) as application/json."""
        return self.client.post(
            path, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    def get(self, path, token=None, **params):
        return self.call("GET", path, token, **params)

    def post(self, path, token=None, data=None, **params):
        return self.call("POST", path, token, data, **params)

    def put(self, path, token=None, data=None, **params):
        return self.call("PUT", path, token, data, **params)

    def patch(self, path, token=None, data=None, **params):
        return self.call("PATCH", path, token, data, **params)

    def delete(self, path, token=None, **params):
        return self.call("DELETE", path, token, **params)


@pytest.fixture
def api(db) -> Api:
    return Api()
