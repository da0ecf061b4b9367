"""One permission class for every API view: which token a method needs, and which scope.

A view declares ``access = {"GET": PUBLIC, "POST": user_token("follow")}``. Methods the view
does not implement, or whose route does not offer (``http_method_names``), are let through so
that DRF answers 405, not 401.
"""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.permissions import BasePermission

from .envelope import check_jsonp
from .errors import ApiException


@dataclass(frozen=True)
class Access:
    token: str  # "none": no token needed; "any": user or app token; "user": a user token
    scope: str | None = None


PUBLIC = Access("none")
ANY_TOKEN = Access("any")
APP_TOKEN = Access("app")  # App.net's "App" endpoints: what an app knows of its own users


def user_token(scope: str | None = None) -> Access:
    return Access("user", scope)


def token_scopes(token) -> set[str]:
    return set(token.scope.split()) | {"basic"} if token is not None else set()


# OAuth tokens are shared by the dialects (CONTRACT §2): besides its own name, a scope a view
# needs is granted by these. ADN's write_post covers diaspora's public:modify and interactions;
# diaspora's public:modify covers write_post. interactions (comments, likes, reports) is named
# only by the diaspora endpoints that need it, so it does not open ADN's posting. diaspora's
# conversations are PM channels: its conversations scope and ADN's messages open each other.
GRANTED_ALSO_BY = {
    "write_post": {"public:modify"},
    "public:modify": {"write_post"},
    "interactions": {"write_post"},
    # diaspora's main stream is the personal stream, which ADN's stream scope opens too.
    "public:read": {"stream"},
    "conversations": {"messages"},
    "messages": {"conversations"},
    # pnut: write_post may create, answer and attach polls; polls manages them.
    "polls": {"write_post"},
    # Uploading a file: App.net grants it to every scope that may write annotations.
    "upload": {"files", "write_post", "messages", "public_messages", "update_profile"},
}
# Scopes that are a choice of several: a refusal names the choices.
CHOICES = {"upload"}


def has_scope(token, scope: str) -> bool:
    scopes = token_scopes(token)
    return scope in scopes or bool(GRANTED_ALSO_BY.get(scope, set()) & scopes)


class TokenScopePermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        check_jsonp(request)
        method = request.method.lower()
        if method != "options" and (
            method not in view.http_method_names or not hasattr(view, method)
        ):
            return True
        access = getattr(view, "access", {}).get(request.method, user_token())
        if access.token == "none":
            return True
        token = request.auth
        if token is None:
            raise ApiException(
                "Call requires authentication: pass a valid access token.",
                code=401,
                slug="invalid-token",
            )
        if access.token == "user" and token.user is None:
            raise ApiException("Call requires a user token; an app token was given.", code=403)
        if access.token == "app" and token.user is not None:
            raise ApiException("Call requires an app token; a user token was given.", code=403)
        if access.scope and not has_scope(token, access.scope):
            message = f"Call requires the '{access.scope}' scope, which this token was not granted."
            if access.scope in CHOICES:
                message += f" Any of {', '.join(sorted(GRANTED_ALSO_BY[access.scope]))} grants it."
            raise ApiException(message, code=403)
        return True
