"""Repeating tasks: the rules; completing one through model, pages, API and admin."""

from __future__ import annotations

from datetime import date
from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tasks.models import Task
from tasks.recurrence import next_due_date
from tasks.tests.factories import TaskFactory

# The rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "due", "expected"),
    [
        ("daily", date(2026, 12, 31), date(2027, 1, 1)),
        ("daily", date(2028, 2, 28), date(2028, 2, 29)),
        ("weekly", date(2026, 12, 28), date(2027, 1, 4)),
        ("biweekly", date(2027, 2, 20), date(2027, 3, 6)),
        # Weekdays skip Saturday and Sunday, whatever day the task was due.
        ("weekdays", date(2027, 1, 4), date(2027, 1, 5)),  # Monday → Tuesday
        ("weekdays", date(2027, 1, 8), date(2027, 1, 11)),  # Friday → Monday
        ("weekdays", date(2027, 1, 9), date(2027, 1, 11)),  # Saturday → Monday
        ("weekdays", date(2027, 1, 10), date(2027, 1, 11)),  # Sunday → Monday
        # Monthly lands on the last day of a shorter month.
        ("monthly", date(2027, 1, 15), date(2027, 2, 15)),
        ("monthly", date(2027, 1, 31), date(2027, 2, 28)),
        ("monthly", date(2028, 1, 31), date(2028, 2, 29)),
        ("monthly", date(2027, 3, 31), date(2027, 4, 30)),
        ("monthly", date(2027, 2, 28), date(2027, 3, 28)),
        ("monthly", date(2026, 12, 31), date(2027, 1, 31)),
        ("monthly", date(2027, 8, 31), date(2027, 9, 30)),
        # Yearly: 29 February becomes 28 February in common years.
        ("yearly", date(2028, 2, 29), date(2029, 2, 28)),
        ("yearly", date(2027, 2, 28), date(2028, 2, 28)),
        ("yearly", date(2026, 12, 31), date(2027, 12, 31)),
    ],
)
def test_next_due_date_follows_the_rule(rule, due, expected):
    assert next_due_date(rule, due) == expected


def test_next_due_date_is_always_after_the_old_one_for_every_rule_over_years():
    day = date(2027, 1, 1)
    for rule in ("daily", "weekdays", "weekly", "biweekly", "monthly", "yearly"):
        due = day
        for _ in range(60):
            following = next_due_date(rule, due)
            assert following > due
            if rule == "weekdays":
                assert following.weekday() < 5
            due = following


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="fortnightly"):
        next_due_date("fortnightly", date(2027, 1, 1))


# The model ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_completing_a_repeating_task_moves_it_to_its_next_due_date_pending(user):
    task = TaskFactory(user=user, due_date=date(2027, 1, 31), repeat="monthly")

    task.set_status(Task.Status.COMPLETED)

    task.refresh_from_db()
    assert task.status == Task.Status.PENDING
    assert task.due_date == date(2027, 2, 28)
    assert task.last_completed_at is not None
    assert Task.objects.count() == 1


@pytest.mark.django_db
def test_completing_a_task_that_does_not_repeat_leaves_it_completed(user):
    task = TaskFactory(user=user, due_date=date(2027, 1, 31))

    task.set_status(Task.Status.COMPLETED)

    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert task.due_date == date(2027, 1, 31)
    assert task.last_completed_at is None


@pytest.mark.django_db
def test_bulk_completion_advances_repeating_tasks_and_completes_the_others(user):
    weekly = TaskFactory(user=user, due_date=date(2027, 1, 8), repeat="weekdays")
    plain = TaskFactory(user=user, due_date=date(2027, 1, 8))
    untouched = TaskFactory(user=user, due_date=date(2027, 1, 8), repeat="daily")

    changed = Task.objects.filter(pk__in=[weekly.pk, plain.pk]).set_status(
        Task.Status.COMPLETED
    )

    assert changed == 2
    weekly.refresh_from_db()
    plain.refresh_from_db()
    untouched.refresh_from_db()
    assert (weekly.status, weekly.due_date) == ("pending", date(2027, 1, 11))
    assert weekly.updated_at > weekly.created_at
    assert (plain.status, plain.due_date) == ("completed", date(2027, 1, 8))
    assert (untouched.status, untouched.due_date) == ("pending", date(2027, 1, 8))


