"""The history of every task: database triggers on `tasks` write `task_events` rows.

Triggers, not Python, so that every writer is recorded: the pages, the API, the admin
and its bulk actions, `QuerySet.update()`, and on PostgreSQL raw SQL from any client.
SQLite has triggers too, so both databases record the same events.

Who did it (the actor) is the signed-in user of the request, or nobody ("system":
commands, the shell, other clients):

- PostgreSQL: the trigger reads `current_setting('todo.actor_id', true)`. Within a
  request, each write to `tasks` first runs `set_config('todo.actor_id', …, true)` in
  the same transaction (a local setting), so it works through a transaction-mode pooler
  such as Neon's and never leaks into another client's transaction. Both statements
  travel in one round trip (set_actor_before_task_writes).
- SQLite: the trigger calls `todo_actor_id()`, a function Django defines on each of its
  connections. (A write from the sqlite3 shell fails with "no such function"; use
  `manage.py shell` for local experiments.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.http import HttpRequest, HttpResponse

#: The request being served, whose user is the actor of the writes it makes.
_current_request: ContextVar[HttpRequest | None] = ContextVar(
    "todo_current_request", default=None
)

#: The statements Django writes to `tasks` with (table names are quoted).
TASK_WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM) "tasks"\s', re.I)

TRACKED_FIELDS = (
    "title",
    "description",
    "status",
    "due_date",
    "repeat",
    "last_completed_at",
)


def current_actor_id() -> int | None:
    """Return the id of the signed-in user of the current request, if any."""
    request = _current_request.get()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.pk


class ActorMiddleware:
    """Make the request's user the actor of the task changes it makes.

    The user is read when a task is written, after the API has authenticated the
    request (DRF sets the user on the underlying request).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            if connection.vendor == "postgresql":
                with connection.execute_wrapper(set_actor_before_task_writes):
                    return self.get_response(request)
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def set_actor_before_task_writes(
    execute: Callable, sql: str, params: Any, many: bool, context: dict
) -> Any:
    """Run a write to `tasks` in a transaction that first names the actor.

    The two statements go to the server together, in one round trip: psycopg's
    pipeline mode sends both, then a Sync, and reads the results of both. Statements
    up to a Sync are one transaction, so outside a transaction block the local
    setting and the write commit together at the Sync, with no BEGIN or COMMIT of
    their own; inside a block (`transaction.atomic`) they join it. Either way the
    setting never outlives the write's transaction. A batch (`executemany`) joins the
    pipeline too: psycopg queues its statements behind the setting.
    """
    if not TASK_WRITE.match(sql):
        return execute(sql, params, many, context)
    actor_id = current_actor_id()
    if actor_id is None:
        return execute(sql, params, many, context)
    database, cursor = context["connection"], context["cursor"]
    name_actor = ("SELECT set_config('todo.actor_id', %s, true)", [str(actor_id)])
    # Errors arrive at the Sync, when the pipeline ends: they are Django's errors
    # there too.
    with database.wrap_database_errors, database.connection.pipeline():
        cursor.execute(*name_actor)
        return execute(sql, params, many, context)


