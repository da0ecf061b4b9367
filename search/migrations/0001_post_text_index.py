"""The GIN index over posts' text that post search's ``@@`` uses, maintained by PostgreSQL on
every write. The expression is exactly ``search.services.TEXT_VECTOR``'s, so the planner
matches it. Not made on SQLite (the embedded default), where search falls back to a scan."""

from django.db import migrations

INDEX = "search_post_text_gin"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON posts_post "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, '')))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
