"""Query expressions that read dates and times as the API writes them (PostgreSQL).

A list of the API answers up to 200 objects, each with two or three dates and times.
Read as Python values, every one is parsed from PostgreSQL's text into a `datetime`
(by Django's time-zone-aware loader, in Python) and formatted back into text by the
serializer. These expressions have PostgreSQL write the text the serializer would,
so a list row needs no conversion in Python at all.

PostgreSQL only; a test compares the text with the serializer's output for the same
rows, timestamps on whole seconds included.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Func


class PostgreSQLFunc(Func):
    """A function written for PostgreSQL only: elsewhere it is an error to use it."""

    def as_sql(self, compiler, connection, **extra) -> tuple[str, list]:
        raise NotImplementedError(f"{type(self).__name__} is for PostgreSQL only.")


class UTCTimestamp(PostgreSQLFunc):
    """A timestamp as text, as DRF writes a datetime in UTC: ISO 8601 with "Z", and
    microseconds unless there are none (`2026-12-07T08:30:00Z`,
    `2026-12-07T08:30:00.250000Z`)."""

    arity = 1
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra) -> tuple[str, list]:
        value, params = compiler.compile(self.source_expressions[0])
        pattern = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
        text = f"to_char(({value}) AT TIME ZONE 'UTC', '{pattern}')"
        # Python leaves out ".000000"; the pattern cannot.
        return f"replace({text}, '.000000Z', 'Z')", params


class ISODate(PostgreSQLFunc):
    """A date as text, as DRF writes one: `2026-12-31` (whatever the DateStyle)."""

    arity = 1
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra) -> tuple[str, list]:
        value, params = compiler.compile(self.source_expressions[0])
        return f"to_char({value}, 'YYYY-MM-DD')", params
