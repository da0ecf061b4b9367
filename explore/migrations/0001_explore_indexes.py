"""Partial indexes over post ids, one per explore stream, so that a page reads only the posts
that qualify (newest first) instead of filtering every recent post. The conditions are those of
``explore.services.STREAMS``; PostgreSQL only (on SQLite explore filters a scan)."""

from django.db import migrations

INDEXES = {
    "explore_conversations": "num_replies > 0",
    "explore_trending": "(num_stars + num_reposts) >= 2",
    "explore_photos": """annotations @> '[{"type": "net.app.core.oembed", "value": {"type": "photo"}}]'""",
    "explore_checkins": """annotations @> '[{"type": "net.app.core.checkin"}]'""",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, condition in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON posts_post (id DESC) "
                f"WHERE repost_of_id IS NULL AND NOT is_deleted AND {condition}"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
