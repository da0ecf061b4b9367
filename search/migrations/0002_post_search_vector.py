"""A stored ``tsvector`` of each post's text, with a GIN index over it, for post search on
PostgreSQL.

The column is ``GENERATED ALWAYS … STORED``: PostgreSQL computes it on every insert and on every
change of ``text`` (an edit through ``posts.services`` included), so no writer has to remember
it. The ORM does not know the column (it belongs to search, not to the post model);
``search.services`` names it. It replaces 0001's expression index: a search that walks the
newest posts (``order=id``, a common word) now reads the stored vector instead of running
``to_tsvector`` on every row it passes, and a rare word is found through the GIN index.

On SQLite nothing happens here (see 0003, FTS5).
"""

from django.db import migrations

COLUMN = "search_vector"
INDEX = "search_post_vector_gin"
FORWARD = [
    f"ALTER TABLE posts_post ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(text, ''))) STORED",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON posts_post USING gin ({COLUMN})",
    "DROP INDEX IF EXISTS search_post_text_gin",
    # How common each word is decides the plan (walk the newest posts, or read the index). With
    # the default statistics a word missing from them is guessed at 0.5% of the posts, and a
    # search for a rare word walked the whole table; ten times as many tracked words make the
    # guess for an untracked one small.
    f"ALTER TABLE posts_post ALTER COLUMN {COLUMN} SET STATISTICS 1000",
    "ANALYZE posts_post",
]
BACKWARD = [
    f"DROP INDEX IF EXISTS {INDEX}",
    f"ALTER TABLE posts_post DROP COLUMN IF EXISTS {COLUMN}",
    "CREATE INDEX IF NOT EXISTS search_post_text_gin ON posts_post "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, '')))",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_post_text_index"), ("posts", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