def define_sqlite_functions(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """Define `todo_actor_id()` on a new SQLite connection (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("todo_actor_id", 0, current_actor_id)


# The triggers -------------------------------------------------------------------------

_quoted_fields = ", ".join(f"'{name}'" for name in TRACKED_FIELDS)
POSTGRESQL_FIELDS = f"ARRAY[{_quoted_fields}]"
POSTGRESQL_TRIGGER = """
CREATE OR REPLACE FUNCTION tasks_record_event() RETURNS trigger AS $$
DECLARE
    actor integer := NULLIF(current_setting('todo.actor_id', true), '')::integer;
    changes jsonb := '{}'::jsonb;
    old_row jsonb;
    new_row jsonb;
    field text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM tasks_trash WHERE id = NEW.id) THEN
            INSERT INTO task_events (task_id, user_id, actor_id, action, changes, at)
            VALUES (NEW.id, NEW.user_id, actor, 'restored', changes,
                    statement_timestamp());
        ELSE
            new_row := to_jsonb(NEW);
            FOREACH field IN ARRAY %(fields)s LOOP
                changes := changes || jsonb_build_object(
                    field, jsonb_build_array(NULL, new_row -> field));
            END LOOP;
            INSERT INTO task_events (task_id, user_id, actor_id, action, changes, at)
            VALUES (NEW.id, NEW.user_id, actor, 'created', changes,
                    statement_timestamp());
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        old_row := to_jsonb(OLD);
        new_row := to_jsonb(NEW);
        FOREACH field IN ARRAY %(fields)s LOOP
            IF old_row -> field IS DISTINCT FROM new_row -> field THEN
                changes := changes || jsonb_build_object(
                    field, jsonb_build_array(old_row -> field, new_row -> field));
            END IF;
        END LOOP;
        IF changes <> '{}'::jsonb THEN
            INSERT INTO task_events (task_id, user_id, actor_id, action, changes, at)
            VALUES (NEW.id, NEW.user_id, actor, 'updated', changes,
                    statement_timestamp());
        END IF;
    -- Not when the task goes because its account was deleted: the history goes too.
    ELSIF EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id) THEN
        INSERT INTO task_events (task_id, user_id, actor_id, action, changes, at)
        VALUES (OLD.id, OLD.user_id, actor, 'deleted', changes, statement_timestamp());
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS tasks_record_event ON tasks;
CREATE TRIGGER tasks_record_event AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION tasks_record_event();
""".replace("%(fields)s", POSTGRESQL_FIELDS)

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS tasks_record_event ON tasks;
DROP FUNCTION IF EXISTS tasks_record_event();
"""

SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
SQLITE_INSERT = (
    "INSERT INTO task_events (task_id, user_id, actor_id, action, changes, at) "
)


def _sqlite_created_changes() -> str:
    pairs = ", ".join(
        f"'{name}', json_array(NULL, NEW.{name})" for name in TRACKED_FIELDS
    )
    return f"json_object({pairs})"


def _sqlite_updated_changes() -> str:
    selects = " UNION ALL ".join(
        f"SELECT '{name}' AS name, json_array(OLD.{name}, NEW.{name}) AS pair "
        f"WHERE OLD.{name} IS NOT NEW.{name}"
        for name in TRACKED_FIELDS
    )
    return f"(SELECT json_group_object(name, json(pair)) FROM ({selects}))"


SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER tasks_record_insert AFTER INSERT ON tasks BEGIN
        {SQLITE_INSERT}
        SELECT NEW.id, NEW.user_id, todo_actor_id(),
            CASE WHEN restored THEN 'restored' ELSE 'created' END,
            CASE WHEN restored THEN '{{}}' ELSE {_sqlite_created_changes()} END,
            {SQLITE_NOW}
        FROM (SELECT EXISTS (SELECT 1 FROM tasks_trash WHERE id = NEW.id) AS restored);
    END
    """,
    f"""
    CREATE TRIGGER tasks_record_update AFTER UPDATE ON tasks
    WHEN {" OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in TRACKED_FIELDS)}
    BEGIN
        {SQLITE_INSERT}
        VALUES (NEW.id, NEW.user_id, todo_actor_id(), 'updated',
                {_sqlite_updated_changes()}, {SQLITE_NOW});
    END
    """,
    f"""
    CREATE TRIGGER tasks_record_delete AFTER DELETE ON tasks
    WHEN EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id)
    BEGIN
        {SQLITE_INSERT}
        VALUES (OLD.id, OLD.user_id, todo_actor_id(), 'deleted', '{{}}', {SQLITE_NOW});
    END
    """,
    # Deleting an account deletes its tasks, whose trigger writes "deleted" events:
    # remove them with the account (PostgreSQL cascades in the foreign key instead).
    """
    CREATE TRIGGER users_delete_task_events AFTER DELETE ON users BEGIN
        DELETE FROM task_events WHERE user_id = OLD.id;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS tasks_record_insert",
    "DROP TRIGGER IF EXISTS tasks_record_update",
    "DROP TRIGGER IF EXISTS tasks_record_delete",
    "DROP TRIGGER IF EXISTS users_delete_task_events",
]


def install_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the triggers that write `task_events` (a migration step).

    On SQLite, a later migration that rebuilds `tasks` or `tasks_trash` (most
    AlterField and some AddField operations do) must call `remove_triggers` before and
    `install_triggers` after: SQLite refuses to rename a table a trigger names, and a
    rebuilt `tasks` would lose its triggers.
    """
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGER, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP + SQLITE_TRIGGERS:
            schema_editor.execute(statement, params=None)


def remove_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Drop what `install_triggers` created."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)
