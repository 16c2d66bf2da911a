"""Reading back what tasks/exports.py writes (JSON or CSV) as the user's tasks.

- Each row is checked as the API checks a new task (TaskSerializer, which carries the
  model's validators), so the rules of a task live in one place; a file with any bad
  row imports nothing, and the error names every bad row (rows are numbered from 1,
  in the order of the file: the first task of the JSON list, the first line under the
  CSV header).
- Identity: a row whose creation time and title equal those of one of the user's tasks
  (or of an earlier row of the file) is that task already, and is skipped. Importing
  the same file twice therefore creates nothing the second time. Ids in the file are
  not kept: new tasks get new ids, so a file never touches anyone else's task.
- Creation and update times are kept; a row without a creation time is created now.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from accounts.models import User
from tasks.api.serializers import ImportedTaskSerializer
from tasks.exports import CSV_TAG_SEPARATOR, FORMULA_PREFIXES
from tasks.models import Task

#: The largest file read, and the most tasks in one file.
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000


class ValidationError(Exception):
    """A row is not a task: `args[0]` holds the serializer's errors per field."""


class ImportFailed(Exception):
    """The file cannot be imported; `messages` says why (one per bad row)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int


def read_file(content: bytes) -> list[dict[str, Any]]:
    """Return the task rows of an exported file (JSON or CSV), raising ImportFailed."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFailed([too_large_message()])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(["The file is not UTF-8 text."]) from exc
    if text.lstrip()[:1] in ("{", "["):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise ImportFailed(["The file is not valid JSON."]) from exc
        return rows_of_document(data)
    return _csv_rows(text)


def rows_of_document(data: Any) -> list[dict[str, Any]]:
    """Return the task rows of an export's JSON document (or a bare list of tasks)."""
    rows = data.get("tasks") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise ImportFailed(['Expected the export\'s JSON: an object with "tasks".'])
    _check_count(rows)
    return rows


def _csv_rows(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if not reader.fieldnames or "title" not in reader.fieldnames:
            raise ImportFailed(['Expected the export\'s CSV: a header with "title".'])
        rows = []
        for row in reader:
            rows.append(_csv_record(row))
            _check_count(rows)
    except csv.Error as exc:
        raise ImportFailed([f"The file is not valid CSV: {exc}"]) from exc
    return rows


def _csv_record(row: dict[str, str]) -> dict[str, Any]:
    """Return a CSV row as the JSON export holds the task.

    CSV has no null: an empty cell is "no value", as the export writes it (an empty
    title stays empty, and is refused as blank); without a status or a time, the
    model's defaults apply (pending, now).
    """
    record: dict[str, Any] = {}
    for name, cell in row.items():
        value = "" if cell is None else _unescape(cell)  # None: a short row
        if value == "" and name in ("status", "created_at", "updated_at"):
            continue
        if name == "tags":  # one cell of names joined by "; "
            names = value.split(CSV_TAG_SEPARATOR.strip())
            record[name] = [name.strip() for name in names if name.strip()]
            continue
        record[name] = None if value == "" and name != "title" else value
    return record


def _unescape(value: Any) -> Any:
    """Undo the export's CSV formula escaping ("'" before a risky first character)."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def _check_count(rows: list) -> None:
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportFailed(
            [f"Too many tasks: at most {MAX_IMPORT_ROWS} can be imported at once."]
        )


def too_large_message() -> str:
    return f"The file is too large: at most {MAX_IMPORT_BYTES // (1024 * 1024)} MB."


def _task_of(row: Any, user: User) -> Task:
    """Return an unsaved task built from `row`, raising ValidationError.

    The row passes the API's own checks (TaskSerializer: the model's validators,
    text only, no NUL), so a task is refused here exactly when the API would refuse it.
    """
    serializer = ImportedTaskSerializer(data=row)
    if not serializer.is_valid():
        raise ValidationError(serializer.errors)
    fields = dict(serializer.validated_data)
    tag_names = fields.pop("tags", [])
    task = Task(user=user, **fields)
    task.imported_tag_names = tag_names
    if "updated_at" not in serializer.validated_data:
        task.updated_at = task.created_at
    task.description = task.description or None
    return task


def _reason(error: ValidationError) -> str:
    """Return the serializer's errors of a row as one line: "field: message; …"."""
    errors = error.args[0]
    return "; ".join(
        " ".join(str(message) for message in messages)
        if name == "non_field_errors"
        else f"{name}: {' '.join(str(message) for message in messages)}"
        for name, messages in errors.items()
    )


@transaction.atomic
def import_tasks(*, user: User, rows: list[Any]) -> ImportResult:
    """Create `user`'s tasks from export `rows`, all or none; raise ImportFailed."""
    _check_count(rows)
    tasks: list[Task] = []
    errors: list[str] = []
    for number, row in enumerate(rows, start=1):
        try:
            tasks.append(_task_of(row, user))
        except ValidationError as error:
            errors.append(f"Row {number}: {_reason(error)}")
    if errors:
        raise ImportFailed(errors)
    seen: set[tuple[datetime, str]] = set(
        Task.objects.for_user(user).values_list("created_at", "title")
    )
    new = []
    for task in tasks:
        key = (task.created_at, task.title)
        if key not in seen:
            seen.add(key)
            new.append(task)
    # bulk_create keeps the times of the file (Task.save() would move updated_at).
    Task.objects.bulk_create(new, batch_size=500)
    for task in new:
        if task.imported_tag_names:
            task.set_tags(task.imported_tag_names)
    return ImportResult(created=len(new), skipped=len(tasks) - len(new))
