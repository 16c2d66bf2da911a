"""Adopting the original application's database (SPEC §7), on real PostgreSQL databases.

Each test builds its own scratch database with the original DDL (exactly as NOTES.md
gives it) and runs `manage.py` against it in a subprocess, as an operator would.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import bcrypt
import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.utils import conninfo, database_url, run_manage, run_python

ORIGINAL_DDL = """
CREATE TABLE users (id SERIAL PRIMARY KEY, email VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE TABLE tasks (id SERIAL PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id), title VARCHAR(200) NOT NULL,
  description TEXT, status VARCHAR(50) NOT NULL,
  due_date DATE, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL);
CREATE INDEX ix_tasks_user_id ON tasks (user_id);
"""

# A password over bcrypt's 72 bytes: passlib hashed only its first 72 bytes.
LONG_PASSWORD = "é" * 40 + " and then some more words"
OLD_USERS = [
    # (email as the original application stored it, password, bcrypt prefix)
    ("Ann.Smith@Example.com", "ann's old password", b"2b"),
    ("bob@example.com", LONG_PASSWORD, b"2b"),
    ("cyd@example.com", "cyd-pass-2019", b"2a"),
]

LOGIN_SCRIPT = """
import json, sys
import django
django.setup()
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.test.utils import setup_test_environment
from rest_framework.test import APIClient
from accounts.models import User, has_verified_email
from allauth.account.models import EmailAddress
from tasks.models import Task

results = {}
for email, password in json.loads(sys.argv[1]):
    request = RequestFactory().post("/accounts/login/")
    user = authenticate(request, username=email.upper(), password=password)
    results[email] = None if user is None else {
        "id": user.id,
        "stored_hash": User.objects.get(pk=user.pk).password,
        "wrong_password_refused": authenticate(
            RequestFactory().post("/accounts/login/"), username=email, password="nope"
        ) is None,
        # Recorded as verified by the migration: no verification step for them.
        "verified": EmailAddress.objects.filter(user=user, verified=True).exists()
        and has_verified_email(user),
    }
setup_test_environment()  # the test client's host, "testserver", is allowed
for email, password in json.loads(sys.argv[1]):
    if results[email] is not None:
        token = APIClient().post(
            "/api/v1/auth/token/", {"email": email, "password": password}, format="json"
        )
        results[email]["token_status"] = token.status_code
new_user = User.objects.create_user("new@example.com", "a new password 123")
new_task = Task.objects.create(user=new_user, title="After adoption")
print(json.dumps({"logins": results, "new_user": new_user.id, "new_task": new_task.id}))
"""


@pytest.fixture
def scratch_database() -> Iterator[Callable[[], str]]:
    """Yield a function that creates an empty database; drop them all afterwards."""
    names = []

    def create() -> str:
        name = f"todo_ops_adopt_{secrets.token_hex(4)}"
        with psycopg.connect(**conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
            # Not UTC on purpose: the conversion must not depend on the session zone.
            admin.execute(f"ALTER DATABASE \"{name}\" SET timezone TO 'Asia/Tokyo'")
        names.append(name)
        return name

    yield create
    with psycopg.connect(**conninfo("postgres"), autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sql(dbname: str, query: str, params: tuple | list = ()) -> list[tuple]:
    with psycopg.connect(**conninfo(dbname), autocommit=True) as conn:
        conn.execute("SET timezone TO 'UTC'")
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def production_env(dbname: str) -> dict[str, str]:
    """Return production-like settings pointing at database `dbname`."""
    return {
        "DATABASE_URL": database_url(dbname),
        "SECRET_KEY": "adoption-test-" + "k" * 50,
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def manage(dbname: str, *args: str) -> subprocess.CompletedProcess:
    """Run `manage.py args` against `dbname`."""
    return run_manage(*args, **production_env(dbname))


def log_in(dbname: str, credentials: list[tuple[str, str]]) -> dict:
    """Log each (email, password) in through Django's authenticate(); return results."""
    result = run_python(LOGIN_SCRIPT, json.dumps(credentials), **production_env(dbname))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def build_original_database(dbname: str) -> None:
    """Create the original tables and fill them as the original application did."""
    sql(dbname, ORIGINAL_DDL)
    for number, (email, password, prefix) in enumerate(OLD_USERS):
        hashed = bcrypt.hashpw(
            password.encode()[:72], bcrypt.gensalt(rounds=4, prefix=prefix)
        ).decode()
        sql(
            dbname,
            "INSERT INTO users (email, password_hash, created_at) VALUES (%s, %s, %s)",
            [email, hashed, datetime(2024, 3, 10, 23, 30 + number)],
        )
    # A deleted user: the sequence is ahead of the highest id, as in real data.
    sql(
        dbname,
        "INSERT INTO users (email, password_hash, created_at) "
        "VALUES ('gone@example.com', 'x', '2024-01-01'); "
        "DELETE FROM users WHERE email = 'gone@example.com'",
    )
    tasks = [
        (1, "Pay rent", None, "pending", date(2024, 4, 1)),
        (1, "Ünïcödé ✓ title", "multi\nline", "in_progress", None),
        (2, "x" * 200, "", "completed", date(2023, 12, 31)),
        (3, "  padded  ", "desc", "pending", None),
    ]
    for number, (user_id, title, description, status, due) in enumerate(tasks):
        sql(
            dbname,
            "INSERT INTO tasks (user_id, title, description, status, due_date, "
            "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                user_id,
                title,
                description,
                status,
                due,
                datetime(2024, 3, 31, 22, number, 5, 123456),
                datetime(2024, 4, 1, 1, number),
            ],
        )


