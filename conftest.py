"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_tests(settings: LazySettings) -> None:
    """Hash with MD5 and serve unhashed static files: bcrypt is slow by design.

    The tests of password hashing itself put the real PASSWORD_HASHERS back.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _no_random_purge(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database rate counters purge expired rows on one request in a thousand,
    at random: never in tests, so that pinned query counts hold (the purge's own
    test turns it on)."""
    monkeypatch.setattr("api.throttling.purge_due", lambda: False)


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Skip the tests marked `postgres` when the suite runs on another database."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db) -> User:
    return User.objects.create_user("ann@example.com", PASSWORD)


@pytest.fixture
def other_user(db) -> User:
    return User.objects.create_user("bob@example.com", PASSWORD)


@pytest.fixture
def client_logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_client_logged_in(api_client: APIClient, user: User) -> APIClient:
    api_client.force_authenticate(user)
    return api_client
