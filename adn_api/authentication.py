"""Bearer tokens from django-oauth-toolkit, read from the header, ``?access_token=`` or, on a
PUT, POST or PATCH, a form-encoded body's ``access_token``.

A token that is sent but is not valid is always an error (401), even on endpoints that need no
token: silently treating a broken token as anonymous hides client bugs.
"""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from oauth2_provider.models import get_access_token_model
from rest_framework.authentication import BaseAuthentication

from core.compiled import Slots, compiled

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


def _token_query(slots: Slots) -> QuerySet:
    by_checksum = AccessToken.objects.filter(token_checksum=slots.text("checksum"))
    return by_checksum.select_related("application", "user")[:1]


def find_access_token(raw: str):
    """The token with its app and user, read afresh on every request (one prepared query,
    compiled once: ``core.compiled``), so a revoked token, a suspended account or a changed
    profile shows on the very next request, whichever path changed it."""
    checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    found = compiled(_token_query).run(checksum=checksum)
    return found[0] if found else None


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
