"""The GIN index over posts' text that post search's ``@@`` used, maintained by PostgreSQL on
every write; 0002 replaces it with a stored column and an index on that. Not made on SQLite."""

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
