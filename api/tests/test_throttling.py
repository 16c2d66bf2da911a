"""The API's rate limits: sliding-window counters in `api_rate_counters`."""

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


def test_requests_within_the_rate_pass_and_the_next_is_refused(
    counter_store, rates, clock
):
    results = [allowed()[0] for _ in range(6)]

    assert results == [True] * 5 + [False]


def test_each_request_is_one_statement(rates, clock):
    allowed()

    with CaptureQueriesContext(connection) as queries:
        assert allowed()[0]

    assert len(queries) == 1
    assert queries[0]["sql"].startswith("INSERT INTO")


def test_refused_requests_are_not_counted(rates, clock):
    for _ in range(5):
        allowed()
    for _ in range(20):
        assert not allowed()[0]

    assert RateCounter.objects.get().hits == 5


def test_clients_are_counted_apart(rates, clock):
    for _ in range(5):
        allowed("10.0.0.1")

    assert not allowed("10.0.0.1")[0]
    assert allowed("10.0.0.2")[0]


def test_the_previous_window_weighs_in_as_it_slides_out(counter_store, rates, clock):
    for _ in range(5):
        allowed()
    # A quarter into the next window, three quarters of the previous one's 5 count:
    # 3.75 + 1 fits under 5, a second request would not.
    clock.now = T0 + 60 + 15

    assert allowed()[0]
    assert not allowed()[0]

    # Near the end of the window after, the 1 request of the window before still
    # weighs 1/60: 4 more fit, not 5.
    clock.now = T0 + 120 + 59
    assert [allowed()[0] for _ in range(5)] == [True] * 4 + [False]


def test_an_old_window_counts_for_nothing(counter_store, rates, clock):
    for _ in range(5):
        allowed()
    clock.now = T0 + 3 * 60

    assert [allowed()[0] for _ in range(6)] == [True] * 5 + [False]
    if counter_store == "database":
        assert RateCounter.objects.get().previous_hits == 0


def test_retry_after_says_when_the_next_request_fits(counter_store, rates, clock):
    for _ in range(5):
        allowed()
    clock.now = T0 + 30
    ok, throttle = allowed()
    assert not ok
    wait = throttle.wait()

    # This window's 5 must weigh under 4 in the next: 1/5 of the way into it.
    assert wait == 30 + 12
    clock.now += wait - 1
    assert not allowed()[0]
    clock.now += 1
    assert allowed()[0]


def test_a_row_from_a_later_window_counts_as_the_current_one(rates, clock):
    """A machine whose clock lags behind never resets another's counter."""
    clock.now = T0 + 60
    for _ in range(5):
        allowed()
    clock.now = T0 + 50

    assert not allowed()[0]
    assert RateCounter.objects.get().window_number == (T0 + 60) // 60


def test_stale_counters_are_purged_now_and_then(rates, clock, monkeypatch):
    allowed("10.0.0.1")
    clock.now = T0 + 3 * 60
    monkeypatch.setattr(throttling, "purge_due", lambda: True)

    allowed("10.0.0.2")

    assert list(RateCounter.objects.values_list("key", flat=True)) == [
        "throttle_anon_ip:10.0.0.2"
    ]


def test_api_requests_are_limited_per_user_with_429(
    api_client_logged_in, user, other_user, rates, clock
):
    statuses = [api_client_logged_in.get(TASKS_URL).status_code for _ in range(11)]
    api_client_logged_in.force_authenticate(other_user)
    other = api_client_logged_in.get(TASKS_URL)

    assert statuses == [HTTPStatus.OK] * 10 + [HTTPStatus.TOO_MANY_REQUESTS]
    assert other.status_code == HTTPStatus.OK
    assert RateCounter.objects.get(key=f"throttle_user_user:{user.pk}").hits == 10


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_counter_commits_without_waiting_and_nothing_else_does(
    rates, clock
):
    """Outside a transaction the upsert is its own, committed asynchronously; the
    connection's setting is untouched for every statement after it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")

    with CaptureQueriesContext(connection) as queries:
        results = [allowed()[0] for _ in range(6)]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        setting = cursor.fetchone()[0]

    assert results == [True] * 5 + [False]
    assert "set_config('synchronous_commit', 'off', true)" in queries[0]["sql"]
    assert setting == "on"
    assert RateCounter.objects.get().hits == 5


# Attacks on the keys and on what is counted (issue 13) --------------------------------


def test_a_forwarded_address_cannot_fill_a_users_bucket(
    api_client, user, settings, monkeypatch, clock
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(
        throttling.CounterRateThrottle,
        "THROTTLE_RATES",
        {"anon": "100/min", "user": "3/min", "auth": "100/min"},
    )
    # An anonymous client claims the address "<user's id>" through the proxy.
    for _ in range(3):
        api_client.get(
            reverse("api:schema"),
            HTTP_X_FORWARDED_FOR=str(user.pk),
            REMOTE_ADDR="10.0.0.1",
        )
    api_client.force_authenticate(user)

    response = api_client.get(TASKS_URL)

    assert response.status_code == HTTPStatus.OK
    keys = set(RateCounter.objects.values_list("key", flat=True))
    assert f"throttle_user_ip:{user.pk}" in keys
    assert f"throttle_user_user:{user.pk}" in keys


@pytest.mark.parametrize("credentials", [{}, {"HTTP_AUTHORIZATION": "Token bad0bad0"}])
def test_unauthenticated_and_bad_token_requests_are_metered_per_client(
    api_client, rates, clock, credentials
):
    statuses = [
        api_client.get(TASKS_URL, REMOTE_ADDR="10.0.0.3", **credentials).status_code
        for _ in range(7)
    ]
    elsewhere = api_client.get(TASKS_URL, REMOTE_ADDR="10.0.0.4", **credentials)

    # The anonymous rate is 5 a minute: then 429 with Retry-After, not yet another 401.
    assert (
        statuses == [HTTPStatus.UNAUTHORIZED] * 5 + [HTTPStatus.TOO_MANY_REQUESTS] * 2
    )
    assert elsewhere.status_code == HTTPStatus.UNAUTHORIZED
    limited = api_client.get(TASKS_URL, REMOTE_ADDR="10.0.0.3", **credentials)
    assert int(limited["Retry-After"]) >= 1


def test_a_metered_refusal_is_counted_once(api_client, rates, clock):
    api_client.get(TASKS_URL, REMOTE_ADDR="10.0.0.5")

    assert {
        key: hits for key, hits in RateCounter.objects.values_list("key", "hits")
    } == {
        "throttle_anon_ip:10.0.0.5": 1,
        "throttle_user_ip:10.0.0.5": 1,
    }
