"""The API's rate limits with REDIS_URL set: the same sliding window, counted in Redis.

These run against the Redis at 127.0.0.1:6379 (api/tests/conftest.py) and are skipped
when it cannot be reached. The window's arithmetic (the rate, the sliding window,
Retry-After) is tested on both stores in test_throttling.py.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api import throttling
from api.models import RateCounter
from api.tests.throttle_helpers import T0, allowed

pytestmark = pytest.mark.django_db

TASKS_URL = reverse("api:task-list")


def counters(redis_counters) -> dict[str, int]:
    client, prefix = redis_counters
    return {
        key.decode().removeprefix(prefix): int(client.get(key))
        for key in client.scan_iter(match=f"{prefix}*")
    }


def test_a_request_writes_nothing_to_the_database(redis_counters, rates, clock):
    with CaptureQueriesContext(connection) as queries:
        assert allowed()[0]

    assert len(queries) == 0
    assert not RateCounter.objects.exists()


def test_refused_requests_are_not_counted(redis_counters, rates, clock):
    for _ in range(5):
        allowed()
    for _ in range(20):
        assert not allowed()[0]

    window = T0 // 60
    assert counters(redis_counters) == {f"throttle_anon_ip:10.0.0.1:{window}": 5}


def test_counters_expire_once_they_no_longer_count(redis_counters, rates, clock):
    allowed()
    client, prefix = redis_counters

    [key] = client.scan_iter(match=f"{prefix}*")
    # This window and the next: after that it is older than the previous window.
    assert 60 < client.ttl(key) <= 2 * 60


def test_api_requests_are_limited_per_user_with_429_and_retry_after(
    api_client_logged_in, user, other_user, redis_counters, rates, clock
):
    statuses = [api_client_logged_in.get(TASKS_URL).status_code for _ in range(11)]
    limited = api_client_logged_in.get(TASKS_URL)
    api_client_logged_in.force_authenticate(other_user)
    other = api_client_logged_in.get(TASKS_URL)

    assert statuses == [HTTPStatus.OK] * 10 + [HTTPStatus.TOO_MANY_REQUESTS]
    assert int(limited["Retry-After"]) >= 1
    assert other.status_code == HTTPStatus.OK
    window = T0 // 60
    assert counters(redis_counters)[f"throttle_user_user:{user.pk}:{window}"] == 10


def test_unauthenticated_requests_are_metered_per_address(
    api_client, redis_counters, rates, clock
):
    statuses = [
        api_client.get(TASKS_URL, REMOTE_ADDR="10.0.0.3").status_code for _ in range(7)
    ]

    assert (
        statuses == [HTTPStatus.UNAUTHORIZED] * 5 + [HTTPStatus.TOO_MANY_REQUESTS] * 2
    )
    window = T0 // 60
    assert counters(redis_counters)[f"throttle_anon_ip:10.0.0.3:{window}"] == 5


def test_every_process_shares_the_counters(redis_counters, rates, clock, monkeypatch):
    """Another process has its own client: the counts are Redis's, not the client's."""
    for _ in range(3):
        allowed()
    throttling.redis_client.cache_clear()

    assert [allowed()[0] for _ in range(3)] == [True] * 2 + [False]


def test_without_redis_a_refused_request_keeps_its_answer(
    api_client, settings, rates, clock
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    response = api_client.get(TASKS_URL, REMOTE_ADDR="10.0.0.6")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
