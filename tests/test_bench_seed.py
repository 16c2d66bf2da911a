"""The benchmark's seed SQL keeps up with the schema (bench/seed.sql, bench/run.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from accounts.models import User
from tasks.models import Task

RUN_PY = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def load_bench_run():
    spec = importlib.util.spec_from_file_location("bench_run", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.postgres
@pytest.mark.django_db
def test_benchmark_seed_fills_every_users_list_on_the_current_schema():
    """A schema change that breaks the benchmark seed fails here, not at bench time.

    The benchmark relies on every user holding the same number of tasks, with all three
    statuses and some tasks without a due date or description.
    """
    sql = load_bench_run().seed_sql(users=4, tasks_per_user=30, password_hash="x$y")

    with connection.cursor() as cursor:
        cursor.execute(sql)

    assert User.objects.count() == 5
    per_user = Task.objects.values("user__email").annotate(n=Count("id"))
    assert {row["user__email"]: row["n"] for row in per_user} == {
        "user1@bench.example": 30,
        "user2@bench.example": 30,
        "user3@bench.example": 30,
        "user4@bench.example": 30,
        "small@bench.example": 5,
    }
    assert set(Task.objects.values_list("status", flat=True)) == set(Task.Status.values)
    assert Task.objects.filter(due_date__isnull=True).exists()
    assert Task.objects.filter(description__isnull=True).exists()
