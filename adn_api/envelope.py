"""The ``{data, meta}`` envelope, JSONP and pretty-printing.

Views return plain data (and, for lists, extra ``meta`` through ``enveloped``); the renderer
wraps it, so no view builds an envelope by hand. Errors arrive as ``ApiError`` values from the
exception handler and are rendered by the same class, so a dialect changes its error shape in
one place.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from django.http import HttpResponse
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from .errors import ApiError, BadRequest

JSONP_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")


def enveloped(
    data: Any, meta: dict | None = None, status: int = 200, headers: dict | None = None
) -> Response:
    """A response whose envelope ``meta`` carries extra keys (pagination, stream marker)."""
    response = Response(data, status=status, headers=headers)
    response.envelope_meta = meta or {}
    return response


def check_jsonp(request) -> None:
    """JSONP is for unauthenticated reads only (App.net's rule), and the callback must be a name."""
    callback = request.query_params.get("callback")
    if callback is None:
        return
    if not JSONP_CALLBACK.match(callback) or len(callback) > 100:
        raise BadRequest("callback must be a JavaScript function name.")
    if request.auth is not None or "HTTP_AUTHORIZATION" in request.META:
        raise BadRequest("JSONP cannot be used with authenticated requests.")


class ADNRenderer(BaseRenderer):
    """App.net's envelope: ``{"data": …, "meta": {"code": …}}``; errors have ``meta`` only."""

    media_type = "application/json"
    format = "json"
    charset = "utf-8"
    pretty_header = "HTTP_X_ADN_PRETTY_JSON"

    def success_body(self, data: Any, meta: dict) -> dict:
        return {"data": data, "meta": meta}

    def error_body(self, error: ApiError) -> dict:
        return {"meta": error.as_meta()}

    def body(self, data: Any, status: int, extra_meta: dict) -> Any:
        if isinstance(data, ApiError):
            return self.error_body(data)
        return self.success_body(data, {"code": status, **extra_meta})

    def dumps(self, body: Any, pretty: bool) -> bytes:
        """The body as UTF-8 JSON, as it goes out (no round trip through ``str``)."""
        if pretty:
            return (json.dumps(body, indent=4, ensure_ascii=False) + "\n").encode()
        try:
            # orjson: a page of 200 posts is a quarter of a megabyte to encode on every read.
            return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)
        except orjson.JSONEncodeError:  # what only json can write: integers beyond 64 bits
            return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        request = renderer_context.get("request")
        status = response.status_code if response is not None else 200
        if status == 204:
            return b""
        extra_meta = getattr(response, "envelope_meta", {})
        body = self.body(data, status, extra_meta)
        pretty = request is not None and self.pretty_header in request.META
        content = self.dumps(body, pretty)
        callback = request.query_params.get("callback") if request is not None else None
        if callback and JSONP_CALLBACK.match(callback) and response is not None:
            # JSONP: the browser only sees 200s; the real code stays in meta.
            response.status_code = 200
            response["Content-Type"] = "application/javascript; charset=utf-8"
            content = b"%s(%s)" % (callback.encode(), content)
        return content


def error_response(renderer: ADNRenderer, error: ApiError, request=None) -> HttpResponse:
    """Render an error outside DRF (middleware, URL fall-through) in a dialect's shape."""
    pretty = request is not None and renderer.pretty_header in request.META
    return HttpResponse(
        renderer.dumps(renderer.error_body(error), pretty),
        status=error.code,
        content_type=f"{renderer.media_type}; charset=utf-8",
    )
