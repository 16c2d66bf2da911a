"""Database outage: the app stays up, says so politely, and recovers by itself.

gunicorn serves against PostgreSQL through a proxy that the test cuts: refused
connections (the server is down), connections reset on accept (a proxy in front of a
dead server) and a black hole (an unreachable host, where only the connect timeout ends
the wait).
"""

from __future__ import annotations

import time
from http import HTTPStatus
from types import SimpleNamespace

import pytest
import requests

from tests.resilience.conftest import Browser, admin_login, api_account, page_login
from tests.resilience.servers import wait_until

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

CONNECT_TIMEOUT = 2
#: Allowance for a busy machine on top of the connect timeout: a bound on waiting, not
#: a speed requirement.
SLACK = 5
EMAIL = "operator@example.com"
PASSWORD = "outage-test-password-1"


@pytest.fixture(scope="module")
def site(servers, shared_postgres, app_database, make_user):
    proxy = servers.proxy(shared_postgres.port)
    app = servers.gunicorn(
        shared_postgres.url(app_database, port=proxy.port),
        DB_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
    )
    make_user(EMAIL, PASSWORD, staff=True)
    operator = Browser()
    assert admin_login(operator, app.base_url, EMAIL, PASSWORD).status_code == 302
    return SimpleNamespace(
        proxy=proxy,
        app=app,
        operator=operator,
        integration=api_account(app.base_url, "robot@example.com", PASSWORD),
        browser=page_login(app.base_url, EMAIL, PASSWORD),
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


@pytest.mark.parametrize("mode", ["refuse", "reset", "blackhole"])
def test_outage_answers_503_quickly_and_recovers_without_restart(site, mode):
    app, browser, operator = site.app, site.browser, site.operator
    assert timed_get(browser, app.url("/tasks/")).status_code == HTTPStatus.OK
    workers = app.worker_pids()

    site.proxy.set_mode(mode)
    try:
        # Liveness never needs the database, even for a signed-in browser.
        assert timed_get(browser, app.url("/healthz")).status_code == HTTPStatus.OK

        ready = timed_get(Browser(), app.url("/readyz"))
        assert ready.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert ready.json()["status"] == "unavailable"

        assert_friendly_page(timed_get(browser, app.url("/tasks/")))
        assert_friendly_page(timed_get(operator, app.url("/admin/")))
        assert_json_503(timed_get(site.integration, app.url("/api/v1/tasks/")))
        assert_json_503(timed_get(operator, app.url("/api/v1/me/")))
    finally:
        site.proxy.set_mode("up")

    wait_until(lambda: app.get("/readyz").status_code == HTTPStatus.OK, timeout=SLACK)
    # The same sessions and token still work: nothing was lost, nothing restarted.
    page = browser.get(app.url("/tasks/"))
    assert page.status_code == HTTPStatus.OK
    assert EMAIL in page.text
    assert operator.get(app.url("/admin/")).status_code == HTTPStatus.OK
    tasks = site.integration.get(app.url("/api/v1/tasks/"))
    assert tasks.status_code == HTTPStatus.OK
    assert app.running()
    assert app.worker_pids() == workers
