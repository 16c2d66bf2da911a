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
from django.utils import dateformat, timezone

from tasks.models import Task


class StatusButton(TypedDict):
    """A button that moves a task to `status`."""

    status: str
    text: str
    style: str  # the button's modifier class


class TaskDisplay(TypedDict):
    """What a page shows of one task."""

    title: str
    status: str
    url: str  # the task's page, Task.get_absolute_url()
    status_url: str  # where the status buttons post
    status_label: str
    overdue: bool  # Task.is_overdue()
    due_iso: str  # the due date as YYYY-MM-DD, "" without one
    due_text: str  # the due date as people read it ("9 Jan 2027"), "" without one
    buttons: tuple[StatusButton, ...]  # to every status but the task's own
    tags: tuple[str, ...]  # the names of the task's tags (prefetch them)


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
    return TaskDisplay(
        title=task.title,
        status=task.status,
        url=task.get_absolute_url(),
        status_url=reverse("tasks:set_status", kwargs={"pk": task.pk}),
        status_label=STATUS_LABELS[task.status],
        overdue=task.is_overdue(today),
        due_iso=due.isoformat() if due else "",
        due_text=dateformat.format(due, "j M Y") if due else "",
        buttons=OTHER_STATUS_BUTTONS[task.status],
        tags=tuple(task.tag_names()),
    )


def task_displays(
    tasks: Iterable[Task], today: date | None = None
) -> list[TaskDisplay]:
    """Return what a page shows of each of `tasks`, in order."""
    today = today or timezone.localdate()
    return [task_display(task, today) for task in tasks]
