"""Database outage: the app stays up, says so politely, and recovers by itself.

gunicorn serves against PostgreSQL through a proxy that the test cuts: refused
connections (the server is down), connections reset on accept (a proxy in front of a
dead server) and a black hole (an unreachable host, where only the connect timeout ends
the wait). Once with persistent connections (the default), once with psycopg's pool.
"""

from __future__ import annotations

import time
from http import HTTPStatus
from types import SimpleNamespace

import pytest
import requests

from tests.resilience.conftest import (
    Browser,
    admin_login,
    api_account,
    page_login,
)
from tests.resilience.servers import email_verifier

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

CONNECT_TIMEOUT = 2
#: Allowance for a busy machine on top of the connect timeout: a bound on waiting, not
#: a speed requirement.
SLACK = 5
#: psycopg's pool reconnects in the background with exponential backoff, so a pooled
#: worker comes back later than one that connects on demand: still without a restart.
POOL_RECOVERY = 60
PASSWORD = "outage-test-password-1"


def open_site(servers, shared_postgres, app_database, make_user, kind, **env):
    """Start gunicorn behind a proxy, with a signed-in operator, browser and client."""
    proxy = servers.proxy(shared_postgres.port)
    app = servers.gunicorn(
        shared_postgres.url(app_database, port=proxy.port),
        DB_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
        **env,
    )
    email = f"{kind}@example.com"
    make_user(email, PASSWORD, staff=True)
    operator = Browser()
    assert admin_login(operator, app.base_url, email, PASSWORD).status_code == 302
    return SimpleNamespace(
        proxy=proxy,
        app=app,
        email=email,
        operator=operator,
        integration=api_account(
            app.base_url,
            f"robot.{email}",
            PASSWORD,
            verify=email_verifier(shared_postgres, app_database),
        ),
        browser=page_login(app.base_url, email, PASSWORD),
    )


@pytest.fixture(scope="module")
def site(servers, shared_postgres, app_database, make_user):
    return open_site(servers, shared_postgres, app_database, make_user, "persistent")


@pytest.fixture(scope="module")
def pooled_site(servers, shared_postgres, app_database, make_user):
    return open_site(
        servers,
        shared_postgres,
        app_database,
        make_user,
        "pool",
        DB_POOL="1",
        DB_POOL_TIMEOUT=str(CONNECT_TIMEOUT),
    )


def timed_get(session: requests.Session, url: str) -> requests.Response:
    """GET `url`, failing the test if the answer takes longer than the bound."""
    started = time.monotonic()
    response = session.get(url, timeout=CONNECT_TIMEOUT + 3 * SLACK)
    elapsed = time.monotonic() - started
    assert elapsed < CONNECT_TIMEOUT + SLACK, f"{url} took {elapsed:.1f}s"
    return response


def assert_friendly_page(response: requests.Response) -> None:
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Retry-After"]
    assert "Back in a moment" in response.text
    assert "Traceback" not in response.text


def assert_json_503(response: requests.Response) -> None:
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"]
    assert "temporarily unavailable" in response.json()["detail"]


def assert_outage_answers(site) -> None:
    """Check every kind of request while the database cannot be reached."""
    app = site.app
    # Liveness never needs the database, even for a signed-in browser.
    assert timed_get(site.browser, app.url("/healthz")).status_code == HTTPStatus.OK

    ready = timed_get(Browser(), app.url("/readyz"))
    assert ready.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert ready.json()["status"] == "unavailable"

    assert_friendly_page(timed_get(site.browser, app.url("/tasks/")))
    assert_friendly_page(timed_get(site.operator, app.url("/admin/")))
    assert_json_503(timed_get(site.integration, app.url("/api/v1/tasks/")))
    assert_json_503(timed_get(site.operator, app.url("/api/v1/me/")))


def answers(site) -> list[int]:
    """Return the statuses of a page, the admin, the API and /readyz, as signed in."""
    app = site.app
    return [
        site.browser.get(app.url("/tasks/")).status_code,
        site.operator.get(app.url("/admin/")).status_code,
        site.integration.get(app.url("/api/v1/tasks/")).status_code,
        app.get("/readyz").status_code,
    ]


@pytest.mark.parametrize("mode", ["refuse", "reset", "blackhole"])
def test_outage_answers_503_quickly_and_recovers_without_restart(site, mode):
    assert answers(site) == [HTTPStatus.OK] * 4
    workers = site.app.worker_pids()

    site.proxy.set_mode(mode)
    try:
        assert_outage_answers(site)
    finally:
        site.proxy.set_mode("up")

    # The next requests succeed, with the same sessions and token: nothing was lost
    # and nothing restarted.
    for _ in range(3):
        assert answers(site) == [HTTPStatus.OK] * 4
    assert site.email in site.browser.get(site.app.url("/tasks/")).text
    assert site.app.running()
    assert site.app.worker_pids() == workers


def test_with_the_connection_pool_an_outage_answers_503_and_recovers(pooled_site):
    site = pooled_site
    assert answers(site) == [HTTPStatus.OK] * 4
    workers = site.app.worker_pids()

    site.proxy.set_mode("refuse")
    try:
        assert_outage_answers(site)
    finally:
        site.proxy.set_mode("up")

    # Three rounds in a row on every route (both workers), within the bound.
    deadline = time.monotonic() + POOL_RECOVERY
    streak = 0
    while streak < 3:
        assert time.monotonic() < deadline, "the pool did not reconnect"
        streak = streak + 1 if answers(site) == [HTTPStatus.OK] * 4 else 0
        time.sleep(0.2)
    assert site.app.worker_pids() == workers