@pytest.mark.django_db
def test_the_database_refuses_a_repeat_without_due_date_and_unknown_rules(user):
    from django.db import IntegrityError, transaction

    for values in ({"repeat": "daily"}, {"repeat": "hourly", "due_date": "2027-1-1"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Task.objects.filter(pk=TaskFactory(user=user).pk).update(**values)


# Pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_saves_a_repeat_rule(client_logged_in, user):
    response = client_logged_in.post(
        reverse("tasks:create"),
        {
            "title": "Water plants",
            "status": "pending",
            "due_date": "2027-01-04",
            "repeat": "weekly",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    task = Task.objects.get()
    assert task.repeat == "weekly"
    detail = client_logged_in.get(task.get_absolute_url())
    assertContains(detail, "<dt>Repeats</dt><dd>Every week</dd>", html=True)


@pytest.mark.django_db
def test_the_form_refuses_a_repeat_without_due_date_on_the_repeat_field(
    client_logged_in,
):
    response = client_logged_in.post(
        reverse("tasks:create"),
        {"title": "Water", "status": "pending", "repeat": "daily"},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors == {
        "repeat": ["A repeating task needs a due date."]
    }
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_completing_on_the_page_advances_the_task_and_says_when_it_is_due(
    client_logged_in, user
):
    task = TaskFactory(user=user, due_date=date(2028, 2, 29), repeat="yearly")

    response = client_logged_in.post(
        reverse("tasks:set_status", args=[task.pk]),
        {"status": "completed"},
        follow=True,
    )

    assertContains(response, "is done; it is due again on 2029-02-28")
    task.refresh_from_db()
    assert (task.status, task.due_date) == ("pending", date(2029, 2, 28))


@pytest.mark.django_db
def test_completing_in_the_edit_form_advances_the_task_too(client_logged_in, user):
    task = TaskFactory(user=user, due_date=date(2027, 1, 1), repeat="daily")

    client_logged_in.post(
        reverse("tasks:update", args=[task.pk]),
        {
            "title": task.title,
            "status": "completed",
            "due_date": "2027-01-01",
            "repeat": "daily",
        },
    )

    task.refresh_from_db()
    assert (task.status, task.due_date) == ("pending", date(2027, 1, 2))


# API ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_creates_and_represents_a_repeating_task(api_client_logged_in):
    response = api_client_logged_in.post(
        reverse("api:task-list"),
        {"title": "Rent", "due_date": "2027-01-31", "repeat": "monthly"},
        format="json",
    )

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["repeat"] == "monthly"
    listed = api_client_logged_in.get(reverse("api:task-list")).json()["results"]
    assert listed[0]["repeat"] == "monthly"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": "x", "repeat": "daily"}, "A repeating task needs a due date."),
        (
            {"title": "x", "due_date": "2027-01-01", "repeat": "hourly"},
            '"hourly" is not a valid choice.',
        ),
        (
            {"title": "x", "due_date": "2027-01-01", "repeat": ""},
            '"" is not a valid choice.',
        ),
    ],
)
def test_the_api_refuses_bad_repeat_rules_with_a_field_error(
    api_client_logged_in, body, message
):
    response = api_client_logged_in.post(reverse("api:task-list"), body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in str(response.json())
    assert "repeat" in str(response.json())
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_removing_the_due_date_of_a_repeating_task_by_patch_is_400(
    api_client_logged_in, user
):
    task = TaskFactory(user=user, due_date=date(2027, 1, 1), repeat="daily")

    response = api_client_logged_in.patch(
        reverse("api:task-detail", args=[task.pk]), {"due_date": None}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "A repeating task needs a due date." in str(response.json())
    task.refresh_from_db()
    assert task.due_date == date(2027, 1, 1)


@pytest.mark.django_db
def test_completing_through_the_api_advances_the_task(api_client_logged_in, user):
    task = TaskFactory(user=user, due_date=date(2027, 1, 8), repeat="weekdays")

    response = api_client_logged_in.patch(
        reverse("api:task-detail", args=[task.pk]),
        {"status": "completed"},
        format="json",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "pending"
    assert response.json()["due_date"] == "2027-01-11"


# Admin --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_completing_with_the_admin_action_advances_the_task(admin_client, user):
    task = TaskFactory(user=user, due_date=date(2027, 1, 1), repeat="biweekly")

    admin_client.post(
        reverse("admin:tasks_task_changelist"),
        {"action": "mark_completed", "_selected_action": [task.pk]},
    )

    task.refresh_from_db()
    assert (task.status, task.due_date) == ("pending", date(2027, 1, 15))


@pytest.mark.django_db
def test_the_admin_form_edits_the_repeat_rule_and_refuses_it_without_due_date(
    admin_client, user
):
    task = TaskFactory(user=user)
    url = reverse("admin:tasks_task_change", args=[task.pk])
    data = {
        "user": user.pk,
        "title": task.title,
        "status": "pending",
        "repeat": "daily",
    }

    refused = admin_client.post(url, data)
    accepted = admin_client.post(url, {**data, "due_date": "2027-01-01"})

    assertContains(refused, "A repeating task needs a due date.")
    assert accepted.status_code == HTTPStatus.FOUND
    task.refresh_from_db()
    assert task.repeat == "daily"
