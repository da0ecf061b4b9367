"""Creating apps and tokens directly: for admins' scripts (management commands) and tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from oauth2_provider.generators import generate_client_id
from oauth2_provider.models import get_access_token_model, get_application_model
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import generate_token

from ..models import ClientProfile, new_password_grant_secret

Application = get_application_model()
AccessToken = get_access_token_model()


def create_app(
    name: str,
    *,
    owner=None,
    redirect_uris: str = "",
    link: str = "",
    password_flow: bool = False,
    native: bool = False,
) -> tuple[Application, str]:
    """Create a confidential app; returns it with its client secret in clear (shown once).
    ``native``: a native app, whose loopback redirect port may vary (code flow with PKCE)."""
    secret = generate_token()
    app = Application.objects.create(
        name=name,
        user=owner,
        client_id=generate_client_id(),
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uris,
    )
    ClientProfile.objects.create(
        application=app,
        link=link,
        password_grant_secret=new_password_grant_secret() if password_flow else "",
        native=native,
    )
    return app, secret


def issue_token(user, application, scopes: list[str] | str) -> str:
    """A token for ``user`` (None: an app token) with the given scopes; returns it in clear."""
    scope = scopes if isinstance(scopes, str) else " ".join(scopes)
    raw = generate_token()
    AccessToken.objects.create(
        user=user,
        application=application,
        token=raw,
        scope=scope,
        expires=timezone.now() + timedelta(seconds=oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS),
    )
    return raw
