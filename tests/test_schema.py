"""The PostgreSQL schema, read back from the catalog and compared with SPEC §2.

These tests talk to the database in raw SQL on purpose: the rules must hold for any
client, not only for this project's ORM.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def rows(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall() if cursor.description else []


def one(sql: str, params: list | None = None):
    result = rows(sql, params)
    assert len(result) == 1, result
    return result[0]


def columns(table: str) -> dict[str, tuple]:
    """Return {column: (data_type, max_length, nullable, default)} for `table`."""
    return {
        name: (data_type, length, nullable, default)
        for name, data_type, length, nullable, default in rows(
            """
            SELECT column_name, data_type, character_maximum_length, is_nullable,
                   column_default
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s
            """,
            [table],
        )
    }


def index_definitions(table: str) -> dict[str, str]:
    return dict(
        rows(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [table],
        )
    )


def check_constraints(table: str) -> dict[str, str]:
    return dict(
        rows(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype = 'c'
            """,
            [table],
        )
    )


def test_users_columns_match_the_spec():
    cols = columns("users")

    assert cols["id"][:3] == ("integer", None, "NO")
    assert cols["email"][:3] == ("character varying", 255, "NO")
    assert cols["password_hash"][:3] == ("character varying", 255, "NO")
    assert cols["created_at"][:3] == ("timestamp with time zone", None, "NO")
    assert cols["created_at"][3] in {
        "now()",
        "statement_timestamp()",
        "CURRENT_TIMESTAMP",
    }
    assert cols["is_active"] == ("boolean", None, "NO", "true")
    assert cols["is_staff"] == ("boolean", None, "NO", "false")
    assert cols["is_superuser"] == ("boolean", None, "NO", "false")
    assert cols["last_login"][:3] == ("timestamp with time zone", None, "YES")
    assert "password" not in cols
    assert "username" not in cols


def test_users_email_is_unique_and_stored_normalised():
    unique = rows(
        """
        SELECT pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = 'users'::regclass AND contype = 'u'
        """
    )
    assert unique == [("UNIQUE (email)",)]
    assert check_constraints("users") == {
        "users_email_normalised": (
            "CHECK (((email)::text = lower(TRIM(BOTH FROM email))))"
        )
    }


def test_django_auth_tables_exist():
    tables = {name for (name,) in rows("SELECT tablename FROM pg_tables")}
    assert {
        "users_groups",
        "users_user_permissions",
        "auth_group",
        "auth_permission",
        "django_session",
        "django_cache",
    } <= tables


def test_tasks_columns_match_the_spec():
    cols = columns("tasks")

    assert cols["id"][:3] == ("integer", None, "NO")
    assert cols["user_id"][:3] == ("integer", None, "NO")
    assert cols["title"][:3] == ("character varying", 200, "NO")
    assert cols["description"][:3] == ("text", None, "YES")
    assert cols["status"] == (
        "character varying",
        50,
        "NO",
        "'pending'::character varying",
    )
    assert cols["due_date"][:3] == ("date", None, "YES")
    for name in ("created_at", "updated_at"):
        assert cols[name][:3] == ("timestamp with time zone", None, "NO")
        assert cols[name][3] in {"now()", "statement_timestamp()", "CURRENT_TIMESTAMP"}
    # Columns added since (issue 17) are nullable: older writers can omit them.
    assert cols["repeat"][:3] == ("character varying", 16, "YES")
    assert cols["last_completed_at"][:3] == ("timestamp with time zone", None, "YES")
    assert set(cols) == {
        "id",
        "user_id",
        "title",
        "description",
        "status",
        "due_date",
        "created_at",
        "updated_at",
        "repeat",
        "last_completed_at",
    }


def test_ids_are_generated_integers():
    for table in ("users", "tasks"):
        (identity,) = one(
            """
            SELECT is_identity FROM information_schema.columns
            WHERE table_name = %s AND column_name = 'id'
            """,
            [table],
        )
        assert identity == "YES"


def test_tasks_foreign_key_cascades_in_the_database():
    (definition,) = one(
        """
        SELECT pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = 'tasks'::regclass AND contype = 'f'
        """
    )
    assert definition.startswith(
        "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE"
    )


def test_every_foreign_key_to_an_account_or_a_task_cascades_in_the_database():
    """A raw `DELETE FROM users` (or `tasks`) by an operator works and leaves no row
    of that account (or task) behind, whatever table Django or a library made."""
    not_cascading = rows(
        """
        SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint
        WHERE contype = 'f' AND confdeltype <> 'c'
          AND confrelid IN ('users'::regclass, 'tasks'::regclass, 'tags'::regclass)
        ORDER BY 1
        """
    )
    assert not_cascading == []


