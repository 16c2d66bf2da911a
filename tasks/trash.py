"""Deleting tasks into the trash, restoring them, and deleting them for good.

The one place that moves rows between `tasks` and `tasks_trash`: the pages, the API,
the admin and the `purge_trash` command all call these functions.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from tasks.models import (
    Task,
    TaskEvent,
    TaskQuerySet,
    TrashedTask,
    TrashedTaskQuerySet,
    tag_names_by_task,
)

#: The columns a task and its trashed copy share (all of the task's).
TASK_COLUMNS = tuple(field.attname for field in Task._meta.concrete_fields)


@transaction.atomic
def move_to_trash(*, tasks: TaskQuerySet, by: User | None) -> int:
    """Move `tasks` to their owners' trash; return how many were moved."""
    rows = list(tasks.order_by().select_for_update().values(*TASK_COLUMNS))
    if not rows:
        return 0
    now = timezone.now()
    tags = tag_names_by_task(row["id"] for row in rows)
    TrashedTask.objects.bulk_create(
        TrashedTask(
            **row, tag_names=tags.get(row["id"], []), deleted_at=now, deleted_by=by
        )
        for row in rows
    )
    Task.objects.filter(pk__in=[row["id"] for row in rows]).delete()
    return len(rows)


@transaction.atomic
def restore(*, trashed: TrashedTaskQuerySet) -> list[Task]:
    """Put `trashed` tasks back where they were, same id and fields; return them."""
    rows = list(
        trashed.order_by("id").select_for_update().values(*TASK_COLUMNS, "tag_names")
    )
    tag_names = {row["id"]: row.pop("tag_names") for row in rows}
    # Inserted with their own ids while still in the trash: the history trigger
    # records a restore, not a creation. Ids are never handed out twice (identity
    # column on PostgreSQL, AUTOINCREMENT on SQLite), so the id is still free.
    tasks = Task.objects.bulk_create(Task(**row) for row in rows)
    for task in tasks:
        if tag_names[task.pk]:
            task.set_tags(tag_names[task.pk])
    TrashedTask.objects.filter(pk__in=[row["id"] for row in rows]).delete()
    return tasks


@transaction.atomic
def delete_forever(*, trashed: TrashedTaskQuerySet) -> int:
    """Delete `trashed` tasks and their history for good; return how many."""
    ids = list(trashed.values_list("id", flat=True))
    TaskEvent.objects.filter(task_id__in=ids).delete()
    count, _ = TrashedTask.objects.filter(pk__in=ids).delete()
    return count


def purge(*, deleted_before: datetime) -> int:
    """Delete for good what was trashed before `deleted_before`; return how many."""
    return delete_forever(trashed=TrashedTask.objects.deleted_before(deleted_before))
