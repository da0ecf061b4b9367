"""A row's ``version``, raised by the database on every UPDATE of the row, whoever writes it.

A rendered post is cached under the versions of the rows it shows (``adn_api/rendered.py``):
the post, its author, its app, and for a repost its original's. For that key to be right, every
change of any of those rows must change a version — a post edited, deleted, starred (its
counters), a profile updated, an account suspended — including write paths written later, the
ORM's ``save()`` and ``update()``, ``F()`` counters and raw SQL alike. So the database raises it,
in a trigger, not the code: a new write path gets it for free.

``bump_version_on_update(table)`` is the migration operation that installs the trigger
(PostgreSQL: ``BEFORE UPDATE``, ``version := OLD.version + 1``, whatever the statement set;
SQLite: an ``AFTER UPDATE`` that raises it unless the statement already did).
"""

from __future__ import annotations

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION core_bump_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END $$;
"""


def _trigger(table: str) -> str:
    return f"{table}_version"


def bump_version_on_update(table: str) -> migrations.RunPython:
    """The migration operation that makes every UPDATE of ``table`` raise its ``version``."""

    def install(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        name = _trigger(table)
        if vendor == "postgresql":
            schema_editor.execute(FUNCTION)
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW "
                "EXECUTE FUNCTION core_bump_row_version()"
            )
        elif vendor == "sqlite":
            # The inner UPDATE raises it above OLD's, so the trigger does not fire for it again.
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER UPDATE ON {table} FOR EACH ROW "
                f"WHEN NEW.version <= OLD.version BEGIN "
                f"UPDATE {table} SET version = OLD.version + 1 WHERE id = NEW.id; END"
            )
        else:
            raise NotImplementedError(f"no row-version trigger for {vendor}")

    def remove(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)}")

    return migrations.RunPython(install, remove)
