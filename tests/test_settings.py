"""Configuration from the environment, and the health probes."""

import json
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from knox.models import AuthToken

from tests.utils import run_python
from todoproject.settings import database_settings

PROBE_SCRIPT = """
import django, json
django.setup()
from django.test import Client
client = Client()
print(json.dumps({
    path: [response.status_code, response.json()]
    for path in ("/healthz", "/readyz")
    for response in [client.get(path)]
}))
"""


def test_production_without_secret_key_refuses_to_start():
    result = run_python("import django; django.setup()")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_without_secret_key_starts_with_a_development_key():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECRET_KEY.startswith('django-insecure'))",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_readyz_is_503_and_healthz_200_when_the_database_is_unreachable():
    result = run_python(
        PROBE_SCRIPT,
        SECRET_KEY="x" * 50,
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="CRITICAL",
        # Nothing listens on port 1: the connection is refused at once.
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere",
    )

    assert result.returncode == 0, result.stderr
    probes = json.loads(result.stdout.strip().splitlines()[-1])
    assert probes["/healthz"] == [200, {"status": "ok"}]
    assert probes["/readyz"] == [
        503,
        {"status": "unavailable", "database": "unreachable"},
    ]


def test_healthz_does_not_touch_the_database(client):
    # No `db` fixture: pytest-django raises on any database access in this test.
    response = client.get(reverse("healthz"))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_200_when_the_database_answers(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "applied",
    }


@pytest.mark.django_db
def test_readyz_is_503_while_a_migration_is_unapplied(client):
    MigrationRecorder(connection).record_unapplied("tasks", "0003_due_date_index")
    try:
        response = client.get(reverse("readyz"))
    finally:
        MigrationRecorder(connection).record_applied("tasks", "0003_due_date_index")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["migrations"] == "pending"


def test_probes_refuse_writes(client):
    assert client.post(reverse("healthz")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_neon_pooled_url_disables_server_side_cursors_and_keeps_ssl_options(
    monkeypatch,
):
    monkeypatch.delenv("DB_POOLED", raising=False)
    monkeypatch.delenv("DB_POOL", raising=False)
    db = database_settings(
        "postgres://app:secret@ep-cool-1234-pooler.eu-central-1.aws.neon.tech/app"
        "?sslmode=verify-full&channel_binding=require"
    )

    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert db["OPTIONS"]["sslmode"] == "verify-full"
    assert db["OPTIONS"]["channel_binding"] == "require"
    assert db["OPTIONS"]["connect_timeout"] == 10
    assert db["CONN_HEALTH_CHECKS"] is True
    assert 0 < db["CONN_MAX_AGE"] < 300


def test_direct_url_keeps_server_side_cursors_and_its_own_timeout(monkeypatch):
    monkeypatch.delenv("DB_POOLED", raising=False)
    db = database_settings(
        "postgres://app:secret@ep-cool-1234.eu-central-1.aws.neon.tech/app?connect_timeout=3"
    )

    assert not db.get("DISABLE_SERVER_SIDE_CURSORS")
    assert db["OPTIONS"]["connect_timeout"] == 3


def test_psycopg_pool_replaces_persistent_connections(monkeypatch):
    monkeypatch.setenv("DB_POOL", "1")
    monkeypatch.setenv("DB_POOL_MAX_SIZE", "8")
    db = database_settings("postgres://app@localhost/app")

    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["pool"]["max_size"] == 8


def test_sqlite_is_the_default_database():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])",
        DEBUG="1",
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_tls_options_of_the_url_reach_libpq_unchanged(monkeypatch):
    monkeypatch.delenv("DB_POOLED", raising=False)
    db = database_settings(
        "postgres://app:secret@ep-cool-1234.eu-central-1.aws.neon.tech/app"
        "?sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt"
    )

    assert db["OPTIONS"]["sslmode"] == "verify-full"
    assert db["OPTIONS"]["sslrootcert"] == "/etc/ssl/certs/ca-certificates.crt"


@pytest.mark.parametrize(
    ("host", "pooled", "expected"),
    [
        ("pgbouncer.internal", "1", True),
        ("ep-cool-1234-pooler.eu-central-1.aws.neon.tech", "0", False),
    ],
)
def test_db_pooled_overrides_the_host_name_guess(monkeypatch, host, pooled, expected):
    monkeypatch.setenv("DB_POOLED", pooled)

    db = database_settings(f"postgres://app@{host}/app")

    assert db.get("DISABLE_SERVER_SIDE_CURSORS", False) is expected


@pytest.mark.parametrize(
    ("host", "setting", "prepared"),
    [
        ("ep-cool-1234.eu-central-1.aws.neon.tech", None, True),
        ("ep-cool-1234-pooler.eu-central-1.aws.neon.tech", None, False),
        ("ep-cool-1234.eu-central-1.aws.neon.tech", "0", False),
        ("ep-cool-1234-pooler.eu-central-1.aws.neon.tech", "1", True),
    ],
)
def test_prepared_statements_only_where_no_transaction_pooler_is_in_the_way(
    monkeypatch, host, setting, prepared
):
    """A transaction-mode pooler hands the next statement to whichever server
    connection is free, which may never have seen the statement prepared."""
    monkeypatch.delenv("DB_POOLED", raising=False)
    if setting is None:
        monkeypatch.delenv("DB_PREPARED_STATEMENTS", raising=False)
    else:
        monkeypatch.setenv("DB_PREPARED_STATEMENTS", setting)

    options = database_settings(f"postgres://app@{host}/app")["OPTIONS"]

    assert options.get("server_side_binding", False) is prepared
    assert ("prepare_threshold" in options) is prepared


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_on_postgresql(api_client, user):
    """The token lookup runs on every API request: after a few, PostgreSQL holds it
    prepared on the connection, and plans it no more."""
    _, key = AuthToken.objects.create(user=user)
    for _ in range(settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] + 1):
        response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any('FROM "knox_authtoken" AS "token"' in text for text in prepared)
