"""Schema steps that bring the original application's tables to this project's shape.

Used by the `0002` migrations. Each step inspects the database first, so the same
migration runs cleanly on a fresh database (with nothing to convert) and on the original
one. PostgreSQL only: SQLite databases are always created by this project.
"""

from __future__ import annotations

from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def _is_postgresql(schema_editor: BaseDatabaseSchemaEditor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def convert_naive_timestamps(
    schema_editor: BaseDatabaseSchemaEditor, *, table: str, columns: list[str]
) -> None:
    """Turn `timestamp without time zone` columns into `timestamptz`, read as UTC.

    The original application stored naive UTC times. Without `USING … AT TIME ZONE
    'UTC'` PostgreSQL would read them in the session's time zone.
    """
    if not _is_postgresql(schema_editor):
        return
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s
              AND column_name = ANY(%s) AND data_type = 'timestamp without time zone'
            """,
            [table, columns],
        )
        naive = [row[0] for row in cursor.fetchall()]
    for column in naive:
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} "
            f"TYPE timestamp with time zone USING {quote(column)} AT TIME ZONE 'UTC'"
        )


def unique_index_to_constraint(
    schema_editor: BaseDatabaseSchemaEditor, *, table: str, index: str, constraint: str
) -> None:
    """Turn the unique index `index`, if present, into the constraint `constraint`.

    The original `users` table has a unique index (`ix_users_email`) where Django would
    have made a constraint; converting it in place gives both databases the same schema.
    """
    if not _is_postgresql(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 1 FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relname = %s AND i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = i.indexrelid)
            """,
            [index],
        )
        if cursor.fetchone() is None:
            return
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(constraint)} "
        f"UNIQUE USING INDEX {quote(index)}"
    )


def drop_pattern_index(
    schema_editor: BaseDatabaseSchemaEditor, *, table: str, column: str
) -> None:
    """Drop the `varchar_pattern_ops` index Django adds beside a unique text column.

    It serves only LIKE 'prefix%' queries, which nothing here runs; without it a fresh
    database and an adopted one have the same indexes.
    """
    if not _is_postgresql(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_attribute att
              ON att.attrelid = i.indrelid AND att.attnum = ANY(i.indkey)
            WHERE i.indrelid = %s::regclass AND att.attname = %s AND c.relname LIKE %s
            """,
            [table, column, "%\\_like"],
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def cascade_foreign_key(
    schema_editor: BaseDatabaseSchemaEditor,
    *,
    table: str,
    column: str,
    target: str,
    constraint: str,
    target_column: str = "id",
) -> None:
    """Make the foreign key on `table.column` delete rows in the database itself.

    Django 5.2 emulates ON DELETE CASCADE in the ORM only; with it in the database, an
    operator's raw `DELETE FROM users` removes that user's tasks too.
    """
    if not _is_postgresql(schema_editor):
        return
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conname FROM pg_constraint con
            JOIN pg_attribute att
              ON att.attrelid = con.conrelid AND att.attnum = ANY(con.conkey)
            WHERE con.contype = 'f' AND con.conrelid = %s::regclass AND att.attname = %s
            """,
            [table, column],
        )
        existing = [row[0] for row in cursor.fetchall()]
    for name in existing:
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}"
        )
    schema_editor.execute(
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(constraint)} "
        f"FOREIGN KEY ({quote(column)}) "
        f"REFERENCES {quote(target)} ({quote(target_column)}) "
        "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED"
    )


def touch_updated_at_trigger(
    schema_editor: BaseDatabaseSchemaEditor, *, table: str
) -> None:
    """Install a trigger that moves `updated_at` on every UPDATE that does not set it.

    The project's own writes set `updated_at` themselves; this keeps the rule for raw
    SQL and other clients too.
    """
    if not _is_postgresql(schema_editor):
        return
    quote = schema_editor.quote_name
    function = quote(f"{table}_touch_updated_at")
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
                NEW.updated_at := statement_timestamp();
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    schema_editor.execute(
        f"DROP TRIGGER IF EXISTS {quote(f'{table}_touch_updated_at')} ON {quote(table)}"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {quote(f'{table}_touch_updated_at')} "
        f"BEFORE UPDATE ON {quote(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()"
    )


def drop_touch_updated_at_trigger(
    schema_editor: BaseDatabaseSchemaEditor, *, table: str
) -> None:
    """Remove what `touch_updated_at_trigger` installed."""
    if not _is_postgresql(schema_editor):
        return
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"DROP TRIGGER IF EXISTS {quote(f'{table}_touch_updated_at')} ON {quote(table)}"
    )
    schema_editor.execute(
        f"DROP FUNCTION IF EXISTS {quote(f'{table}_touch_updated_at')}()"
    )


def serial_to_identity(
    schema_editor: BaseDatabaseSchemaEditor, *, table: str, column: str = "id"
) -> None:
    """Turn a `SERIAL` column into an identity column, continuing its numbering.

    The original tables number their rows with `SERIAL` (a sequence as the column
    default); Django makes `GENERATED BY DEFAULT AS IDENTITY`. Converting keeps the next
    id where the old sequence would have given it, and gives both databases one schema.
    """
    if not _is_postgresql(schema_editor):
        return
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT pg_get_serial_sequence(%s, %s) FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s
              AND column_name = %s AND is_identity = 'NO'
              AND column_default LIKE 'nextval(%%'
            """,
            [table, column, table, column],
        )
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return
        sequence = row[0]
        # The next value the old sequence would hand out, and never an id in use.
        cursor.execute(
            "SELECT GREATEST("
            "(SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END "
            f"FROM {sequence}), "
            f"(SELECT COALESCE(MAX({quote(column)}), 0) + 1 FROM {quote(table)}))"
        )
        (start,) = cursor.fetchone()
    schema_editor.execute(
        f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} DROP DEFAULT"
    )
    schema_editor.execute(f"DROP SEQUENCE {sequence}")
    schema_editor.execute(
        f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} "
        f"ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {int(start)})"
    )
