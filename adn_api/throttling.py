"""Per-token rate limiting that also reports the ``X-RateLimit-*`` figures to the client.

The limit is DRF's: at most N requests in any window of the rate's duration (a sliding log of
request times). Every request of every endpoint pays for it, so on Redis it is one Lua script
(``SLIDING_LOG``: trim the log, count, add this request, return the count and the oldest time),
one round trip with nothing pickled, instead of DRF's read of the whole history and write of it
back (two round trips, and a list of up to N floats pickled both ways). Any other cache (process
memory, the embedded default) goes DRF's way.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

# KEYS[1]: the token's log, a sorted set of request times; ARGV: now, duration, limit, a unique
# member for this request. Returns {allowed, requests in the window (this one included if
# allowed), the oldest request's time in it}.
SLIDING_LOG = """
local key = KEYS[1]
local now, duration, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - duration)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
    redis.call('ZADD', key, now, ARGV[4])
    redis.call('PEXPIRE', key, math.ceil(duration * 1000))
    count = count + 1
    allowed = 1
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
return {allowed, count, oldest or ARGV[1]}
"""


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"
    # Not DRF's key: its value there is a pickled list, here a sorted set (a server upgraded
    # with DRF's keys still in Redis must not meet them).
    cache_format = "ratelimit_%(scope)s_%(ident)s"

    def get_rate(self) -> str | None:
        # Read live so that a changed setting (tests, reload) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        ident = f"token-{request.auth.pk}" if request.auth is not None else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        try:
            if isinstance(caches["default"], RedisCache):
                allowed = self._allow_in_redis(request, view)
            else:
                allowed = super().allow_request(request, view)
        except Exception:  # the cache (Redis) is down: serve the request rather than fail it
            logger.warning("rate-limit cache unreachable; request not counted", exc_info=True)
            return True
        remaining = max(0, self.num_requests - self.count)
        reset = int(self.oldest + self.duration - self.now) if self.count else 0
        # The middleware adds the headers to the final response, whatever its status.
        request._request.ratelimit = (self.num_requests, remaining, max(reset, 0))
        request._request.ratelimit_authenticated = request.auth is not None
        return allowed

    def _allow_in_redis(self, request, view) -> bool:
        self.key = self.get_cache_key(request, view)
        self.now = self.timer()
        backend = caches["default"]
        client = backend._cache.get_client(self.key, write=True)
        global _script
        if _script is None:
            _script = client.register_script(SLIDING_LOG)  # its SHA, computed here; run by each
        allowed, count, oldest = _script(
            keys=[backend.make_and_validate_key(self.key)],
            args=[repr(self.now), self.duration, self.num_requests, uuid.uuid4().hex],
            client=client,
        )
        self.count, self.oldest = int(count), float(oldest)
        return bool(allowed)

    def throttle_success(self):
        allowed = super().throttle_success()
        self.count, self.oldest = len(self.history), self.history[-1]
        return allowed

    def throttle_failure(self):
        self.count, self.oldest = len(self.history), self.history[-1]
        return super().throttle_failure()

    def wait(self) -> float | None:
        """DRF's ``wait``, from the figures either way of counting leaves."""
        remaining = self.duration - (self.now - self.oldest) if self.count else self.duration
        available = self.num_requests - self.count + 1
        if available <= 0:
            return None
        return remaining / float(available)


_script = None  # SLIDING_LOG, run with whichever client is given (EVALSHA, loaded when missing)
