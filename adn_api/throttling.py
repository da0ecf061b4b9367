"""Per-token rate limiting that also reports the ``X-RateLimit-*`` figures to the client."""

from __future__ import annotations

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self) -> str | None:
        # Read live so that a changed setting (tests, reload) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        ident = f"token-{request.auth.pk}" if request.auth is not None else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        try:
            allowed = super().allow_request(request, view)
        except Exception:  # the cache (Redis) is down: serve the request rather than fail it
            logger.warning("rate-limit cache unreachable; request not counted", exc_info=True)
            return True
        if self.rate is not None:
            remaining = max(0, self.num_requests - len(self.history))
            reset = int(self.history[-1] + self.duration - self.now) if self.history else 0
            # The middleware adds the headers to the final response, whatever its status.
            request._request.ratelimit = (self.num_requests, remaining, max(reset, 0))
            request._request.ratelimit_authenticated = request.auth is not None
        return allowed
