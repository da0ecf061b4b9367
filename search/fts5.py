"""Post search's index on SQLite (the embedded default): an FTS5 table over ``posts_post.text``
kept by triggers, so every write path (a post, a deletion, an edit of the text) updates it with
no code of its own.

Django rebuilds a SQLite table for many schema changes (a new table is filled, the old dropped
and the new renamed), and dropping a table drops its triggers. So ``ensure`` runs both in
migration 0003 and after every ``migrate`` (``apps.SearchConfig.ready``, for this app's own
``post_migrate``): it creates whatever is missing and, if a trigger was missing, rebuilds the
index from the posts. On PostgreSQL it does nothing (a stored tsvector, migration 0002).
"""

from __future__ import annotations

TABLE = "search_post_fts"
TRIGGERS = {
    f"{TABLE}_insert": (
        "AFTER INSERT ON posts_post BEGIN "
        f"INSERT INTO {TABLE}(rowid, text) VALUES (new.id, new.text); END"
    ),
    f"{TABLE}_delete": (
        "AFTER DELETE ON posts_post BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END"
    ),
    f"{TABLE}_update": (
        "AFTER UPDATE OF text ON posts_post BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
        f"INSERT INTO {TABLE}(rowid, text) VALUES (new.id, new.text); END"
    ),
}


def ensure(connection) -> None:
    """The FTS5 table and its triggers exist and the index is complete (SQLite only)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE %s", [f"{TABLE}%"])
        present = {row[0] for row in cursor.fetchall()}
        if "posts_post" not in connection.introspection.table_names(cursor):
            return  # migrating backwards past the posts
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} "
            "USING fts5(text, content='posts_post', content_rowid='id')"
        )
        missing = [name for name in TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {TRIGGERS[name]}")
        if missing:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def drop(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def match_query(words: list[str]) -> str | None:
    """FTS5's query for all of ``words``, each a quoted string, so that no character of the
    input is FTS5 syntax (``"``, ``*``, ``NEAR``, ``:``, ``^``…); None when no word holds a
    letter or digit (nothing to match, as PostgreSQL's ``plainto_tsquery`` finds no lexeme)."""
    kept = [w for w in words if any(c.isalnum() for c in w)]
    if not kept:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in kept)
