"""``search_post_ids``: the ids of the newest (or oldest) posts whose text holds every word of a
search, planned for those words on each call (PostgreSQL only; nothing happens on SQLite).

How common a word is decides the plan: a common one is found by walking the newest posts, a rare
one through the GIN index (0002), and one plan for every word would walk the whole table for a
rare one. Planned apart, the ids cost a round trip of their own before the page's visibility
join (whose planning costs more than running it, so it is prepared once). Inside a function, a
dynamic ``EXECUTE`` is planned with its values on every call while the statement that calls it
keeps its one prepared plan: ``search.services.search_page`` reads a page in one statement.

The bounds are exclusive and NULL for none; the newest ``amount`` come first, or the oldest
with ``newest_first`` false.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION search_post_ids(
    words text, above bigint, below bigint, newest_first boolean, amount integer
) RETURNS bigint[] LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    found bigint[];
BEGIN
    EXECUTE 'SELECT array(SELECT id FROM posts_post'
        ' WHERE search_vector @@ plainto_tsquery(''simple''::regconfig, $1)'
        ' AND repost_of_id IS NULL AND NOT is_deleted'
        || CASE WHEN above IS NULL THEN '' ELSE ' AND id > $2' END
        || CASE WHEN below IS NULL THEN '' ELSE ' AND id < $3' END
        || CASE WHEN newest_first THEN ' ORDER BY id DESC' ELSE ' ORDER BY id' END
        || ' LIMIT $4)'
    INTO found USING words, above, below, amount;
    RETURN found;
END
$$
"""
BACKWARD = "DROP FUNCTION IF EXISTS search_post_ids(text, bigint, bigint, boolean, integer)"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_sqlite_fts5")]
    operations = [migrations.RunPython(forward, backward)]
