"""A user's data as files (JSON and CSV), and CSV rows of tasks for operators.

A task's tags are a list of names in JSON and one cell of names joined by "; " in CSV
(tag names hold no semicolon); `repeat` is a rule name, or null / an empty cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from typing import IO, Any

from accounts.models import User
from tasks.models import Task

#: The task columns of every export, in order: what the owner sees of a task, less
#: the owner, who is the exporting account.
TASK_FIELDS = tuple(name for name in Task.REPRESENTED_FIELDS if name != "user_id")


#: How a CSV cell joins a task's tag names.
CSV_TAG_SEPARATOR = "; "


def task_record(task: Task) -> dict[str, Any]:
    """Return `task` as a dict of JSON-ready values (ISO 8601 dates and times).

    Its tags are read with `task.tags.all()`: prefetch them (`with_tags()`).
    """
    return {
        name: task.tag_names() if name == "tags" else _json_value(getattr(task, name))
        for name in TASK_FIELDS
    }


def _json_value(value: Any) -> Any:
    """Return `value` as JSON holds it: dates and times in ISO 8601."""
    return value.isoformat() if isinstance(value, date) else value


def user_data(*, user: User) -> dict[str, Any]:
    """Return everything stored about `user` (their account and all their tasks)."""
    tasks = Task.objects.for_user(user).newest_first().with_tags()
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "created_at": user.created_at.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "tasks": [task_record(task) for task in tasks.iterator(chunk_size=500)],
    }


def write_tasks_csv(
    tasks: Iterable[Task], stream: IO[str], *, include_owner: bool = False
) -> None:
    """Write `tasks` to `stream` as CSV with a header row; optionally the owner's email.

    With `include_owner`, select the owner with the tasks (`select_related("user")`);
    prefetch their tags (`with_tags()`).
    Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
    """
    writer = csv.writer(stream)
    header = [*TASK_FIELDS, "owner_email"] if include_owner else list(TASK_FIELDS)
    writer.writerow(header)
    for task in tasks:
        record = task_record(task)
        record["tags"] = CSV_TAG_SEPARATOR.join(record["tags"])
        row = [_safe_cell(record[field]) for field in TASK_FIELDS]
        if include_owner:
            row.append(_safe_cell(task.user.email))
        writer.writerow(row)


#: First characters after which a spreadsheet would run a cell as a formula; the
#: apostrophe itself too, so that tasks/imports.py can always remove the one added.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "'")


def _safe_cell(value: Any) -> Any:
    """Neutralise CSV formula injection (=, +, -, @ at the start of a text cell)."""
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
        return "'" + value
    return "" if value is None else value
