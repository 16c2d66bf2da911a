"""The database backend retries opening a connection, and nothing else.

Each test opens its own connection (not the test database's) through a proxy, which
counts the connections it accepts.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection

from serving.db_backend.base import DatabaseWrapper
from tests.resilience.servers import TcpProxy

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]


@pytest.fixture
def proxy():
    proxy = TcpProxy(int(connection.settings_dict["PORT"] or 5432))
    yield proxy.start()
    proxy.stop()


def wrapper_through(proxy: TcpProxy, **options) -> DatabaseWrapper:
    """Return a new, unconnected backend for the test database, via `proxy`."""
    settings_dict = {
        **connection.settings_dict,
        "HOST": "127.0.0.1",
        "PORT": proxy.port,
        "OPTIONS": {**connection.settings_dict["OPTIONS"], **options},
    }
    return DatabaseWrapper(settings_dict, alias="resilience_probe")


@pytest.mark.django_db
def test_connection_setup_is_retried_until_the_database_accepts(proxy):
    probe = wrapper_through(proxy, connect_timeout=10)
    proxy.set_mode("reset")
    threading.Timer(1.0, proxy.set_mode, ["up"]).start()
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        probe.close()

    assert proxy.accepted >= 2


@pytest.mark.django_db
def test_a_failed_statement_is_not_retried(proxy):
    probe = wrapper_through(proxy, connect_timeout=10)
    try:
        probe.ensure_connection()
        proxy.drop_connections()  # the server goes away after connecting

        with pytest.raises(OperationalError), probe.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        probe.close()

    assert proxy.accepted == 1


@pytest.mark.django_db
def test_all_attempts_together_stay_within_the_connect_timeout(proxy):
    probe = wrapper_through(proxy, connect_timeout=3)
    proxy.set_mode("reset")
    started = time.monotonic()

    with pytest.raises(OperationalError):
        probe.ensure_connection()

    # One second of allowance for a busy machine: a bound, not a speed test.
    assert time.monotonic() - started < 3 + 1
    assert proxy.accepted >= 2


@pytest.mark.django_db
def test_a_missing_database_is_not_retried(proxy):
    probe = wrapper_through(proxy, connect_timeout=10)
    probe.settings_dict["NAME"] = "todo_res_no_such_database"

    with pytest.raises(OperationalError, match="does not exist"):
        probe.ensure_connection()

    assert proxy.accepted == 1
