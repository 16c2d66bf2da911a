"""Fixtures of the resilience tests: databases, gunicorn servers, proxies, users.

The app under test always runs in real gunicorn processes with production settings
(DEBUG off, the manifest static storage), on a database of its own in the shared
PostgreSQL, made from a migrated template so that each test module starts clean (log-in
lock-outs of one module must not leak into the next).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import BCryptSHA256PasswordHasher
from django.db import connection

from tests.resilience.servers import (
    Gunicorn,
    Postgres,
    TcpProxy,
    email_verifier,
    manage,
)

TIMEOUT = 30


@pytest.fixture(scope="session")
def shared_postgres() -> Postgres:
    """The PostgreSQL of DATABASE_URL, where the tests make databases of their own."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    db = settings.DATABASES["default"]
    return Postgres(
        host=db["HOST"] or "127.0.0.1",
        port=int(db["PORT"] or 5432),
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or "",
    )


@pytest.fixture(scope="session")
def template_database(shared_postgres: Postgres) -> Iterator[str]:
    """A migrated database (with the cache table), copied by each test module."""
    # Production static storage needs the manifest, as on a real deploy.
    manage("collectstatic", "--noinput", "--verbosity", "0")
    name = f"todo_res_tpl_{os.getpid()}"
    shared_postgres.create_database(name)
    url = shared_postgres.url(name)
    try:
        manage("migrate", "--noinput", DATABASE_URL=url)
        yield name
    finally:
        shared_postgres.drop_database(name)


@pytest.fixture(scope="module")
def app_database(
    shared_postgres: Postgres, template_database: str, request: pytest.FixtureRequest
) -> Iterator[str]:
    """The name of a fresh, migrated database for this test module."""
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    name = f"todo_res_{module}_{os.getpid()}"
    shared_postgres.create_database(name, template=template_database)
    yield name
    shared_postgres.drop_database(name)


class Servers:
    """Starts gunicorn instances and proxies, and stops them all at the end."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: list[Gunicorn | TcpProxy] = []

    def gunicorn(self, database_url: str, **env: str) -> Gunicorn:
        server = Gunicorn(database_url, self.log_dir, **env)
        self.started.append(server)
        return server.start()

    def proxy(self, upstream_port: int) -> TcpProxy:
        proxy = TcpProxy(upstream_port)
        self.started.append(proxy)
        return proxy.start()

    def stop_all(self) -> None:
        for server in reversed(self.started):
            server.stop()
        for server in self.started:
            if isinstance(server, Gunicorn):
                # Shown by pytest only when a test of the module failed.
                print(f"--- {server.base_url} log (tail) ---\n{server.log()[-4000:]}")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    pool = Servers(tmp_path_factory.mktemp("servers"))
    yield pool
    pool.stop_all()


@pytest.fixture(scope="module")
def make_user(shared_postgres: Postgres, app_database: str):
    """Return a function that adds a user to the module's database (as the admin)."""
    hasher = BCryptSHA256PasswordHasher()

    def make(email: str, password: str, *, staff: bool = False) -> int:
        with shared_postgres.connect(app_database) as conn:
            (user_id,) = conn.execute(
                "INSERT INTO users (email, password_hash, is_active, is_staff,"
                " is_superuser) VALUES (%s, %s, true, %s, %s) RETURNING id",
                [email, hasher.encode(password, hasher.salt()), staff, staff],
            ).fetchone()
        return user_id

    return make


@pytest.fixture(scope="module")
def verify_email(shared_postgres: Postgres, app_database: str):
    """Return a function that marks an address of the module's database verified."""
    return email_verifier(shared_postgres, app_database)


class Browser(requests.Session):
    """A requests session whose every request has a timeout: no test waits forever."""

    def request(self, *args, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def admin_login(
    session: requests.Session, base_url: str, email: str, password: str
) -> requests.Response:
    """Log in for the admin (the site's log-in form); return the form's response."""
    login_url = f"{base_url}/accounts/login/"
    session.get(f"{base_url}/admin/login/", timeout=TIMEOUT).raise_for_status()
    return session.post(
        login_url,
        data={
            "login": email,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def page_login(base_url: str, email: str, password: str) -> Browser:
    """Return a browser signed in through the log-in page."""
    browser = Browser()
    login_url = f"{base_url}/accounts/login/"
    browser.get(login_url).raise_for_status()
    response = browser.post(
        login_url,
        data={
            "login": email,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text
    return browser


def api_account(
    base_url: str, email: str, password: str, *, verify: Callable[[str], None]
) -> Browser:
    """Register through the API, verify the address with `verify`; return a client
    sending the new user's token."""
    client = Browser()
    registered = client.post(
        f"{base_url}/api/v1/auth/register/",
        json={"email": email, "password": password},
    )
    assert registered.status_code == 202, registered.text
    verify(email)
    token = client.post(
        f"{base_url}/api/v1/auth/token/",
        json={"email": email, "password": password},
    )
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Token {token.json()['token']}"
    return client
