"""Adopting a database that the original application created (SPEC §7).

`find_problems()` reads the database and lists everything that would stop the adoption
(a missing table or column, data that a constraint of the `0002` migrations would
refuse). `adopt_database()` changes nothing while there are problems; otherwise it runs
`migrate --fake-initial`: each app's `0001` migration is exactly the original table, so
faking it is safe, and every change Django needs runs for real in `0002` and later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

from django.apps import apps
from django.core.management import call_command
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from adoption.original import BCRYPT_HASH_PREFIXES, ORIGINAL_COLUMNS

#: Columns that the `0002` migrations add: finding one means a half-done adoption.
ADDED_COLUMNS = {
    "users": ("is_active", "is_staff", "is_superuser", "last_login"),
    "tasks": (),
}
#: Indexes of the original DDL that the `0002` migrations convert or drop by name.
ORIGINAL_INDEXES = {"users": "ix_users_email", "tasks": "ix_tasks_user_id"}
#: How many offending values a problem quotes, so the report stays readable.
EXAMPLES = 5


class AdoptionError(Exception):
    """The database cannot be adopted as it is; nothing was changed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Survey:
    """What the database holds, as found before any change."""

    state: str  # "original", "adopted", "empty", or "unknown" (not PostgreSQL)
    problems: list[str] = field(default_factory=list)
    users: int = 0
    tasks: int = 0
    emails_to_normalise: int = 0
    legacy_hashes: int = 0


