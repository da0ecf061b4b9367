"""posts 0002 / messaging 0003 move the reports of messages into the one reports queue: each
row is kept (reporter, reason, state and the time it was made), and migrating back empties the
queue of them again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("posts", "0001_initial"), ("messaging", "0002_message_is_sticky")]
AFTER = [("posts", "0003_copy_message_reports"), ("messaging", "0003_into_the_reports_queue")]


def migrate(targets: list[tuple[str, str]] | None = None):
    """Migrate to ``targets``; without them, every app to its latest migration."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_message_reports_move_into_the_reports_queue(make_user):
    bob = make_user("bob")
    old = migrate(BEFORE)
    try:
        user = old.get_model("users", "User").objects.get(pk=bob.pk)
        channel = old.get_model("messaging", "Channel").objects.create(
            type="net.app.core.pm", owner=user
        )
        message = old.get_model("messaging", "Message").objects.create(
            channel=channel, user=user, text="spam"
        )
        reported = datetime(2020, 1, 2, tzinfo=UTC)
        report = old.get_model("messaging", "MessageReport").objects.create(
            message=message, reporter=user, reason="spam", status="dismissed"
        )
        old.get_model("messaging", "MessageReport").objects.filter(pk=report.pk).update(
            created_at=reported
        )
        new = migrate(AFTER)
        moved = new.get_model("posts", "Report").objects.get()
        assert (moved.message_id, moved.post_id, moved.reporter_id) == (message.pk, None, bob.pk)
        assert (moved.reason, moved.status, moved.created_at) == ("spam", "dismissed", reported)
    finally:
        migrate()  # the rest of the suite runs on the latest schema
