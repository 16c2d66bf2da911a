"""Fixtures of the rate-limit tests: a fake clock, and small rates."""

from __future__ import annotations

import uuid

import pytest
import redis

from api import throttling
from api.tests.throttle_helpers import T0, FakeClock


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    clock = FakeClock(T0)
    monkeypatch.setattr(throttling.CounterRateThrottle, "timer", clock)
    return clock


@pytest.fixture
def rates(monkeypatch):
    # DRF's throttles read their rates once, when the class is defined.
    monkeypatch.setattr(
        throttling.CounterRateThrottle,
        "THROTTLE_RATES",
        {"anon": "5/min", "user": "10/min", "auth": "2/min"},
    )


#: The Redis the Redis-path tests use (database 15, keys under a prefix of their own).
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_counters(settings):
    """Point the rate limits at the local Redis, under a prefix of this test's, removed
    afterwards; skip the test when Redis cannot be reached."""
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("needs Redis at 127.0.0.1:6379")
    settings.REDIS_URL = TEST_REDIS_URL
    settings.API_THROTTLE_REDIS_PREFIX = prefix = f"test-ratelimit-{uuid.uuid4()}:"
    yield client, prefix
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["database", "redis"])
def counter_store(request) -> str:
    """Run a test with the counters in the database table, then in Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_counters")
    return request.param
