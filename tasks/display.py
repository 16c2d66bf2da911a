"""What the task pages show of a task: its badge, due date, overdue mark and buttons.

`tasks/includes/task_meta.html` and `status_buttons.html` render these values; the
templates escape them, as everywhere. Each value is worked out once per task here
rather than in the template, where the overdue rule and the choices lookups would run
several times per task.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypedDict

from django.urls import reverse
from django.utils import timezone

from tasks.dates import exact_date, human_due
from tasks.models import Task


class StatusButton(TypedDict):
    """A button that moves a task to `status`."""

    status: str
    text: str
    style: str  # the button's modifier class


class TaskDisplay(TypedDict):
    """What a page shows of one task."""

    id: int
    anchor: str  # the row's id on the list page, "task-<id>", the no-JS return point
    title: str
    status: str
    done: bool
    url: str  # the task's page, Task.get_absolute_url()
    status_url: str  # where the status buttons post
    status_label: str
    overdue: bool  # Task.is_overdue()
    due_iso: str  # the due date as YYYY-MM-DD, "" without one
    due_text: str  # the due date as people say it ("Today", "Friday", "9 Jan 2027")
    due_exact: str  # the full date, for the tooltip ("Saturday 9 January 2027")
    buttons: tuple[StatusButton, ...]  # to every status but the task's own
    tags: tuple[str, ...]  # the names of the task's tags (prefetch them)
    toggle_status: str  # where the list's check box moves the task


#: The button that moves a task to each status, in the order of Task.Status.
STATUS_BUTTONS: dict[str, StatusButton] = {
    status: StatusButton(status=status, text=text, style=style)
    for status, text, style in (
        (Task.Status.PENDING, "Mark pending", "button--secondary"),
        (Task.Status.IN_PROGRESS, "Start", "button--secondary"),
        (Task.Status.COMPLETED, "Complete", "button--success"),
    )
}

#: For a task in each status, the buttons to the other statuses.
OTHER_STATUS_BUTTONS: dict[str, tuple[StatusButton, ...]] = {
    status: tuple(button for other, button in STATUS_BUTTONS.items() if other != status)
    for status in Task.Status.values
}

STATUS_LABELS: dict[str, str] = dict(Task.Status.choices)


def task_display(task: Task, today: date) -> TaskDisplay:
    """Return what a page shows of `task` on `today`."""
    due = task.due_date
    done = task.status == Task.Status.COMPLETED
    return TaskDisplay(
        id=task.pk,
        anchor=f"task-{task.pk}",
        title=task.title,
        status=task.status,
        done=done,
        url=task.get_absolute_url(),
        status_url=reverse("tasks:set_status", kwargs={"pk": task.pk}),
        status_label=STATUS_LABELS[task.status],
        overdue=task.is_overdue(today),
        due_iso=due.isoformat() if due else "",
        due_text=human_due(due, today, done=done) if due else "",
        due_exact=exact_date(due) if due else "",
        buttons=OTHER_STATUS_BUTTONS[task.status],
        tags=tuple(task.tag_names()),
        toggle_status=Task.Status.PENDING if done else Task.Status.COMPLETED,
    )


def task_displays(
    tasks: Iterable[Task], today: date | None = None
) -> list[TaskDisplay]:
    """Return what a page shows of each of `tasks`, in order."""
    today = today or timezone.localdate()
    return [task_display(task, today) for task in tasks]
