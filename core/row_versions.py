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
``bump_owner_on_change(table, column, owner_table)`` raises the version of the row another
table's rows belong to when one of them is added, removed or moved: a user's rendering shows
how many apps they made (pnut's ``counts.clients``); a viewer's relations to a page are reused
under the viewer's (``users.services.viewer.ViewerContext.load``).
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


def _statements(create: dict[str, list[str]], drop: dict[str, list[str]]) -> migrations.RunPython:
    """A migration operation running ``create``'s statements for the database's vendor, and
    ``drop``'s to reverse it."""

    def run(statements: dict[str, list[str]], schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"no row-version trigger for {vendor}")
        for statement in statements[vendor]:
            schema_editor.execute(statement)

    return migrations.RunPython(
        lambda apps, schema_editor: run(create, schema_editor),
        lambda apps, schema_editor: run(drop, schema_editor),
    )


def bump_version_on_update(table: str) -> migrations.RunPython:
    """The migration operation that makes every UPDATE of ``table`` raise its ``version``."""
    name = f"{table}_version"
    return _statements(
        create={
            "postgresql": [
                FUNCTION,
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW "
                "EXECUTE FUNCTION core_bump_row_version()",
            ],
            # The inner UPDATE raises it above OLD's, so the trigger does not fire for it again.
            "sqlite": [
                f"CREATE TRIGGER {name} AFTER UPDATE ON {table} FOR EACH ROW "
                f"WHEN NEW.version <= OLD.version BEGIN "
                f"UPDATE {table} SET version = OLD.version + 1 WHERE id = NEW.id; END"
            ],
        },
        drop={
            "postgresql": [f"DROP TRIGGER IF EXISTS {name} ON {table}"],
            "sqlite": [f"DROP TRIGGER IF EXISTS {name}"],
        },
    )


OWNER_FUNCTION = """
CREATE OR REPLACE FUNCTION core_bump_owner_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sql text := 'UPDATE ' || quote_ident(TG_ARGV[0]) || ' SET version = version + 1 WHERE id = $1';
BEGIN
    IF TG_OP <> 'INSERT' THEN
        EXECUTE sql USING (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        EXECUTE sql USING (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
    END IF;
    RETURN NULL;
END $$;
"""


def bump_owner_on_change(
    table: str, column: str, owner_table: str, name: str = ""
) -> migrations.RunPython:
    """The migration operation that raises ``owner_table``'s row version whenever a row of
    ``table`` naming it in ``column`` is inserted, deleted or moved to another owner (``name``:
    the trigger's, for a second owner column of the same table)."""
    name = name or f"{table}_owner_version"
    events = {"INSERT": ("NEW",), "DELETE": ("OLD",), f"UPDATE OF {column}": ("OLD", "NEW")}
    return _statements(
        create={
            "postgresql": [
                OWNER_FUNCTION,
                f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {column} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION core_bump_owner_version('{owner_table}', "
                f"'{column}')",
            ],
            "sqlite": [
                f"CREATE TRIGGER {name}_{number} AFTER {event} ON {table} FOR EACH ROW "
                f"BEGIN UPDATE {owner_table} SET version = version + 1 "
                f"WHERE id IN ({', '.join(f'{row}.{column}' for row in rows)}); END"
                for number, (event, rows) in enumerate(events.items())
            ],
        },
        drop={
            "postgresql": [f"DROP TRIGGER IF EXISTS {name} ON {table}"],
            "sqlite": [f"DROP TRIGGER IF EXISTS {name}_{number}" for number in range(len(events))],
        },
    )
