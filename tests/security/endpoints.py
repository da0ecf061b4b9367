"""The API's write endpoints, read from the URL configuration itself, so a write endpoint added
later is covered by the security tests without anyone remembering to list it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from adn_api.dialects import renderer_for_path
from adn_api.permissions import Access, user_token

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
API_PREFIXES = ("/stream/0/", "/v1/", "/api/v1/")


@dataclass(frozen=True)
class WriteEndpoint:
    route: str  # e.g. "/stream/0/posts/<str:post_id>/star"
    method: str
    view_class: type

    @property
    def declared_access(self) -> Access | None:
        return getattr(self.view_class, "access", {}).get(self.method)

    @property
    def access(self) -> Access:
        # What adn_api.permissions.TokenScopePermission applies when the view names no rule.
        return self.declared_access or user_token()

    @property
    def dialect(self) -> str:
        return type(renderer_for_path(self.route)).__name__

    def path(self, **values: str) -> str:
        """The route with each parameter filled (by name, else "1")."""
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), "1")), self.route)

    def __str__(self) -> str:
        return f"{self.method} {self.route}"


def _walk(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _allows(callback, view_class: type, method: str) -> bool:
    # A route may narrow the view's methods (pnut PUTs where App.net POSTs): as_view(...).
    initkwargs = getattr(callback, "view_initkwargs", {})
    allowed = initkwargs.get("http_method_names", getattr(view_class, "http_method_names", []))
    return method.lower() in allowed and hasattr(view_class, method.lower())


def api_write_endpoints() -> list[WriteEndpoint]:
    """Every (route, write method) an API view answers, in URL-conf order."""
    found = []
    for route, callback in _walk(get_resolver()):
        route = "/" + route
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if view_class is None or not route.startswith(API_PREFIXES):
            continue
        for method in WRITE_METHODS:
            if _allows(callback, view_class, method):
                found.append(WriteEndpoint(route, method, view_class))
    return found
