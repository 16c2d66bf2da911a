"""Persistent database connections survive the server dropping them (Neon suspends).

The test client skips Django's connection housekeeping (`close_old_connections` on
request start and end), so these tests call the WSGI handler the way gunicorn's
workers do, signals included: that is the path on which a reused connection is
health-checked.
"""

from __future__ import annotations

from http import HTTPStatus

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from tests.utils import conninfo, database_url, run_python

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def serve(path: str) -> int:
    """Serve one GET request as a WSGI server does; return the status code."""
    statuses = []
    environ = RequestFactory().get(path).environ
    body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    try:
        b"".join(body)
    finally:
        body.close()  # request_finished: Django's end-of-request housekeeping
    return int(statuses[0].split()[0])


def backend_pid() -> int:
    return connection.connection.info.backend_pid


def terminate(pid: int) -> None:
    """Kill backend `pid` from another connection, as Neon does to an idle one."""
    dbname = connection.settings_dict["NAME"]
    with psycopg.connect(**conninfo(dbname), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(1000):  # until the backend has gone; no timing is asserted
            gone = admin.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)",
                [pid],
            ).fetchone()[0]
            if gone:
                return
    raise AssertionError(f"backend {pid} still running")


def test_a_connection_killed_between_requests_does_not_fail_the_next_one():
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True

    assert serve(reverse("readyz")) == HTTPStatus.OK
    first = backend_pid()  # still open: the connection is persistent
    terminate(first)

    assert serve(reverse("readyz")) == HTTPStatus.OK
    assert backend_pid() != first


def test_without_health_checks_the_killed_connection_would_fail():
    """The control experiment: it is the health check that saves the request above."""
    connection.close()
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    try:
        assert serve(reverse("readyz")) == HTTPStatus.OK
        terminate(backend_pid())

        assert serve(reverse("readyz")) == HTTPStatus.SERVICE_UNAVAILABLE
    finally:
        connection.close()
        connection.settings_dict["CONN_HEALTH_CHECKS"] = True


def test_a_live_connection_is_reused_without_a_statement_to_check_it(monkeypatch):
    """The health check of an idle connection reads its socket instead of asking
    the server (Django's `SELECT 1`): no round trip before each request's first
    query. (The test above kills the connection: that one is still caught.)"""
    assert serve(reverse("readyz")) == HTTPStatus.OK
    pid = backend_pid()

    def no_statement(*args, **kwargs):
        raise AssertionError("the health check sent a statement")

    monkeypatch.setattr(connection.connection, "cursor", no_statement)
    connection.health_check_done = False  # as at the start of the next request
    connection.close_if_health_check_failed()

    assert connection.connection is not None
    assert backend_pid() == pid


POOL_SCRIPT = """
import django, json
django.setup()
from django.db import connection
from django.test import Client
statuses = [Client().get("/readyz").status_code for _ in range(3)]
print(json.dumps([statuses, connection.pool is not None]))
"""


def test_psycopg_pool_serves_requests_when_db_pool_is_on():
    result = run_python(
        POOL_SCRIPT,
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        DB_POOL="1",
        SECRET_KEY="pool-test-" + "k" * 50,
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[[200, 200, 200], true]"
