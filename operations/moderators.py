"""The group of staff who moderate: made by migration 0001_moderators_group (which lists its
permissions), joined with ``manage.py create_user --moderator``."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes

GROUP = "moderators"


def make_permissions(apps, label: str) -> None:
    """Inside a migration: make an app's content types and permissions now (on a fresh
    database Django makes them only after every migration, post_migrate)."""
    config = apps.get_app_config(label)
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True  # create_permissions skips apps without
    create_contenttypes(config, verbosity=0, apps=apps)
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = models_module
