"""diaspora's response shape: bare JSON, and errors as ``{"code": …, "message": …}``.

A sibling of the ADN renderer (same JSON writing, same error values), without the envelope and
without JSONP, which diaspora does not offer.
"""

from __future__ import annotations

from typing import Any

from adn_api.envelope import ADNRenderer
from adn_api.errors import ApiError


class DiasporaRenderer(ADNRenderer):
    pretty_header = "HTTP_X_PRETTY_JSON"

    def error_body(self, error: ApiError) -> dict:
        return {"code": error.code, "message": error.message}

    def body(self, data: Any, status: int, extra_meta: dict) -> Any:
        return self.error_body(data) if isinstance(data, ApiError) else data

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        request = renderer_context.get("request")
        if response is not None and response.status_code == 204:
            return b""
        pretty = request is not None and self.pretty_header in request.META
        return self.dumps(self.body(data, 200, {}), pretty)
