"""Tasks, and the rules every interface (admin, pages, API) shares about them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Length, Now, Trim
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import User

#: Search terms beyond this many are ignored, so one request cannot build a huge query.
MAX_SEARCH_TERMS = 8


def validate_not_blank(value: str) -> None:
    """Refuse a value that is empty once surrounding white space is removed."""
    if not value.strip():
        raise ValidationError("This field cannot be blank.", code="blank")


class TaskQuerySet(models.QuerySet["Task"]):
    # Visibility ---------------------------------------------------------------------

    def for_user(self, user: User) -> TaskQuerySet:
        """Return the tasks owned by `user`: the visibility rule of pages and API."""
        return self.filter(user=user)

    # List semantics -----------------------------------------------------------------

    def overdue(self, today: date) -> TaskQuerySet:
        """Return tasks due before `today` that are not completed."""
        return self.filter(due_date__lt=today).exclude(status=Task.Status.COMPLETED)

    def due_today(self, today: date) -> TaskQuerySet:
        """Return tasks due on `today`."""
        return self.filter(due_date=today)

    def due_within_week(self, today: date) -> TaskQuerySet:
        """Return tasks due from `today` to six days later, both included."""
        return self.filter(due_date__range=(today, today + timedelta(days=6)))

    def without_due_date(self) -> TaskQuerySet:
        """Return tasks that have no due date."""
        return self.filter(due_date__isnull=True)

    def with_status(self, *statuses: str) -> TaskQuerySet:
        """Return tasks in any of `statuses`."""
        return self.filter(status__in=statuses)

    def search(self, text: str) -> TaskQuerySet:
        """Return tasks whose title or description contains every word of `text`."""
        queryset = self
        for term in re.split(r"\s+", text.strip())[:MAX_SEARCH_TERMS]:
            if term:
                queryset = queryset.filter(
                    Q(title__icontains=term) | Q(description__icontains=term)
                )
        return queryset

    def ordered_by(self, ordering: str) -> TaskQuerySet:
        """Return tasks sorted by a field name ("-" prefix: descending), ties by id."""
        descending = ordering.startswith("-")
        name = ordering.removeprefix("-")
        if name not in Task.ORDERABLE_FIELDS:
            raise ValueError(f"Tasks cannot be ordered by {ordering!r}.")
        field = F(name)
        # Only the due date is nullable; undated tasks come last in either direction.
        if name == "due_date":
            field_order = (
                field.desc(nulls_last=True)
                if descending
                else field.asc(nulls_last=True)
            )
        else:
            field_order = field.desc() if descending else field.asc()
        return self.order_by(field_order, "-id" if descending else "id")

    def newest_first(self) -> TaskQuerySet:
        """Return tasks newest first: the default, stable order of every list."""
        return self.ordered_by("-created_at")

    def status_counts(self) -> dict[str, int]:
        """Return the number of tasks in each status, and in all, in one query.

        Rows counted per status (GROUP BY), not ids: for one user's tasks PostgreSQL
        answers from the index on (user, status, ...) alone, an index-only scan, where
        counting ids fetched each of the user's rows from the table (several times the
        database time on the list page). One grouped count is also cheaper for Django
        to build than a filtered count per status.
        """
        counts = dict.fromkeys(Task.Status.values, 0)
        counts.update(self.order_by().values_list("status").annotate(count=Count("*")))
        return {"all": sum(counts.values()), **counts}

    # Writes -------------------------------------------------------------------------

    def set_status(self, status: str) -> int:
        """Move every task in the queryset to `status`; return how many rows changed."""
        Task.Status(status)  # ValueError for anything but the three statuses
        # The application's clock, as in Task.save(), so that timestamps written by the
        # two paths compare correctly (SQLite's now() has only millisecond precision).
        return self.update(status=status, updated_at=timezone.now())


class Task(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    ORDERABLE_FIELDS = ("due_date", "created_at", "updated_at", "title", "status")
    #: What a task's owner sees of it, in this order: the API's representation, and
    #: (less the owner, who is the exporting account) the exports.
    REPRESENTED_FIELDS = (
        "id",
        "user_id",
        "title",
        "description",
        "status",
        "due_date",
        "created_at",
        "updated_at",
    )

    id = models.AutoField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name="owner",
        # Indexed by the composite indexes below, which all lead with user_id.
        db_index=False,
    )
    title = models.CharField(max_length=200, validators=[validate_not_blank])
    # NULL, not "", for "no description": the original schema and API say so.
    description = models.TextField(null=True, blank=True)  # noqa: DJ001
    status = models.CharField(
        max_length=50,
        choices=Status.choices,
        default=Status.PENDING,
        db_default=Status.PENDING,
    )
    due_date = models.DateField("due date", null=True, blank=True)
    created_at = models.DateTimeField(
        "created", default=timezone.now, db_default=Now(), editable=False
    )
    updated_at = models.DateTimeField(
        "updated", default=timezone.now, db_default=Now(), editable=False
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        db_table = "tasks"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                # The three values of Task.Status (not in scope inside Meta).
                condition=Q(status__in=["pending", "in_progress", "completed"]),
                name="tasks_status_valid",
                violation_error_message="Unknown status.",
            ),
            models.CheckConstraint(
                condition=GreaterThan(Length(Trim("title")), 0),
                name="tasks_title_not_blank",
                violation_error_message="The title cannot be blank.",
            ),
        ]
        indexes = [
            # A user's tasks newest first (the default list), and the count.
            models.Index(
                fields=["user", "-created_at", "-id"], name="tasks_user_created_idx"
            ),
            # A user's tasks in one status (tabs, status filter), newest first.
            models.Index(
                fields=["user", "status", "-created_at"], name="tasks_user_status_idx"
            ),
            # A user's tasks by due date (overdue, today, this week, sort by due date).
            models.Index(fields=["user", "due_date"], name="tasks_user_due_idx"),
            # Every user's tasks by due date: the operators' due date filter and
            # date hierarchy in the admin.
            models.Index(fields=["due_date"], name="tasks_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # "No description" is NULL, whichever interface wrote "" (SPEC §2).
        self.description = self.description or None
        # A new task was last updated when it was created; every later save moves it.
        self.updated_at = self.created_at if self._state.adding else timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", kwargs={"pk": self.pk})

    def is_overdue(self, today: date | None = None) -> bool:
        """Return True if the task is past its due date and not completed."""
        today = today or timezone.localdate()
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status != Task.Status.COMPLETED
        )

    def set_status(self, status: str) -> None:
        """Move this task to `status`, saving only the status and the update time."""
        self.status = Task.Status(status)
        self.save(update_fields=["status"])


def who_did_it(verbose_name: str) -> models.ForeignKey:
    """Return a field for the user who did something to a task, if anyone did.

    No constraint in the database: the history trigger writes the id it is given, and
    deleting that account later keeps the rows (Django sets the field to NULL).
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=verbose_name,
    )


