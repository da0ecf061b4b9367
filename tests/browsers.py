"""Real Chromium (Debian's, driven by Playwright) against a real gunicorn: the fixtures every
browser test shares. Import the fixtures by name into the test module."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

from .processes import web_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: apt-get install -y chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop beside the test, which Django takes for async
    # code; the test's own queries stay synchronous, in this thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            # Connections opened while that loop ran are kept apart from the others by asgiref;
            # closed here, they do not outlive the test and hold the test database open.
            connections.close_all()


@pytest.fixture
def server(tmp_path):
    # No collectstatic here: whitenoise serves straight from the apps, as on the embedded default.
    with web_server(STATIC_ROOT=str(tmp_path / "not-collected")) as base:
        yield base


def new_page(browser, base: str, outside: list[str]):
    """A page whose requests to anywhere but this server are refused and recorded."""
    page = browser.new_context().new_page()
    server_host = urlsplit(base).netloc

    def only_this_server(route):
        if urlsplit(route.request.url).netloc == server_host:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    return page