def schema_snapshot(dbname: str) -> dict[str, list[tuple]]:
    """Return the columns, constraints, indexes, sequences and triggers of `dbname`."""
    return {
        "columns": sql(
            dbname,
            """
            SELECT table_name, column_name, data_type, character_maximum_length,
                   is_nullable, column_default, is_identity, identity_generation
            FROM information_schema.columns WHERE table_schema = 'public'
            ORDER BY 1, 2
            """,
        ),
        "constraints": sql(
            dbname,
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            ORDER BY 1, 2
            """,
        ),
        "indexes": sql(
            dbname,
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public' ORDER BY 1, 2",
        ),
        "sequences": sql(
            dbname,
            "SELECT sequencename, data_type FROM pg_sequences "
            "WHERE schemaname = 'public' ORDER BY 1",
        ),
        "triggers": sql(
            dbname,
            "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) "
            "FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2",
        ),
    }


def table_names(dbname: str) -> set[str]:
    rows = sql(dbname, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {name for (name,) in rows}


@pytest.mark.django_db
def test_adoption_refuses_a_database_other_than_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("about the other databases")

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("adopt_database", "--check")


@pytest.mark.postgres
@pytest.mark.slow
def test_adopting_the_original_database_keeps_every_row_and_old_passwords(
    scratch_database,
):
    adopted = scratch_database()
    build_original_database(adopted)
    users_before = sql(adopted, "SELECT * FROM users ORDER BY id")
    tasks_before = sql(adopted, "SELECT * FROM tasks ORDER BY id")

    check = manage(adopted, "adopt_database", "--check")
    assert check.returncode == 0, check.stderr
    assert "Nothing stops the adoption" in check.stdout
    assert "3 users, 4 tasks" in check.stdout
    assert "django_migrations" not in table_names(adopted)

    # A plain `migrate` (a release run too early) stops at the existing table
    # without touching it; the adoption then still works.
    premature = manage(adopted, "migrate")
    assert premature.returncode != 0
    assert 'relation "users" already exists' in premature.stderr
    assert sql(adopted, "SELECT * FROM users ORDER BY id") == users_before

    result = manage(adopted, "adopt_database")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "accounts.0001_initial... FAKED" in result.stdout
    assert "tasks.0001_initial... FAKED" in result.stdout
    assert "Adopted: 3 users and 4 tasks kept" in result.stdout

    # Every row and value kept: emails normalised, naive timestamps read as UTC.
    users_after = sql(
        adopted,
        "SELECT id, email, password_hash, created_at, is_active, is_staff, "
        "is_superuser, last_login FROM users ORDER BY id",
    )
    assert users_after == [
        (
            user_id,
            email.strip().lower(),
            password_hash,
            created.replace(tzinfo=UTC),
            True,
            False,
            False,
            None,
        )
        for user_id, email, password_hash, created in users_before
    ]
    # The original columns, first and unchanged; the added ones are nullable, NULL.
    tasks_after = sql(adopted, "SELECT * FROM tasks ORDER BY id")
    assert [row[:8] for row in tasks_after] == [
        (*row[:6], row[6].replace(tzinfo=UTC), row[7].replace(tzinfo=UTC))
        for row in tasks_before
    ]
    assert all(value is None for row in tasks_after for value in row[8:])
    assert tasks_after[0][6] == datetime(2024, 3, 31, 22, 0, 5, 123456, tzinfo=UTC)

    # Django's tables are there, and nothing is left to migrate.
    assert {
        "django_migrations",
        "django_session",
        "django_cache",
        "api_rate_counters",
        "auth_permission",
        "users_groups",
        "users_user_permissions",
        "knox_authtoken",
    } <= table_names(adopted)
    plan = manage(adopted, "showmigrations", "--plan")
    assert plan.returncode == 0, plan.stderr
    assert "[ ]" not in plan.stdout and "[X]  tasks.0002_adopt" in plan.stdout
    assert manage(adopted, "migrate", "--check").returncode == 0
    again = manage(adopted, "adopt_database")
    assert again.returncode == 0, again.stderr
    assert "Already adopted" in again.stdout
    makemigrations = manage(adopted, "makemigrations", "--check", "--dry-run")
    assert makemigrations.returncode == 0, makemigrations.stdout

    # Each old user logs in with the old password (any letter case of the email),
    # and the raw bcrypt hash is replaced by Django's; new rows get new ids.
    credentials = [(email, password) for email, password, _ in OLD_USERS]
    outcome = log_in(adopted, credentials)
    for email, _ in credentials:
        login = outcome["logins"][email]
        assert login is not None, f"{email} could not log in"
        assert login["stored_hash"].startswith("bcrypt_sha256$")
        assert login["wrong_password_refused"]
        assert login["verified"], f"{email} would have to verify the address"
        assert login["token_status"] == 200, f"{email} got no API token"
    assert outcome["new_user"] == 5  # after the deleted user 4, as SERIAL would
    assert outcome["new_task"] == 5
    (raw_id,) = sql(
        adopted,
        "INSERT INTO tasks (user_id, title) VALUES (1, 'raw') RETURNING id",
    )[0]
    assert raw_id == 6

    # The constraints of SPEC §2 hold on the adopted data.
    check_violation = psycopg.errors.CheckViolation
    for statement, error in [
        ("UPDATE tasks SET status = 'done' WHERE id = 1", check_violation),
        ("UPDATE tasks SET title = '   ' WHERE id = 1", check_violation),
        (
            "INSERT INTO users (email, password_hash) VALUES ('BOB@example.com', 'x')",
            psycopg.errors.CheckViolation,
        ),
        (
            "INSERT INTO users (email, password_hash) VALUES ('bob@example.com', 'x')",
            psycopg.errors.UniqueViolation,
        ),
    ]:
        with pytest.raises(error):
            sql(adopted, statement)
    sql(adopted, "DELETE FROM users WHERE id = 1")
    assert sql(adopted, "SELECT count(*) FROM tasks WHERE user_id = 1") == [(0,)]

    # And the adopted schema is the one `migrate` builds on an empty database.
    fresh = scratch_database()
    assert manage(fresh, "migrate").returncode == 0
    assert schema_snapshot(adopted) == schema_snapshot(fresh)


@pytest.mark.postgres
@pytest.mark.slow
def test_unadoptable_data_is_reported_and_nothing_is_changed(scratch_database):
    dbname = scratch_database()
    sql(dbname, ORIGINAL_DDL)
    sql(
        dbname,
        "INSERT INTO users (email, password_hash, created_at) VALUES "
        "('Ann@example.com', 'x', '2024-01-01'), "
        "('ann@example.com', 'y', '2024-01-02'), "
        "('bob@example.com', 'z', '2024-01-03'), "
        # One address twice: a Unicode domain and its IDNA spelling; and an
        # invisible zero-width space.
        "('zoe@bücher.de', 'x', '2024-01-04'), "
        "('Zoe@xn--bcher-kva.de', 'x', '2024-01-05'), "
        "('sam@example.com', 'x', '2024-01-06'), "
        "('sam@example.com\u200b', 'x', '2024-01-07')",
    )
    sql(
        dbname,
        "INSERT INTO tasks (user_id, title, status, due_date, created_at, updated_at) "
        "VALUES (3, 'fine', 'pending', '2030-01-01', '2024-01-01', '2024-01-01'), "
        "(3, 'odd', 'done', NULL, '2024-01-01', '2024-01-01'), "
        "(3, '   ', 'pending', NULL, '2024-01-01', '2024-01-01'), "
        "(3, 'ancient', 'pending', '0001-01-01', '2024-01-01', '2024-01-01'), "
        "(3, 'far', 'pending', '9999-12-31', '2024-01-01', '2024-01-01')",
    )
    before = schema_snapshot(dbname), sql(dbname, "SELECT * FROM users ORDER BY id")

    for args in (["--check"], []):
        result = manage(dbname, "adopt_database", *args)

        assert result.returncode != 0
        report = result.stderr
        assert "Emails equal except for letter case" in report
        assert "Ann@example.com (id 1), ann@example.com (id 2)" in report
        assert "status is not one of pending, in_progress, completed" in report
        assert "id 2: 'done'" in report
        assert "title is blank" in report and "id 3" in report
        assert "due outside 1900-01-01..2200-12-31" in report
        assert "id 4: 0001-01-01; id 5: 9999-12-31" in report
        assert "one address once normalised" in report
        assert "zoe@bücher.de (id 4), Zoe@xn--bcher-kva.de (id 5)" in report
        assert "sam@example.com (id 6), sam@example.com\u200b (id 7)" in report
        assert "Nothing was changed" in report
        assert "Traceback" not in report

    assert table_names(dbname) == {"users", "tasks"}
    assert (
        schema_snapshot(dbname),
        sql(dbname, "SELECT * FROM users ORDER BY id"),
    ) == before
    assert sql(
        dbname,
        "SELECT data_type FROM information_schema.columns "
        "WHERE table_name = 'users' AND column_name = 'created_at'",
    ) == [("timestamp without time zone",)]


@pytest.mark.postgres
def test_check_on_an_empty_database_changes_nothing(scratch_database):
    dbname = scratch_database()

    result = manage(dbname, "adopt_database", "--check")

    assert result.returncode == 0, result.stderr
    assert "No original tables found" in result.stdout
    assert table_names(dbname) == set()
