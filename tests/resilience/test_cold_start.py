"""Cold starts like Neon's: closed idle connections, a database slow to accept.

The next request after either must succeed: health checks replace a connection the
server closed, and connection setup (never a statement) is retried within the bound of
DB_CONNECT_TIMEOUT.
"""

from __future__ import annotations

import threading
import time
from http import HTTPStatus
from types import SimpleNamespace

import pytest

from tests.resilience.conftest import Browser, admin_login
from tests.resilience.servers import PrivatePostgres

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

EMAIL = "sleeper@example.com"
PASSWORD = "cold-start-password-1"
WAKE_SECONDS = 1.5


@pytest.fixture(scope="module")
def direct(servers, shared_postgres, app_database, make_user):
    """gunicorn straight on the shared server, with a signed-in admin session."""
    app = servers.gunicorn(shared_postgres.url(app_database))
    make_user(EMAIL, PASSWORD, staff=True)
    browser = Browser()
    assert admin_login(browser, app.base_url, EMAIL, PASSWORD).status_code == 302
    return SimpleNamespace(app=app, browser=browser)


@pytest.fixture(scope="module")
def proxied(servers, shared_postgres, app_database):
    """gunicorn through a proxy that plays a database waking up."""
    proxy = servers.proxy(shared_postgres.port)
    app = servers.gunicorn(
        shared_postgres.url(app_database, port=proxy.port), DB_CONNECT_TIMEOUT="8"
    )
    return SimpleNamespace(app=app, proxy=proxy)


def test_requests_succeed_after_the_server_closed_every_idle_connection(
    direct, shared_postgres, app_database
):
    app, browser = direct.app, direct.browser
    for _ in range(6):  # both workers hold a persistent connection now
        assert browser.get(app.url("/admin/"), timeout=30).status_code == HTTPStatus.OK

    assert shared_postgres.terminate_backends(app_database) >= 1

    for _ in range(6):
        assert app.get("/readyz").status_code == HTTPStatus.OK
        page = browser.get(app.url("/admin/"), timeout=30)
        assert page.status_code == HTTPStatus.OK
        assert EMAIL in page.text


@pytest.mark.parametrize("mode", ["refuse", "reset"])
def test_next_request_succeeds_when_the_database_accepts_after_a_delay(proxied, mode):
    app, proxy = proxied.app, proxied.proxy
    assert app.get("/readyz").status_code == HTTPStatus.OK

    proxy.set_mode(mode)  # drops the open connections too
    threading.Timer(WAKE_SECONDS, proxy.set_mode, ["up"]).start()
    started = time.monotonic()
    response = app.get("/readyz")

    assert response.status_code == HTTPStatus.OK
    # It was served by a connection opened after the wake-up, not before.
    assert time.monotonic() - started >= WAKE_SECONDS - 0.1


def test_next_request_waits_for_a_slow_handshake(proxied):
    app, proxy = proxied.app, proxied.proxy
    proxy.drop_connections()
    proxy.set_mode("up", delay=WAKE_SECONDS)
    try:
        assert app.get("/readyz").status_code == HTTPStatus.OK
    finally:
        proxy.set_mode("up")


def test_next_request_succeeds_while_a_private_server_is_still_starting(
    servers, tmp_path
):
    """A real PostgreSQL started late: refused, then "starting up", then accepting."""
    server = PrivatePostgres()
    try:
        server.init()
        app = servers.gunicorn(server.url("postgres"), DB_CONNECT_TIMEOUT="20")
        threading.Timer(1.0, server.start, kwargs={"wait": False}).start()

        response = app.get("/readyz")

        # The database answered (this empty server has no migrations applied, so
        # /readyz is 503 for that reason alone, not for the database being down).
        assert response.json()["database"] == "ok"
        assert response.json()["migrations"] == "pending"
        app.stop()
    finally:
        server.remove()
