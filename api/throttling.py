"""The API's rate limits: DRF's throttles, counted by one statement per request.

DRF's own throttles keep each client's request history in the cache: with the database
cache that is a read and a write transaction of several statements on every request.
These keep two counters per client and scope in `api_rate_counters` instead (the
requests of the current fixed window and of the one before), bumped by a single
`INSERT … ON CONFLICT DO UPDATE … RETURNING`, and estimate the rate over the last
`duration` seconds as a sliding window: the current window's hits plus the previous
window's, weighted by how much of it still overlaps. Counters live in the database, so
every process and machine shares them.

The scopes and rates are DRF's (`DEFAULT_THROTTLE_RATES`, `throttle_scope`), and so
is the key's shape, `throttle_<scope>_<ident>`, except that the ident says what it
is: `user:<id>` for a signed-in user, `ip:<address>` for a client without one. In
DRF both are bare, so a client whose (forwarded) address is "2" would fill user 2's
bucket. A refused request is not counted, as with DRF.

DRF checks throttles after authentication and permissions, so a request with a bad
token, or none where one is needed, would never be counted: `meter_refused()` counts
it per client before its 401 or 403 goes out (api.exceptions).
"""

from __future__ import annotations

import functools
import math
import random

import redis
from django.conf import settings
from django.db import DatabaseError, connections, router
from django.db.models import F
from rest_framework import throttling

from api.models import RateCounter

#: One request in this many also deletes counters that stopped mattering.
PURGE_ONE_IN = 1000

# A row from an earlier window rolls over: the window just before becomes the previous
# one, anything older counts for nothing. A row from a later window (a machine whose
# clock is behind) is counted as the current one. Identifiers are quoted as both
# PostgreSQL and SQLite do.
_UPSERT = """
INSERT INTO "api_rate_counters" AS counter
    ("key", "window_number", "hits", "previous_hits", "expires_at")
{values}
ON CONFLICT ("key") DO UPDATE SET
    "previous_hits" = CASE
        WHEN counter."window_number" >= EXCLUDED."window_number"
            THEN counter."previous_hits"
        WHEN counter."window_number" = EXCLUDED."window_number" - 1
            THEN counter."hits"
        ELSE 0 END,
    "hits" = CASE
        WHEN counter."window_number" >= EXCLUDED."window_number"
            THEN counter."hits" + 1
        ELSE 1 END,
    "window_number" = CASE
        WHEN counter."window_number" > EXCLUDED."window_number"
            THEN counter."window_number"
        ELSE EXCLUDED."window_number" END,
    "expires_at" = EXCLUDED."expires_at"
RETURNING "hits", "previous_hits", "window_number"
"""
HIT_SQL = _UPSERT.format(values="VALUES (%s, %s, 1, 0, %s)").strip()
#: On PostgreSQL, outside a transaction: the statement is its own transaction, and
#: need not wait for its commit to reach the disk (a flush for every API request,
#: slower still on Neon). A crash can lose the last fraction of a second of counts:
#: harmless for a rate limit. `set_config(..., true)` lasts for this transaction only.
HIT_SQL_ASYNC_COMMIT = _UPSERT.format(
    values="SELECT %s, %s, 1, 0, %s "
    "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit"
).strip()


def purge_due() -> bool:
    """Whether this request also deletes the expired counters (one in PURGE_ONE_IN,
    at random)."""
    return random.randrange(PURGE_ONE_IN) == 0


#: What a counter store raises when it cannot be reached.
COUNTER_STORE_ERRORS = (DatabaseError, redis.RedisError)


@functools.cache
def redis_client(url: str) -> redis.Redis:
    """One client (and connection pool) per process and URL, made on first use."""
    return redis.Redis.from_url(url)


