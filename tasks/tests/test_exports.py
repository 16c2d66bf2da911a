"""Data export functions (the download views are tested with the pages)."""

import csv
import io
from datetime import date

import pytest

from tasks.exports import TASK_FIELDS, user_data, write_tasks_csv
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_user_data_holds_the_account_and_only_that_users_tasks(user, other_user):
    mine = TaskFactory(user=user, title="Pay rent", due_date=date(2026, 12, 31))
    TaskFactory(user=other_user, title="not mine")

    data = user_data(user=user)

    assert data["account"]["email"] == "ann@example.com"
    assert [task["title"] for task in data["tasks"]] == ["Pay rent"]
    assert data["tasks"][0] == {
        "id": mine.id,
        "title": "Pay rent",
        "description": None,
        "status": "pending",
        "due_date": "2026-12-31",
        "repeat": None,
        "tags": [],
        "created_at": mine.created_at.isoformat(),
        "updated_at": mine.updated_at.isoformat(),
    }


def test_tasks_csv_has_a_header_and_one_row_per_task(user):
    TaskFactory(user=user, title="a, with comma", description='quote " inside')
    stream = io.StringIO()

    write_tasks_csv(Task.objects.for_user(user), stream)

    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[0] == list(TASK_FIELDS)
    assert rows[1][1:4] == ["a, with comma", 'quote " inside', "pending"]


def test_tasks_csv_can_name_the_owner(user):
    TaskFactory(user=user)
    stream = io.StringIO()

    write_tasks_csv(Task.objects.select_related("user"), stream, include_owner=True)

    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[0][-1] == "owner_email"
    assert rows[1][-1] == "ann@example.com"


def test_tasks_csv_neutralises_formulas(user):
    TaskFactory(user=user, title='=HYPERLINK("http://evil")', description="@SUM(A1)")
    stream = io.StringIO()

    write_tasks_csv(Task.objects.all(), stream)

    row = list(csv.reader(io.StringIO(stream.getvalue())))[1]
    assert row[1].startswith("'=")
    assert row[2] == "'@SUM(A1)"
