"""A deploy onto an empty database, as the Procfile does it: `migrate`, then gunicorn.

Nothing else runs in between (no `createcachetable`): the site must answer every kind
of request, and say it is not ready until the migrations have run.
"""

from __future__ import annotations

import os
from http import HTTPStatus

import pytest
import requests

from tests.resilience.servers import manage

pytestmark = pytest.mark.resilience

EMAIL = "operator@example.com"
PASSWORD = "a long operator password"


@pytest.fixture(scope="module")
def empty_database(shared_postgres):
    name = f"todo_res_fresh_{os.getpid()}"
    shared_postgres.create_database(name)
    yield shared_postgres.url(name)
    shared_postgres.drop_database(name)


def test_readyz_is_503_until_migrate_then_the_whole_site_works(servers, empty_database):
    manage("collectstatic", "--noinput", "--verbosity", "0")
    app = servers.gunicorn(empty_database)

    assert app.get("/healthz").status_code == HTTPStatus.OK
    assert app.get("/readyz").status_code == HTTPStatus.SERVICE_UNAVAILABLE

    manage("migrate", "--noinput", DATABASE_URL=empty_database)
    manage(
        "createsuperuser",
        "--noinput",
        "--email",
        EMAIL,
        DATABASE_URL=empty_database,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )

    assert app.get("/readyz").status_code == HTTPStatus.OK
    for path in ("/", "/accounts/signup/", "/accounts/login/", "/api/v1/docs/"):
        assert app.get(path).status_code == HTTPStatus.OK, path
    assert app.get("/api/v1/schema/").status_code == HTTPStatus.OK

    token = requests.post(
        app.url("/api/v1/auth/token/"),
        json={"email": EMAIL, "password": PASSWORD},
        timeout=30,
    )
    assert token.status_code == HTTPStatus.OK, token.text
    headers = {"Authorization": f"Token {token.json()['token']}"}
    created = requests.post(
        app.url("/api/v1/tasks/"), json={"title": "First"}, headers=headers, timeout=30
    )
    assert created.status_code == HTTPStatus.CREATED, created.text
    listed = app.get("/api/v1/tasks/", headers=headers)
    assert listed.status_code == HTTPStatus.OK
    assert [task["title"] for task in listed.json()["results"]] == ["First"]

    # The log-in page writes to the cache (lock-outs): a failed log-in must not 500.
    failed = requests.post(
        app.url("/api/v1/auth/token/"),
        json={"email": EMAIL, "password": "wrong"},
        timeout=30,
    )
    assert failed.status_code == HTTPStatus.BAD_REQUEST