class CounterRateThrottle(throttling.SimpleRateThrottle):
    """A sliding-window rate limit on two counters: in `api_rate_counters`, or in
    Redis when `REDIS_URL` is set."""

    def get_ident(self, request) -> str:
        """Return the client's address, marked as one (never a user id)."""
        return f"ip:{super().get_ident(request)}"

    def allow_request(self, request, view) -> bool:
        # Counted once per request at most: see meter_refused().
        getattr(request, "_request", request).api_metered = True
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        if settings.REDIS_URL:
            hits, previous_hits, window = self._hit_redis(window)
        else:
            hits, previous_hits, window = self._hit_database(now, window)
        # The fraction of the window gone by (0 in a window ahead of this clock).
        elapsed = min(max((now - window * self.duration) / self.duration, 0.0), 1.0)
        if previous_hits * (1 - elapsed) + hits <= self.num_requests:
            return True
        # Refused: not counted, so a client that waits as told gets through.
        if settings.REDIS_URL:
            redis_client(settings.REDIS_URL).decr(self._redis_key(window))
        else:
            alias = router.db_for_write(RateCounter)
            RateCounter.objects.using(alias).filter(key=self.key).update(
                hits=F("hits") - 1
            )
        self.wait_seconds = self._wait(hits - 1, previous_hits, elapsed)
        return False

    def _hit_database(self, now: float, window: int) -> tuple[int, int, int]:
        """Count the request in `api_rate_counters`; return (hits, previous
        window's hits, the row's window number)."""
        # Two windows' counts matter; after that the row can go.
        expires_at = (window + 2) * self.duration
        alias = router.db_for_write(RateCounter)
        connection = connections[alias]
        async_commit = connection.vendor == "postgresql" and not (
            connection.in_atomic_block  # an outer transaction's commit must wait
        )
        sql = HIT_SQL_ASYNC_COMMIT if async_commit else HIT_SQL
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.key, window, expires_at])
            hits, previous_hits, window = cursor.fetchone()
            if purge_due():
                RateCounter.objects.using(alias).filter(expires_at__lt=now).delete()
        return hits, previous_hits, window

    def _redis_key(self, window: int) -> str:
        return f"{settings.API_THROTTLE_REDIS_PREFIX}{self.key}:{window}"

    def _hit_redis(self, window: int) -> tuple[int, int, int]:
        """Count the request in Redis, in one round trip: bump this window's counter,
        keep it while it counts (this window and the next), read the previous one's."""
        current = self._redis_key(window)
        pipeline = redis_client(settings.REDIS_URL).pipeline(transaction=False)
        pipeline.incr(current)
        pipeline.expire(current, 2 * self.duration)
        pipeline.get(self._redis_key(window - 1))
        hits, _, previous_hits = pipeline.execute()
        return hits, int(previous_hits or 0), window

    def _wait(self, hits: int, previous_hits: int, elapsed: float) -> float:
        """Seconds until one more request fits, with `hits` counted in this window."""
        limit = self.num_requests
        if hits + 1 <= limit:
            # The previous window's share shrinks as this one goes by.
            needed = 1 - (limit - hits - 1) / previous_hits
            return max((needed - elapsed) * self.duration, 0.0)
        # Only in the next window, once enough of this one's share has slid out.
        needed = 1 - (limit - 1) / hits
        return (1 - elapsed + needed) * self.duration

    def wait(self) -> float | None:
        seconds = getattr(self, "wait_seconds", None)
        return None if seconds is None else max(math.ceil(seconds), 1)


class UserKeyMixin:
    """Key a signed-in user's counter `user:<id>` (DRF writes the bare id)."""

    def get_cache_key(self, request, view) -> str | None:
        key = super().get_cache_key(request, view)
        user = request.user
        if key is not None and user and user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": f"user:{user.pk}"}
        return key


class AnonRateThrottle(throttling.AnonRateThrottle, CounterRateThrottle):
    """Requests without credentials, per client address (scope "anon")."""


class UserRateThrottle(UserKeyMixin, throttling.UserRateThrottle, CounterRateThrottle):
    """Requests per signed-in user, per address for anonymous ones (scope "user")."""


class ScopedRateThrottle(
    UserKeyMixin, throttling.ScopedRateThrottle, CounterRateThrottle
):
    """Requests to views of one `throttle_scope`, per user or address."""


def meter_refused(request, view) -> float | None:
    """Count a request refused before DRF's throttles ran (401, 403) against its
    client; return the seconds to wait if that makes the client too fast, else None.

    Such a request is anonymous by then (a failed authentication leaves no user), so
    each throttle of the view counts it by the client's address.
    """
    if view is None or getattr(request._request, "api_metered", False):
        return None
    try:
        waits = [
            throttle.wait()
            for throttle in view.get_throttles()
            if not throttle.allow_request(request, view)
        ]
    except COUNTER_STORE_ERRORS:
        # The request is refused anyway: without the counters (an outage, tables
        # not migrated yet) it keeps its own answer rather than becoming a 500.
        return None
    waits = [wait for wait in waits if wait is not None]
    return max(waits, default=None) if waits else None
