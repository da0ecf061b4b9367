"""Bearer tokens from django-oauth-toolkit, read from the header, ``?access_token=`` or, on a
PUT, POST or PATCH, a form-encoded body's ``access_token``.

A token that is sent but is not valid is always an error (401), even on endpoints that need no
token: silently treating a broken token as anonymous hides client bugs.
"""

from __future__ import annotations

import hashlib

from oauth2_provider.models import get_access_token_model
from rest_framework.authentication import BaseAuthentication

from .errors import ApiException

AccessToken = get_access_token_model()
BODY_METHODS = ("PUT", "POST", "PATCH")
FORM = "application/x-www-form-urlencoded"


def _unauthorized(message: str, slug: str = "invalid-token") -> ApiException:
    return ApiException(message, code=401, slug=slug)


def raw_token_from_request(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise _unauthorized("The Authorization header must be 'Bearer <access token>'.")
        return value.strip()
    if raw := request.query_params.get("access_token"):
        return raw
    # App.net's docs allow a form-encoded body's access_token on PUT, POST and PATCH only (GET
    # and DELETE take no body). DRF's FormParser reads it, for any of the three methods.
    if request.method in BODY_METHODS and request.content_type.startswith(FORM):
        return request.data.get("access_token") or None
    return None


def find_access_token(raw: str):
    checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return (
        AccessToken.objects.select_related("application", "user")
        .filter(token_checksum=checksum)
        .first()
    )


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        raw = raw_token_from_request(request)
        if raw is None:
            return None
        token = find_access_token(raw)
        if token is None:
            raise _unauthorized("The access token is not valid; it may have been revoked.")
        if token.is_expired():
            raise _unauthorized("The access token has expired.", "token-expired")
        if token.user is not None and not token.user.is_active:
            raise _unauthorized("This account is suspended.", "not-authorized")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