def test_a_raw_delete_of_an_account_with_tokens_tags_and_logs_removes_it_all():
    from accounts.models import User
    from accounts.tokens import create_token
    from tasks.tests.factories import TaskFactory

    user = User.objects.create_user("raw@example.com", "a long password 123")
    create_token(user)
    TaskFactory(user=user).set_tags(["work"])
    user.groups.create(name="Operators")

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [user.pk])

    for table in ("knox_authtoken", "tags", "tasks", "users_groups"):
        assert one(f"SELECT count(*) FROM {table}") == (0,), table


def test_tasks_check_constraints():
    checks = check_constraints("tasks")
    assert set(checks) == {
        "tasks_status_valid",
        "tasks_title_not_blank",
        "tasks_repeat_valid",
        "tasks_repeat_needs_due_date",
        "tasks_due_date_in_range",
    }
    assert "due_date IS NOT NULL" in checks["tasks_repeat_needs_due_date"]
    due = checks["tasks_due_date_in_range"]
    assert "(due_date >= '1900-01-01'::date)" in due
    assert "(due_date <= '2200-12-31'::date)" in due
    assert "(due_date IS NULL)" in due
    for status in ("pending", "in_progress", "completed"):
        assert f"'{status}'" in checks["tasks_status_valid"]
    assert (
        checks["tasks_title_not_blank"] == "CHECK ((length(TRIM(BOTH FROM title)) > 0))"
    )


def test_tasks_indexes_serve_the_common_queries():
    indexes = index_definitions("tasks")

    assert set(indexes) == {
        "tasks_pkey",
        "tasks_user_created_idx",
        "tasks_user_status_idx",
        "tasks_user_due_idx",
        "tasks_due_idx",
    }
    assert indexes["tasks_user_created_idx"].endswith(
        "(user_id, created_at DESC, id DESC)"
    )
    assert indexes["tasks_user_status_idx"].endswith(
        "(user_id, status, created_at DESC)"
    )
    assert indexes["tasks_user_due_idx"].endswith("(user_id, due_date)")
    assert indexes["tasks_due_idx"].endswith("(due_date)")


def insert_user(email: str = "raw@example.com") -> int:
    (user_id,) = one(
        "INSERT INTO users (email, password_hash) VALUES (%s, 'x') RETURNING id",
        [email],
    )
    return user_id


def test_raw_inserts_get_the_database_defaults():
    user_id = insert_user()
    (task_id,) = one(
        "INSERT INTO tasks (user_id, title) VALUES (%s, 'Raw') RETURNING id", [user_id]
    )

    status, created, updated, description, due = one(
        "SELECT status, created_at, updated_at, description, due_date FROM tasks "
        "WHERE id = %s",
        [task_id],
    )
    assert status == "pending"
    assert created is not None and created == updated
    assert description is None and due is None
    active, staff, superuser, user_created = one(
        "SELECT is_active, is_staff, is_superuser, created_at FROM users WHERE id = %s",
        [user_id],
    )
    assert (active, staff, superuser) == (True, False, False)
    assert user_created is not None


@pytest.mark.parametrize(
    ("title", "status"),
    [
        ("ok", "bogus"),
        ("ok", "Pending"),
        ("", "pending"),
        ("   ", "pending"),
        ("ok", None),
    ],
)
def test_database_refuses_bad_rows(title, status):
    user_id = insert_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        rows(
            "INSERT INTO tasks (user_id, title, status) VALUES (%s, %s, %s)",
            [user_id, title, status],
        )


def test_database_refuses_a_task_without_an_owner():
    with pytest.raises(IntegrityError), transaction.atomic():
        rows("INSERT INTO tasks (user_id, title) VALUES (987654, 'orphan')")
        rows("SET CONSTRAINTS ALL IMMEDIATE")


def test_emails_differing_only_by_case_collide_in_the_database():
    insert_user("ann@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_user("ANN@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_user("ann@example.com")


def test_raw_delete_of_a_user_deletes_their_tasks():
    user_id = insert_user()
    rows(
        "INSERT INTO tasks (user_id, title) VALUES (%s, 'a'), (%s, 'b')",
        [user_id, user_id],
    )

    rows("DELETE FROM users WHERE id = %s", [user_id])

    assert one("SELECT count(*) FROM tasks WHERE user_id = %s", [user_id]) == (0,)


def test_raw_update_moves_updated_at_unless_it_is_set():
    user_id = insert_user()
    (task_id,) = one(
        "INSERT INTO tasks (user_id, title, created_at, updated_at) "
        "VALUES (%s, 't', now() - interval '1 day', now() - interval '1 day') "
        "RETURNING id",
        [user_id],
    )
    (before,) = one("SELECT updated_at FROM tasks WHERE id = %s", [task_id])

    rows("UPDATE tasks SET title = 'changed' WHERE id = %s", [task_id])
    (touched,) = one("SELECT updated_at FROM tasks WHERE id = %s", [task_id])
    assert touched - before > timedelta(hours=23)

    rows(
        "UPDATE tasks SET title = 'again', updated_at = %s WHERE id = %s",
        [before, task_id],
    )
    (explicit,) = one("SELECT updated_at FROM tasks WHERE id = %s", [task_id])
    assert explicit == before
