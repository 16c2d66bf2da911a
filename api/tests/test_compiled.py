"""CompiledQuery: a queryset compiled once, run with new values, gives the rows the
queryset itself would."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import connection, models
from django.db.models import ExpressionWrapper, F, Q
from django.db.models.sql.compiler import SQLCompiler

from api.compiled import CompiledQuery, Parameter
from api.models import RateCounter

pytestmark = pytest.mark.django_db


def busiest_first(queryset):
    """Counters busiest first, each with whether it grew since the window before."""
    return queryset.order_by("-hits", "key").values_list(
        "key",
        "hits",
        ExpressionWrapper(
            Q(hits__gt=F("previous_hits")), output_field=models.BooleanField()
        ),
    )


def counters_of(window, *, limit=None, offset=0):
    """What the queryset itself reads: the counters of one window."""
    queryset = busiest_first(RateCounter.objects.filter(window_number=window))
    return list(queryset[offset : None if limit is None else offset + limit])


@pytest.fixture
def counters():
    RateCounter.objects.bulk_create(
        RateCounter(
            key=f"client-{window}-{number}",
            window_number=window,
            hits=number * 3 % 7,
            previous_hits=2,
            expires_at=0,
        )
        for window in (1, 2)
        for number in range(8)
    )


@pytest.fixture
def statement():
    return CompiledQuery(
        lambda: busiest_first(
            RateCounter.objects.filter(window_number=Parameter("window"))
        )
    )


@pytest.mark.parametrize(("limit", "offset"), [(100, 0), (3, 0), (3, 3), (5, 6)])
def test_rows_are_the_querysets_for_each_value(counters, statement, limit, offset):
    for window in (1, 2, 3):
        rows = statement.rows("default", limit=limit, offset=offset, window=window)

        assert rows == counters_of(window, limit=limit, offset=offset)


def test_rows_pass_through_the_querysets_converters(counters, statement):
    """Booleans are booleans, also where the database has none (SQLite's 0 and 1)."""
    rows = statement.rows("default", limit=100, window=1)

    assert {type(grew) for _, _, grew in rows} == {bool}


def test_the_queryset_is_built_and_compiled_once(counters):
    build = mock.Mock(
        side_effect=lambda: (
            RateCounter.objects.filter(window_number=Parameter("window"))
            .order_by("key")
            .values_list("key")
        )
    )
    statement = CompiledQuery(build)
    statement.rows("default", limit=1, window=1)

    with mock.patch.object(SQLCompiler, "as_sql", autospec=True) as compile_sql:
        assert statement.rows("default", limit=100, window=2) == [
            (f"client-2-{number}",) for number in range(8)
        ]

    assert build.call_count == 1
    compile_sql.assert_not_called()


def test_a_value_is_prepared_by_its_parameters_field(counters):
    statement = CompiledQuery(
        lambda: (
            RateCounter.objects.filter(
                window_number=Parameter("window", models.BigIntegerField())
            )
            .order_by("key")
            .values_list("key")
        )
    )

    assert statement.rows("default", limit=1, window="2") == [("client-2-0",)]


def test_a_missing_value_is_an_error(counters, statement):
    with pytest.raises(KeyError):
        statement.rows("default", limit=1)


@pytest.mark.parametrize(
    "build",
    [
        lambda: RateCounter.objects.all(),
        lambda: RateCounter.objects.values("key"),
        lambda: RateCounter.objects.values_list("key", flat=True),
    ],
)
def test_only_values_list_rows_are_read(build):
    with pytest.raises(TypeError):
        CompiledQuery(build).rows("default", limit=1)


def test_limit_and_offset_are_the_statements_own(counters):
    with pytest.raises(ValueError, match="LIMIT"):
        CompiledQuery(lambda: RateCounter.objects.values_list("key")[:2]).rows(
            "default", limit=1
        )


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_the_statement_on_its_own_connection(counters, statement):
    """A threaded worker's threads share the statement: compiled and run in one
    thread, it runs in another on that thread's connection (Django refuses a
    connection used outside the thread that opened it)."""
    here = statement.rows("default", limit=100, window=1)
    there = []

    def run_in_another_thread() -> None:
        try:
            there.append(statement.rows("default", limit=100, window=1))
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=run_in_another_thread)
    thread.start()
    thread.join(timeout=30)

    assert there == [here] == [counters_of(1)]
