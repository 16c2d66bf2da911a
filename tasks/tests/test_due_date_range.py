"""Due dates stay within 1900-01-01..2200-12-31 everywhere (issue 13, item 8).

Dates such as 0001-01-01 and 9999-12-31 once made the operators' task list enumerate
thousands of years. They are refused by the pages, the API, the admin and the
database itself.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tasks.api.serializers import DUE_DATE_PATTERN
from tasks.models import DUE_DATE_MAX, DUE_DATE_MIN, Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"]
BOUNDS = [str(DUE_DATE_MIN), str(DUE_DATE_MAX)]


@pytest.mark.parametrize("due", OUT_OF_RANGE)
def test_api_refuses_a_due_date_out_of_range_on_create_and_update(
    api_client_logged_in, user, due
):
    task = TaskFactory(user=user, due_date=date(2030, 1, 1))

    created = api_client_logged_in.post(
        reverse("api:task-list"), {"title": "t", "due_date": due}, format="json"
    )
    patched = api_client_logged_in.patch(
        reverse("api:task-detail", args=[task.pk]), {"due_date": due}, format="json"
    )

    for response in (created, patched):
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "due_date" in response.json()
    assert Task.objects.count() == 1
    task.refresh_from_db()
    assert task.due_date == date(2030, 1, 1)


@pytest.mark.parametrize("due", BOUNDS)
def test_api_accepts_the_bounds(api_client_logged_in, due):
    response = api_client_logged_in.post(
        reverse("api:task-list"), {"title": "t", "due_date": due}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["due_date"] == due


@pytest.mark.parametrize("due", OUT_OF_RANGE)
def test_the_task_form_refuses_a_due_date_out_of_range(client_logged_in, due):
    response = client_logged_in.post(
        reverse("tasks:create"), {"title": "t", "status": "pending", "due_date": due}
    )

    assert response.status_code == HTTPStatus.OK
    assert "Enter a date" in response.content.decode()
    assert not Task.objects.exists()


def test_the_admin_refuses_a_due_date_out_of_range(admin_client, user):
    response = admin_client.post(
        reverse("admin:tasks_task_add"),
        {"user": user.pk, "title": "t", "status": "pending", "due_date": "0001-01-01"},
    )

    assert response.status_code == HTTPStatus.OK
    assert "Enter a date from 1900-01-01 on." in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.parametrize("due", [date(1, 1, 1), date(9999, 12, 31)])
def test_the_database_cannot_even_store_a_due_date_out_of_range(user, due):
    task = TaskFactory(user=user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(user=user, title="t", due_date=due)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(due_date=due)


def test_the_admin_task_list_with_tasks_at_the_bounds_stays_small(admin_client, user):
    for due in (DUE_DATE_MIN, DUE_DATE_MAX, None):
        TaskFactory(user=user, due_date=due)

    response = admin_client.get(reverse("admin:tasks_task_changelist"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    # No date hierarchy or filter enumerates years or months from the data.
    assert "due_date__year" not in page and "due_date__month" not in page
    assert len(page) < 60_000


def test_the_api_schema_states_the_range(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()

    description = schema["components"]["schemas"]["TaskRequest"]["properties"][
        "due_date"
    ]["description"]
    assert "1900-01-01" in description and "2200-12-31" in description
    assert (
        schema["components"]["schemas"]["TaskRequest"]["properties"]["due_date"][
            "pattern"
        ]
        == DUE_DATE_PATTERN
    )


def test_the_schema_pattern_allows_exactly_the_years_of_the_range():
    pattern = re.compile(DUE_DATE_PATTERN)
    inside = [DUE_DATE_MIN, DUE_DATE_MAX, date(2026, 2, 28)]
    outside = [DUE_DATE_MIN - timedelta(days=1), DUE_DATE_MAX + timedelta(days=1)]

    assert all(pattern.match(day.isoformat()) for day in inside)
    assert not any(pattern.match(day.isoformat()) for day in outside)
