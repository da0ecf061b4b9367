"""System checks for a deployment that would be unsafe to serve.

The embedded default (SQLite, no configuration) runs with a fixed SECRET_KEY so that one command
starts a server; a server on PostgreSQL with DEBUG off is a real deployment, where that key (it
is in the source) would let anyone forge sessions and signed values. ``manage.py migrate``,
``runserver`` and ``check`` refuse to go on until SECRET_KEY is set.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

EMBEDDED_SECRET_KEY_IN_PRODUCTION = "adn_api.E001"


def uses_published_secret_key(secret_key: str, engines: list[str], debug: bool) -> bool:
    """A deployment (PostgreSQL, DEBUG off) running on the key printed in the source."""
    on_postgresql = any("postgresql" in engine for engine in engines)
    return secret_key == settings.EMBEDDED_SECRET_KEY and on_postgresql and not debug


@register()
def embedded_secret_key_in_production(app_configs, **kwargs) -> list[Error]:
    engines = [database.get("ENGINE", "") for database in settings.DATABASES.values()]
    if uses_published_secret_key(settings.SECRET_KEY, engines, settings.DEBUG):
        return [
            Error(
                "SECRET_KEY is the embedded default, which is public, while the server runs on "
                "PostgreSQL with DEBUG off.",
                hint="Set SECRET_KEY to a long random string, e.g. "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id=EMBEDDED_SECRET_KEY_IN_PRODUCTION,
            )
        ]
    return []
