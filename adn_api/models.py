"""What App.net kept about an OAuth client beyond django-oauth-toolkit's Application."""

import secrets

from django.db import models
from oauth2_provider.models import Application


def new_password_grant_secret() -> str:
    return secrets.token_urlsafe(32)


class ClientProfile(models.Model):
    """The app's public link (shown as a post's ``source.link``), for apps approved for
    App.net's password flow the ``password_grant_secret`` that replaces the client secret there,
    and whether it is a native app (RFC 8252), which may pick its loopback redirect port.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="profile"
    )
    link = models.URLField(blank=True)
    password_grant_secret = models.CharField(max_length=64, blank=True)
    native = models.BooleanField(
        default=False,
        help_text=(
            "A native app: on the code flow with S256 PKCE its loopback redirect URI "
            "(http://127.0.0.1 or http://[::1]) may use any port. Other apps' redirect URIs "
            "must match exactly."
        ),
    )

    # Raised by the database on every UPDATE of the row, and of its application's
    # (core/row_versions.py, migration 0003): the key of cached posts' ``source``.
    # default as well as db_default: the ORM's bulk inserts stay one UNNEST (a DEFAULT column
    # makes them a VALUES list, whose parameters run out at some 2,000 users).
    version = models.BigIntegerField(default=0, db_default=0, editable=False)

    def __str__(self) -> str:
        return f"profile of {self.application.name}"
