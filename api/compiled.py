"""Querysets compiled to SQL once, then run with new values on every request.

Django builds and compiles a queryset each time one is evaluated: for the API's list
that is most of the Python time its query costs, on every request, to write the same
SQL again with another owner's id. (SQLAlchemy, under the application this
one replaces, keeps compiled statements in a cache for the same reason.)
`CompiledQuery` keeps the SQL of one queryset per database, with `Parameter()` where
the values of each run go, and LIMIT and OFFSET as parameters too, so the statement is
the same text on every run, which also lets PostgreSQL keep it prepared.

For a statement a hot path runs on every request; anything else is better served by
an ordinary queryset.

A compiled statement belongs to one thread, as Django's database connections do: each
thread that runs it (a threaded worker's threads) compiles it once for its own
connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections, models
from django.db.models import Expression
from django.db.models.query import ValuesListIterable


class Parameter(Expression):
    """Where a value given to `CompiledQuery.rows()` goes: `Parameter("owner")`,
    e.g. in `.filter(user_id=Parameter("owner"))`."""

    output_field = models.IntegerField()

    def __init__(self, name: str, output_field: models.Field | None = None) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        # The parameter itself stands in the compiled query's parameters, to be
        # replaced by its value when the query runs.
        return "%s", [self]


class CompiledQuery:
    """A values_list() queryset's SQL, compiled once per database and thread, run
    with new values.

    `build` returns the queryset, unsliced, with `Parameter()`s for the values that
    change from one run to the next. `rows(using, limit=..., offset=..., **values)`
    returns the tuples the queryset would, through the same converters.
    """

    def __init__(self, build: Callable[[], models.QuerySet]) -> None:
        self.build = build
        # {alias: _Compiled} of each thread: a compiled statement holds the
        # connection it was compiled for, which only its own thread may use.
        self._local = threading.local()

    def rows(
        self, using: str, *, limit: int, offset: int = 0, **values: Any
    ) -> list[tuple]:
        compiled_here = vars(self._local)
        compiled = compiled_here.get(using)
        if compiled is None:
            compiled = compiled_here[using] = _Compiled(self.build(), using)
        return compiled.run(limit, offset, values)


class _Compiled:
    """The SQL, parameters and row conversion of one queryset on one database."""

    def __init__(self, queryset: models.QuerySet, using: str) -> None:
        query = queryset.query
        if queryset._iterable_class is not ValuesListIterable:
            raise TypeError("CompiledQuery reads values_list() tuples.")
        if query.is_sliced or query.combinator or query.select_for_update:
            raise ValueError("CompiledQuery adds LIMIT and OFFSET to a plain query.")
        self.connection = connections[using]
        self.compiler = query.get_compiler(using=using)
        sql, params = self.compiler.as_sql()
        self.sql = f"{sql} LIMIT %s OFFSET %s"
        self.params = tuple(params)
        self.parameters = [
            (position, value)
            for position, value in enumerate(self.params)
            if isinstance(value, Parameter)
        ]
        self.converters = self.compiler.get_converters(
            [column for column, _, _ in self.compiler.select[: self.compiler.col_count]]
        )

    def run(self, limit: int, offset: int, values: dict[str, Any]) -> list[tuple]:
        params = list(self.params)
        for position, parameter in self.parameters:
            params[position] = parameter.output_field.get_db_prep_value(
                values[parameter.name], self.connection
            )
        params += [limit, offset]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            return [
                tuple(row)
                for row in self.compiler.apply_converters(rows, self.converters)
            ]
        return rows
