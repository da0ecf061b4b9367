"""The moderators group as its migration makes it, for tests whose database was flushed since."""

from __future__ import annotations

import importlib

from django.apps import apps

MIGRATION = importlib.import_module("operations.migrations.0001_moderators_group")
FILES = importlib.import_module("files.migrations.0002_moderators_delete_files")


def ensure_moderators_group() -> None:
    MIGRATION.create_group(apps, None)
    FILES.grant(apps, None)
