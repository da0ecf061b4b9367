"""Fixtures for the operations tests: a moderator signed in to the admin, and page readers."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

from adn_api.celery import app as celery_app
from users.models import User

from .moderators import ensure_moderators_group


@pytest.fixture
def moderator(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def moderator_account(db):
    """A member of the moderators group (not a superuser), as ``create_user --moderator``
    makes one."""
    ensure_moderators_group()
    call_command(
        "create_user", "mod", "--email", "mod@example.com", "--password", "pw-mod-secret",
        "--moderator",
    )  # fmt: skip
    return User.objects.get(username="mod")


@pytest.fixture
def moderator_client(moderator) -> Client:
    client = Client()
    client.force_login(moderator)
    return client


FIGURE = re.compile(r'data-figure="([\w-]+)"[^>]*>\s*([^<]*?)\s*<')


def figures(html: str) -> dict[str, str]:
    """The dashboard's figures by name, as the page shows them."""
    return dict(FIGURE.findall(html))


DAY_ROW = re.compile(
    r'<tr data-day="([\d-]+)">.*?<td data-series="posts">(\d+)</td>'
    r'<td data-series="users">(\d+)</td></tr>'
)


def daily_numbers(html: str) -> dict[str, tuple[int, int]]:
    """The dashboard's table of (posts, new users) by ISO day."""
    return {day: (int(p), int(u)) for day, p, u in DAY_ROW.findall(html)}


@pytest.fixture
def broker_queue():
    """Tasks go to the broker (no worker takes them) while the test runs; the queue is emptied
    before and after."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        yield
    finally:
        celery_app.control.purge()
        celery_app.conf.task_always_eager = eager


DEGREE_ROW = re.compile(
    r'<tr data-degree="([\w+-]+)">.*?<td data-series="followers">(\d+)</td>'
    r'<td data-series="following">(\d+)</td></tr>'
)
TOP_ROW = re.compile(r'<tr data-user="(\w+)">.*?</th><td>(\d+)</td></tr>')


def degree_numbers(html: str) -> dict[str, tuple[int, int]]:
    """The dashboard's table of users per degree bucket: (by followers, by follows)."""
    return {label: (int(a), int(b)) for label, a, b in DEGREE_ROW.findall(html)}


def top_followed(html: str) -> list[tuple[str, int]]:
    """The dashboard's most followed users, in the page's order."""
    return [(name, int(n)) for name, n in TOP_ROW.findall(html)]
