"""Two gunicorn instances on one PostgreSQL behave as one site (SPEC §6).

As behind a load balancer: the instances listen on different ports and share nothing
but the database (sessions, the cache table holding throttles and lock-outs, the data).
Each client below sends its requests to both, alternately.
"""

from __future__ import annotations

from http import HTTPStatus
from types import SimpleNamespace

import pytest
import redis

from tests.resilience.conftest import (
    Browser,
    admin_login,
    api_account,
    page_login,
)

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

PASSWORD = "scale-out-password-1"
#: LOGIN_FAILURE_LIMIT's default.
FAILURE_LIMIT = 5
#: API requests a user may send per minute, set low for this module.
API_RATE = 10


#: The shared cache: the database table by default, or Redis (database 4 is ours).
REDIS_URL = "redis://127.0.0.1:6379/4"


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)


@pytest.fixture(scope="module", params=["db-cache", "redis-cache"])
def pair(request, servers, shared_postgres, app_database):
    env = {"API_THROTTLE_USER": f"{API_RATE}/min"}
    if request.param == "redis-cache":
        try:
            redis_client().ping()
        except redis.RedisError:
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        env["REDIS_URL"] = REDIS_URL
    url = shared_postgres.url(app_database)
    one, other = servers.gunicorn(url, **env), servers.gunicorn(url, **env)
    yield SimpleNamespace(one=one, other=other, both=(one, other), tag=request.param)
    one.stop()
    other.stop()


def email(pair, name: str) -> str:
    """Return a user's address, distinct for each cache the module runs with."""
    return f"{name}.{pair.tag}@example.com"


@pytest.fixture
def fresh_cache(pair, shared_postgres, app_database):
    """Forget lock-outs and throttles after the test (they are per client address)."""
    yield
    with shared_postgres.connect(app_database) as conn:
        conn.execute("DELETE FROM django_cache")
    if "REDIS_URL" in pair.one.env:
        redis_client().flushdb()


def test_a_session_made_on_one_server_is_valid_on_the_other(pair, make_user):
    one, other = pair.both
    make_user(email(pair, "traveller"), PASSWORD, staff=True)
    browser = Browser()

    response = admin_login(browser, one.base_url, email(pair, "traveller"), PASSWORD)
    assert response.status_code == HTTPStatus.FOUND

    page = browser.get(other.url("/admin/"), allow_redirects=False)
    assert page.status_code == HTTPStatus.OK
    assert email(pair, "traveller") in page.text

    browser.post(
        other.url("/admin/logout/"),
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
    )
    page = browser.get(one.url("/admin/"), allow_redirects=False)
    assert page.status_code == HTTPStatus.FOUND  # back to the log-in page


def test_a_page_session_made_on_one_server_is_valid_on_the_other(pair, make_user):
    one, other = pair.both
    make_user(email(pair, "reader"), PASSWORD)

    browser = page_login(one.base_url, email(pair, "reader"), PASSWORD)

    page = browser.get(other.url("/tasks/"), allow_redirects=False)
    assert page.status_code == HTTPStatus.OK
    assert email(pair, "reader") in page.text


def test_failed_log_ins_are_counted_across_servers(pair, make_user, fresh_cache):
    one, other = pair.both
    target = email(pair, "target")
    make_user(target, PASSWORD, staff=True)

    def guess(server, where: str, password: str) -> int:
        if where == "admin":
            return admin_login(Browser(), server.base_url, target, password).status_code
        if where == "api":
            return (
                Browser()
                .post(
                    server.url("/api/v1/auth/token/"),
                    json={"email": target, "password": password},
                )
                .status_code
            )
        browser = Browser()
        browser.get(server.url("/accounts/login/"))
        return browser.post(
            server.url("/accounts/login/"),
            data={
                "login": target,
                "password": password,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            allow_redirects=False,
        ).status_code

    # Three failures on one server and two on the other, through the admin, the page
    # and the API: neither server alone reaches the limit, together they do.
    attempts = [(one, "admin"), (other, "page"), (one, "api"), (other, "page")]
    attempts.append((one, "admin"))
    assert len(attempts) == FAILURE_LIMIT
    for server, where in attempts:
        assert guess(server, where, "wrong-guess") in {200, 400, 429}

    for server, where in [(one, "page"), (other, "api"), (other, "admin")]:
        assert guess(server, where, PASSWORD) == HTTPStatus.TOO_MANY_REQUESTS


def test_the_api_throttle_counts_across_servers(pair, fresh_cache, verify_email):
    one, other = pair.both
    client = api_account(
        one.base_url, email(pair, "busy"), PASSWORD, verify=verify_email
    )

    answered = [
        client.get((one, other)[n % 2].url("/api/v1/me/")).status_code
        for n in range(API_RATE)
    ]
    assert answered == [HTTPStatus.OK] * API_RATE

    for server in pair.both:
        refused = client.get(server.url("/api/v1/me/"))
        assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert int(refused.headers["Retry-After"]) > 0


def test_a_task_changed_through_one_server_is_read_back_through_the_other(
    pair, verify_email
):
    one, other = pair.both
    client = api_account(
        other.base_url, email(pair, "editor"), PASSWORD, verify=verify_email
    )
    created = client.post(one.url("/api/v1/tasks/"), json={"title": "Draft"})
    assert created.status_code == HTTPStatus.CREATED
    path = f"/api/v1/tasks/{created.json()['id']}/"

    changed = client.patch(
        other.url(path), json={"title": "Final", "status": "completed"}
    )
    assert changed.status_code == HTTPStatus.OK

    read = client.get(one.url(path)).json()
    assert (read["title"], read["status"]) == ("Final", "completed")
    assert read["updated_at"] == changed.json()["updated_at"]
    browser = page_login(one.base_url, email(pair, "editor"), PASSWORD)
    page = browser.get(other.url(f"/tasks/{created.json()['id']}/"))
    assert page.status_code == HTTPStatus.OK
    assert "Final" in page.text