class TrashedTaskQuerySet(models.QuerySet["TrashedTask"]):
    def for_user(self, user: User) -> TrashedTaskQuerySet:
        """Return the trashed tasks of `user`: the visibility rule of the trash."""
        return self.filter(user=user)

    def newest_first(self) -> TrashedTaskQuerySet:
        """Return trashed tasks, the most recently deleted first."""
        return self.order_by("-deleted_at", "-id")

    def deleted_before(self, moment: datetime) -> TrashedTaskQuerySet:
        """Return trashed tasks deleted before `moment`."""
        return self.filter(deleted_at__lt=moment)


class TrashedTask(models.Model):
    """A deleted task, kept until restored or purged (tasks/trash.py moves the rows).

    Same columns as `tasks`, so that `tasks` holds live tasks only and a restore puts
    every field back as it was, id included.
    """

    id = models.IntegerField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="trashed_tasks",
        verbose_name="owner",
        db_index=False,  # the index below leads with user_id
    )
    title = models.CharField(max_length=200)
    description = models.TextField(null=True, blank=True)  # noqa: DJ001
    status = models.CharField(max_length=50, choices=Task.Status.choices)
    due_date = models.DateField("due date", null=True, blank=True)
    created_at = models.DateTimeField("created")
    updated_at = models.DateTimeField("updated")
    deleted_at = models.DateTimeField("deleted", default=timezone.now)
    deleted_by = who_did_it("deleted by")

    objects = TrashedTaskQuerySet.as_manager()

    class Meta:
        db_table = "tasks_trash"
        ordering = ["-deleted_at", "-id"]
        verbose_name = "trashed task"
        indexes = [
            # A user's trash, most recently deleted first.
            models.Index(
                fields=["user", "-deleted_at", "-id"], name="tasks_trash_user_idx"
            ),
            # The daily purge of old rows across all users.
            models.Index(fields=["deleted_at"], name="tasks_trash_deleted_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class TaskEventQuerySet(models.QuerySet["TaskEvent"]):
    def for_task(self, task_id: int) -> TaskEventQuerySet:
        """Return the events of the task `task_id`, newest first, with their actor."""
        return self.filter(task_id=task_id).select_related("actor").order_by("-id")


class TaskEvent(models.Model):
    """One change to a task, written by database triggers on `tasks` (tasks/history.py).

    The triggers see every writer: pages, API, admin, `QuerySet.update()` and, on
    PostgreSQL, raw SQL from any client.
    """

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        DELETED = "deleted", "Deleted"
        RESTORED = "restored", "Restored"

    #: The fields whose changes are recorded, old and new value.
    TRACKED_FIELDS = ("title", "description", "status", "due_date")

    id = models.BigAutoField(primary_key=True)
    # Not a foreign key: the history outlives the row while the task is in the trash.
    task_id = models.IntegerField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="owner",
    )
    actor = who_did_it("actor")
    action = models.CharField(max_length=20, choices=Action.choices)
    changes = models.JSONField(default=dict)
    at = models.DateTimeField(default=timezone.now)

    objects = TaskEventQuerySet.as_manager()

    class Meta:
        db_table = "task_events"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} task {self.task_id}"
