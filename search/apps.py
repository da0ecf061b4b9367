from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from . import fts5


def _ensure_fts5(using: str = "default", **kwargs) -> None:
    fts5.ensure(connections[using])


class SearchConfig(AppConfig):
    """Post search (``posts/search`` in App.net and pnut, diaspora's ``search/posts`` and
    ``search/tags``): its own app because the text index it keeps (a stored tsvector on
    PostgreSQL, FTS5 on SQLite) is a concern of search, not of posts."""

    name = "search"

    def ready(self) -> None:
        # After every migrate: a table rebuild on SQLite drops the FTS triggers (fts5.py).
        post_migrate.connect(_ensure_fts5, sender=self)
