"""Post search on SQLite: an FTS5 table over the posts' text and the triggers that keep it
(``search/fts5.py``). Nothing happens on PostgreSQL (0002)."""

from django.db import migrations

from search import fts5


def forward(apps, schema_editor):
    fts5.ensure(schema_editor.connection)


def backward(apps, schema_editor):
    fts5.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_post_search_vector")]
    operations = [migrations.RunPython(forward, backward)]
