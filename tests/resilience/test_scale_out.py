"""Two gunicorn instances on one PostgreSQL behave as one site (SPEC §6).

As behind a load balancer: the instances listen on different ports and share nothing
but the database (sessions, the cache table holding throttles and lock-outs, the data).
"""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.resilience.conftest import TIMEOUT, Browser, admin_login

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

PASSWORD = "scale-out-password-1"
#: LOGIN_FAILURE_LIMIT's default.
FAILURE_LIMIT = 5


@pytest.fixture(scope="module")
def pair(servers, shared_postgres, app_database):
    url = shared_postgres.url(app_database)
    return servers.gunicorn(url), servers.gunicorn(url)


@pytest.fixture
def fresh_cache(shared_postgres, app_database):
    """Forget lock-outs and throttles after the test (they are per client address)."""
    yield
    with shared_postgres.connect(app_database) as conn:
        conn.execute("DELETE FROM django_cache")


def test_a_session_made_on_one_server_is_valid_on_the_other(pair, make_user):
    one, other = pair
    make_user("traveller@example.com", PASSWORD, staff=True)
    browser = Browser()

    response = admin_login(browser, one.base_url, "traveller@example.com", PASSWORD)
    assert response.status_code == HTTPStatus.FOUND

    page = browser.get(other.url("/admin/"), allow_redirects=False, timeout=TIMEOUT)
    assert page.status_code == HTTPStatus.OK
    assert "traveller@example.com" in page.text

    browser.post(
        other.url("/admin/logout/"),
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=TIMEOUT,
    )
    page = browser.get(one.url("/admin/"), allow_redirects=False, timeout=TIMEOUT)
    assert page.status_code == HTTPStatus.FOUND  # back to the log-in page


def test_failed_log_ins_are_counted_across_servers(pair, make_user, fresh_cache):
    one, other = pair
    make_user("target@example.com", PASSWORD, staff=True)
    # Three failures on one server and two on the other: neither alone reaches the
    # limit, together they do.
    for server in (one, other, one, other, one):
        response = admin_login(
            Browser(), server.base_url, "target@example.com", "wrong-guess"
        )
        assert response.status_code in {HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS}

    for server in pair:
        response = admin_login(
            Browser(), server.base_url, "target@example.com", PASSWORD
        )
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert "sessionid" not in response.cookies
