"""django-oauth-toolkit validator with App.net's rules.

App.net let one client id use every flow (web flows, password flow, app tokens), while DOT's
Application records a single grant type, so the grant-type and response-type checks are App.net's
here. The password flow is gated instead by the app's ``password_grant_secret``, which replaces
the client secret in that flow.

Redirect URIs match the registered ones exactly, port included. DOT lets a loopback ``http``
redirect use any port (RFC 8252 §7.3); that allowance is kept only for an app registered as
native (``ClientProfile.native``) asking for a code with S256 PKCE, the flow RFC 8252 describes.
Anywhere else it would hand a user's token or code to whatever listens on another local port.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare
from oauth2_provider.models import get_grant_model, redirect_to_uri_allowed
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors

from ..models import ClientProfile

Grant = get_grant_model()

ADN_GRANT_TYPES = frozenset(
    {"authorization_code", "password", "client_credentials", "refresh_token"}
)

# A code that has been exchanged keeps its Grant row with this expiry instead of being deleted,
# so a second exchange can be answered with App.net's `code-used` rather than a generic error.
# DOT's cleartokens command removes these rows with the other expired grants.
CODE_USED_MARK = datetime(1970, 1, 1, tzinfo=UTC)


class CodeUsedError(errors.InvalidGrantError):
    description = "This authorization code has already been exchanged for a token."

    @property
    def twotuples(self) -> list[tuple[str, str]]:
        return [*super().twotuples, ("error_slug", "code-used")]


def port_of(uri: str) -> int | None:
    """The URI's explicit port (None without one); ValueError when it is not a valid port."""
    return urlsplit(uri).port


def matches_exactly(uri: str, registered: str) -> bool:
    """DOT's match (scheme, host, path, exact query; no fragment, no userinfo) with the port
    compared for loopback redirects too."""
    try:
        same_port = port_of(uri) == port_of(registered)
    except ValueError:
        return False
    return same_port and redirect_to_uri_allowed(uri, [registered])


def username_for_login(login: str) -> str:
    """App.net accepted a username or an email wherever a user signs in; returns the username
    to authenticate (unchanged when the email does not name exactly one account)."""
    if "@" not in login or "\x00" in login:
        return login
    matches = list(
        get_user_model().objects.filter(email__iexact=login).values_list("username", flat=True)[:2]
    )
    return matches[0] if len(matches) == 1 else login


class ADNOAuth2Validator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs) -> bool:
        # An operator who opted into RFC 9700's ban on the password grant still gets it refused.
        if grant_type == "password" and oauth2_settings.COMPLIANT_BCP_RFC9700_PASSWORD_GRANT:
            return False
        return grant_type in ADN_GRANT_TYPES

    def validate_response_type(
        self, client_id, response_type, client, request, *args, **kwargs
    ) -> bool:
        # Server-side (code) and client-side (token) web flows, for any app.
        if response_type == "token":
            return not oauth2_settings.COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT
        return response_type == "code"

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs) -> bool:
        # DOT: a registered URI, except that on a loopback host any port passes.
        if not super().validate_redirect_uri(client_id, redirect_uri, request, *args, **kwargs):
            return False
        if any(matches_exactly(redirect_uri, uri) for uri in request.client.redirect_uris.split()):
            return True
        # Only the loopback port differs from a registered URI.
        try:
            port_of(redirect_uri)
        except ValueError:
            return False
        return self._loopback_port_may_vary(request)

    @staticmethod
    def _loopback_port_may_vary(request) -> bool:
        """RFC 8252 §7.3's ephemeral port: a native app on the code flow with S256 PKCE (the code
        then needs the verifier, and the token request the same redirect URI)."""
        return (
            request.response_type == "code"
            and bool(request.code_challenge)
            and request.code_challenge_method == "S256"
            and ClientProfile.objects.filter(application=request.client, native=True).exists()
        )

    def client_authentication_required(self, request, *args, **kwargs) -> bool:
        # The password flow always needs the grant secret, whatever the client type.
        if request.grant_type == "password":
            return True
        return super().client_authentication_required(request, *args, **kwargs)

    def authenticate_client(self, request, *args, **kwargs) -> bool:
        if request.grant_type == "password":
            return self._authenticate_by_password_grant_secret(request)
        return super().authenticate_client(request, *args, **kwargs)

    def _authenticate_by_password_grant_secret(self, request) -> bool:
        """Only ``password_grant_secret`` counts: a client secret sent here is ignored, so an app
        that was never given a grant secret cannot use the flow."""
        given = getattr(request, "password_grant_secret", None) or ""
        if not request.client_id or self._load_application(request.client_id, request) is None:
            return False
        profile = ClientProfile.objects.filter(application=request.client).first()
        expected = profile.password_grant_secret if profile else ""
        return bool(expected) and constant_time_compare(given, expected)

    def validate_user(self, username, password, client, request, *args, **kwargs) -> bool:
        return super().validate_user(
            username_for_login(username), password, client, request, *args, **kwargs
        )

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs) -> bool:
        if not super().validate_scopes(client_id, scopes, client, request, *args, **kwargs):
            return False
        # App.net: "basic" is always granted with a user token, even when not asked for.
        if request.grant_type != "client_credentials" and "basic" not in scopes:
            request.scopes = [*scopes, "basic"]
        return True

    def get_default_scopes(self, client_id, request, *args, **kwargs) -> list[str]:
        # Scopes do not apply to app tokens (App.net's app token shows "scopes": []).
        if request.grant_type == "client_credentials":
            return []
        return super().get_default_scopes(client_id, request, *args, **kwargs)

    def validate_code(self, client_id, code, client, request, *args, **kwargs) -> bool:
        if Grant.objects.filter(code=code, application=client, expires=CODE_USED_MARK).exists():
            raise CodeUsedError(request=request)
        return super().validate_code(client_id, code, client, request, *args, **kwargs)

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs) -> None:
        # Mark rather than delete (see CODE_USED_MARK). The conditional UPDATE also settles two
        # concurrent exchanges of one code: only one of them marks the row.
        marked = (
            Grant.objects.filter(code=code, application=request.client)
            .exclude(expires=CODE_USED_MARK)
            .update(expires=CODE_USED_MARK)
        )
        if not marked:
            raise CodeUsedError(request=request)
