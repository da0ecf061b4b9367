"""pnut's envelope: ``{"meta": {"code": …}, "data": …}``, errors ``{"meta": {…}}`` only.

The same as App.net's but for the key order pnut's docs show and the pretty-printing header
(``X-Pretty-JSON``); the error ``meta`` (``code``, ``error_message``, ``error_id``) is shared.
"""

from __future__ import annotations

from typing import Any

from adn_api.envelope import ADNRenderer


class PnutRenderer(ADNRenderer):
    pretty_header = "HTTP_X_PRETTY_JSON"

    def success_body(self, data: Any, meta: dict) -> dict:
        return {"meta": meta, "data": data}
