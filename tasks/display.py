"""What the task pages show of a task, worked out once per task in Python.

The list page shows 25 tasks, each with a link, a status badge, a due date, an overdue
mark and buttons to the other statuses. Worked out in the template, these were most of
the page's CPU: two URL reversals per task, the overdue rule evaluated up to three
times, the date filter twice, a choices lookup per badge and template conditions per
button. Here each is computed once per task, the URLs with one reversal per page, and
the templates (`tasks/includes/task_meta.html`, `status_buttons.html`) only look values
up. The values are dictionaries because the template language tries a key lookup
before an attribute: a dictionary answers at once, any other object after an exception.

The text values are HTML-escaped here, once (SafeString), so that the template does not
escape them again at every use: the title appears three times per task, the buttons'
texts are the same for every task. Only the due date is left to the template.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypedDict

from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString

from tasks.models import Task
from todoproject.url_parts import url_parts


class StatusButton(TypedDict):
    """A button that moves a task to `status`."""

    status: str
    text: str
    style: str  # the button's modifier class


class TaskDisplay(TypedDict):
    """What a page shows of one task; every text but the due date is HTML-escaped."""

    title: str
    status: str
    url: str  # the task's page, as Task.get_absolute_url() gives it
    status_url: str  # where the status buttons post
    status_label: str
    overdue: bool  # Task.is_overdue()
    due_iso: str  # the due date as YYYY-MM-DD, "" without one
    due_text: str  # the due date as people read it ("9 Jan 2027"), "" without one
    buttons: tuple[StatusButton, ...]  # to every status but the task's own


#: The button that moves a task to each status, in the order of Task.Status.
STATUS_BUTTONS: dict[str, StatusButton] = {
    status: StatusButton(status=escape(status), text=escape(text), style=escape(style))
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

STATUSES: dict[str, str] = {status: escape(status) for status in Task.Status.values}
STATUS_LABELS: dict[str, str] = {
    status: escape(label) for status, label in Task.Status.choices
}


def task_path_parts(route: str) -> tuple[str, str]:
    """Return the path of `route` for a task as the escaped text around its id."""
    before, after = url_parts(route, kwarg="pk")
    return escape(before), escape(after)


def task_displays(
    tasks: Iterable[Task], today: date | None = None
) -> list[TaskDisplay]:
    """Return what a page shows of each of `tasks`, in order."""
    today = today or timezone.localdate()
    url_before, url_after = task_path_parts("tasks:detail")
    status_before, status_after = task_path_parts("tasks:set_status")
    displays = []
    for task in tasks:
        due = task.due_date
        displays.append(
            TaskDisplay(
                title=escape(task.title),
                status=STATUSES[task.status],
                url=SafeString(f"{url_before}{task.pk}{url_after}"),
                status_url=SafeString(f"{status_before}{task.pk}{status_after}"),
                status_label=STATUS_LABELS[task.status],
                overdue=task.is_overdue(today),
                due_iso=due.isoformat() if due else "",
                due_text=dateformat.format(due, "j M Y") if due else "",
                buttons=OTHER_STATUS_BUTTONS[task.status],
            )
        )
    return displays