def survey_database(*, using: str = DEFAULT_DB_ALIAS) -> Survey:
    """Return the state of database `using` and whatever would stop its adoption."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return Survey(
            state="unknown",
            problems=[
                f"Adoption needs PostgreSQL; this database is {connection.vendor}."
            ],
        )
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if _migration_applied(connection, tables, "accounts", "0001_initial"):
        return Survey(state="adopted")
    present = [table for table in ORIGINAL_COLUMNS if table in tables]
    if not present:
        return Survey(state="empty")
    survey = Survey(state="original")
    missing = sorted(set(ORIGINAL_COLUMNS) - set(present))
    if missing:
        survey.problems.append(f"Table missing: {', '.join(missing)}.")
        return survey
    survey.problems += _shape_problems(connection)
    if survey.problems:
        return survey
    survey.problems += _data_problems(connection)
    survey.users, survey.tasks, survey.emails_to_normalise, survey.legacy_hashes = (
        _fetch(
            connection,
            """
            SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM tasks),
                   (SELECT count(*) FROM users WHERE email <> lower(trim(email))),
                   (SELECT count(*) FROM users WHERE left(password_hash, 4) = ANY(%s))
            """,
            [list(BCRYPT_HASH_PREFIXES)],
        )[0]
    )
    return survey


def adopt_database(
    *, using: str = DEFAULT_DB_ALIAS, check_only: bool = False, stdout: TextIO
) -> Survey:
    """Adopt database `using`: report, then (unless `check_only`) migrate it.

    Raise AdoptionError, having changed nothing, when the survey finds problems.
    """
    survey = survey_database(using=using)
    if survey.problems:
        raise AdoptionError(survey.problems)
    if survey.state == "adopted":
        stdout.write(
            "Already adopted (or built by this project): only newer migrations, "
            "if any, remain to apply.\n"
        )
    elif survey.state == "empty":
        stdout.write("No original tables found: creating the schema from scratch.\n")
    else:
        stdout.write(
            f"Original database found: {survey.users} users, {survey.tasks} tasks, "
            f"{survey.legacy_hashes} original bcrypt password hashes (re-hashed at "
            f"each user's next log-in), {survey.emails_to_normalise} emails to store "
            "trimmed and lower-cased. Nothing stops the adoption.\n"
        )
    if check_only:
        stdout.write("Check only: nothing was changed.\n")
        return survey
    call_command(
        "migrate",
        database=using,
        fake_initial=survey.state == "original",
        interactive=False,
        stdout=stdout,
    )
    if survey.state == "original":
        users, tasks = _fetch(
            connections[using],
            "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM tasks)",
        )[0]
        stdout.write(
            f"Adopted: {users} users and {tasks} tasks kept, timestamps now "
            "timestamptz (read as UTC), Django's columns, tables and constraints "
            "added.\n"
        )
    return survey


def _fetch(
    connection: BaseDatabaseWrapper, sql: str, params: list | None = None
) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def _migration_applied(
    connection: BaseDatabaseWrapper, tables: set[str], app: str, name: str
) -> bool:
    if "django_migrations" not in tables:
        return False
    return bool(
        _fetch(
            connection,
            "SELECT 1 FROM django_migrations WHERE app = %s AND name = %s",
            [app, name],
        )
    )


def _shape_problems(connection: BaseDatabaseWrapper) -> list[str]:
    """Return how the tables differ from the original DDL, where it matters."""
    problems = []
    with connection.cursor() as cursor:
        for table, expected in ORIGINAL_COLUMNS.items():
            columns = {
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, table
                )
            }
            missing = [name for name in expected if name not in columns]
            if missing:
                problems.append(
                    f"Table {table} lacks original columns: {', '.join(missing)}."
                )
            added = [name for name in ADDED_COLUMNS[table] if name in columns]
            if added:
                problems.append(
                    f"Table {table} already has columns {', '.join(added)} but no "
                    "migration is recorded: a partial adoption? Restore the backup "
                    "taken before it."
                )
            index = ORIGINAL_INDEXES[table]
            if index not in connection.introspection.get_constraints(cursor, table):
                problems.append(f"Index {index} on {table} is missing.")
    return problems


def _data_problems(connection: BaseDatabaseWrapper) -> list[str]:
    """Return the rows that a constraint of the `0002` migrations would refuse."""
    problems = []
    # The rules of this project's task model (the app registry, not an import: the
    # migrations of the apps import this package's schema steps).
    task_model = apps.get_model("tasks", "Task")
    statuses = list(task_model.Status.values)
    title_max_length = task_model._meta.get_field("title").max_length
    due_min, due_max = _limits(task_model._meta.get_field("due_date").validators)
    checks = [
        (
            "Emails equal except for letter case or surrounding spaces (one of each "
            "group must change, or the accounts be merged)",
            """
            SELECT string_agg(email || ' (id ' || id || ')', ', ' ORDER BY id)
            FROM users GROUP BY lower(trim(email)) HAVING count(*) > 1
            ORDER BY min(id)
            """,
            [],
        ),
        (
            f"Tasks whose status is not one of {', '.join(statuses)}",
            """
            SELECT 'id ' || id || ': ' || coalesce(quote_literal(status), 'NULL')
            FROM tasks WHERE status IS NULL OR NOT status = ANY(%s) ORDER BY id
            """,
            [statuses],
        ),
        (
            f"Tasks whose title is longer than {title_max_length} characters",
            """
            SELECT 'id ' || id || ': ' || char_length(title) || ' characters'
            FROM tasks WHERE char_length(title) > %s ORDER BY id
            """,
            [title_max_length],
        ),
        (
            "Tasks whose title is blank once spaces are trimmed",
            """
            SELECT 'id ' || id FROM tasks
            WHERE title IS NULL OR length(trim(title)) = 0 ORDER BY id
            """,
            [],
        ),
        (
            f"Tasks due outside {due_min}..{due_max} (the due date must change)",
            """
            SELECT 'id ' || id || ': ' || due_date FROM tasks
            WHERE due_date < %s OR due_date > %s ORDER BY id
            """,
            [due_min, due_max],
        ),
        (
            "Tasks whose owner does not exist",
            """
            SELECT 'id ' || t.id || ' (user_id ' || t.user_id || ')' FROM tasks t
            LEFT JOIN users u ON u.id = t.user_id WHERE u.id IS NULL ORDER BY t.id
            """,
            [],
        ),
    ]
    for description, sql, params in checks:
        rows = [value for (value,) in _fetch(connection, sql, params)]
        problems += _problem(description, rows)
    problems += _problem(
        "Emails that are one address once normalised (Unicode look-alikes, invisible "
        "characters, international domains; one of each group must change, or the "
        "accounts be merged)",
        _look_alike_emails(connection),
    )
    return problems


def _problem(description: str, rows: list[str]) -> list[str]:
    """Return one problem quoting a few of `rows`, or none when there are none."""
    if not rows:
        return []
    examples = "; ".join(rows[:EXAMPLES])
    more = f"; and {len(rows) - EXAMPLES} more" if len(rows) > EXAMPLES else ""
    return [f"{description} ({len(rows)}): {examples}{more}."]


def _limits(validators: list) -> tuple:
    """Return the (lowest, highest) values that a field's validators allow."""
    low = next(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = next(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    return low, high


def _look_alike_emails(connection: BaseDatabaseWrapper) -> list[str]:
    """Return the groups of users whose emails normalise to one address.

    Letter case alone is the check above; this is what the accounts' one normalisation
    (NFKC, invisible characters, IDNA domains) adds, which only addresses with
    characters outside printable ASCII can take part in. The migration that
    re-normalises them would stop half-way on such a group.
    """
    # The accounts app's rule, through the registry: this package sits below it.
    normalize = apps.get_model("accounts", "User").objects.normalize_email
    unusual = _fetch(connection, "SELECT id, email FROM users WHERE email ~ '[^ -~]'")
    if not unusual:
        return []
    groups: dict[str, dict[int, str]] = {}
    for pk, email in unusual:
        groups.setdefault(normalize(email), {})[pk] = email
    for pk, email, folded in _fetch(
        connection,
        "SELECT id, email, lower(trim(email)) FROM users "
        "WHERE lower(trim(email)) = ANY(%s)",
        [list(groups)],
    ):
        groups[folded][pk] = email
    return [
        ", ".join(f"{email} (id {pk})" for pk, email in sorted(members.items()))
        for members in groups.values()
        if len(members) > 1
    ]
