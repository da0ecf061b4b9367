"""The embedded default (SQLite, tasks in-process, no Redis) works and says nothing unless
something is wrong: a newcomer's first post logs no warning."""

from __future__ import annotations

import pytest

from tests.processes import embedded_manage

pytestmark = pytest.mark.slow

FIRST_POST = """
from posts.services.posting import create_post
from streams.models import StreamItem
from users.models import User
author = User.objects.create_user(username="newcomer", password="a long password")
post = create_post(author, text="hello")
print("rows", StreamItem.objects.filter(post=post).count())
"""


def test_a_first_post_on_the_embedded_default_logs_no_warning(tmp_path):
    manage = embedded_manage(tmp_path / "db.sqlite3")
    manage("migrate", "-v0")
    output = manage("shell", "-v0", "-c", FIRST_POST)
    assert "rows 1" in output  # the fan-out ran in-process
    assert "WARNING" not in output and "ERROR" not in output, output
