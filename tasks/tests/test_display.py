"""What the task pages show of a task: the same values the model and URLconf give."""

from datetime import date, timedelta

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from tasks.display import task_displays
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


def test_links_are_the_tasks_page_and_its_status_change(user):
    tasks = TaskFactory.create_batch(3, user=user)

    displays = task_displays(tasks, TODAY)

    assert [d["url"] for d in displays] == [t.get_absolute_url() for t in tasks]
    assert [d["status_url"] for d in displays] == [
        reverse("tasks:set_status", kwargs={"pk": t.pk}) for t in tasks
    ]


def test_links_keep_the_script_prefix(user):
    task = TaskFactory(user=user)
    set_script_prefix("/todo/")
    try:
        [display] = task_displays([task], TODAY)
        assert display["url"] == task.get_absolute_url() == f"/todo/tasks/{task.pk}/"
    finally:
        clear_script_prefix()


@pytest.mark.parametrize(
    ("status", "due_date"),
    [
        (Task.Status.PENDING, TODAY - timedelta(days=1)),
        (Task.Status.IN_PROGRESS, TODAY - timedelta(days=1)),
        (Task.Status.COMPLETED, TODAY - timedelta(days=1)),
        (Task.Status.PENDING, TODAY),
        (Task.Status.PENDING, None),
    ],
)
def test_overdue_is_the_models_rule(user, status, due_date):
    task = TaskFactory(user=user, status=status, due_date=due_date)

    [display] = task_displays([task], TODAY)

    assert display["overdue"] is task.is_overdue(TODAY)


def test_due_date_reads_as_on_the_page_and_in_iso(user):
    dated = TaskFactory(user=user, due_date=date(2027, 1, 9))
    undated = TaskFactory(user=user)

    first, second = task_displays([dated, undated], TODAY)

    assert (first["due_iso"], first["due_text"]) == ("2027-01-09", "9 Jan 2027")
    assert (second["due_iso"], second["due_text"]) == ("", "")


@pytest.mark.parametrize(
    ("status", "label", "buttons"),
    [
        (Task.Status.PENDING, "Pending", ["in_progress", "completed"]),
        (Task.Status.IN_PROGRESS, "In progress", ["pending", "completed"]),
        (Task.Status.COMPLETED, "Completed", ["pending", "in_progress"]),
    ],
)
def test_status_label_and_buttons_to_the_other_statuses(user, status, label, buttons):
    task = TaskFactory(user=user, status=status)

    [display] = task_displays([task], TODAY)

    assert display["status_label"] == label == task.get_status_display()
    assert [button["status"] for button in display["buttons"]] == buttons
