"""Tasks, and the rules every interface (admin, pages, API) shares about them."""

from __future__ import annotations

import hashlib
import re
import secrets
import zoneinfo
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Collate, Length, Lower, Now, Trim
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone

from tasks.recurrence import Repeat, next_due_date

if TYPE_CHECKING:
    from accounts.models import User

#: Search terms beyond this many are ignored, so one request cannot build a huge query.
MAX_SEARCH_TERMS = 8
#: The longest tag name, and the most tags one task may carry.
TAG_MAX_LENGTH = 50
MAX_TAGS_PER_TASK = 20
#: Characters a tag name cannot hold: the separators of the form field and of CSV.
TAG_SEPARATORS = (",", ";")
#: The due dates a task may have, in every interface and in the database: any real
#: plan fits, and no list or report has to span thousands of years.
DUE_DATE_MIN = date(1900, 1, 1)
DUE_DATE_MAX = date(2200, 12, 31)

#: The collation that sorts titles as people expect ("apple" < "Éclair" < "Zebra"):
#: case- and accent-insensitive. PostgreSQL: an ICU collation made by migration 0008;
#: SQLite: a Python function registered on each connection (tasks/collation.py).
TITLE_COLLATION = "tasks_title_sort"


def validate_not_blank(value: str) -> None:
    """Refuse a value that is empty once surrounding white space is removed."""
    if not value.strip():
        raise ValidationError("This field cannot be blank.", code="blank")


def validate_repeat(repeat: str | None, due_date: date | None) -> None:
    """Refuse a repeat rule on a task without a due date (an error on `repeat`)."""
    if repeat and due_date is None:
        raise ValidationError(
            {"repeat": "A repeating task needs a due date."}, code="repeat_undated"
        )


def clean_tag_names(names: Iterable[str]) -> list[str]:
    """Return tag names trimmed, without repeats (case ignored), or refuse them."""
    cleaned: dict[str, str] = {}
    for name in names:
        name = name.strip()
        if not name:
            raise ValidationError("A tag cannot be blank.", code="blank")
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError(
                f"A tag has at most {TAG_MAX_LENGTH} characters.", code="max_length"
            )
        if any(separator in name for separator in TAG_SEPARATORS) or "\x00" in name:
            raise ValidationError(
                "A tag cannot contain a comma or a semicolon.", code="invalid"
            )
        cleaned.setdefault(name.lower(), name)
    if len(cleaned) > MAX_TAGS_PER_TASK:
        raise ValidationError(
            f"A task has at most {MAX_TAGS_PER_TASK} tags.", code="max_tags"
        )
    return list(cleaned.values())


def validate_tag_name(value: str) -> None:
    """Refuse a tag name that clean_tag_names() would refuse."""
    clean_tag_names([value])


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

    def open(self) -> TaskQuerySet:
        """Return tasks still to do: pending or in progress."""
        return self.exclude(status=Task.Status.COMPLETED)

    def in_list_order(self) -> TaskQuerySet:
        """Return tasks as the list shows them by default: open tasks first, then by
        due date (so overdue first), undated last, and newest first among equals."""
        completed_last = Case(
            When(status=Task.Status.COMPLETED, then=Value(1)), default=Value(0)
        )
        return self.order_by(
            completed_last,
            F("due_date").asc(nulls_last=True),
            "-created_at",
            "-id",
        )

    def search(self, text: str) -> TaskQuerySet:
        """Return tasks whose title or description contains every word of `text`."""
        queryset = self
        for term in re.split(r"\s+", text.strip())[:MAX_SEARCH_TERMS]:
            if term:
                queryset = queryset.filter(
                    Q(title__icontains=term) | Q(description__icontains=term)
                )
        return queryset

    def with_tag(self, name: str) -> TaskQuerySet:
        """Return tasks tagged `name` (letter case ignored) by their owner."""
        # Each user's tag names differ in more than letter case: at most one join
        # row per task matches, so no task is listed twice.
        return self.filter(tags__name__iexact=name.strip())

    def with_tags(self) -> TaskQuerySet:
        """Return the tasks with their tags fetched along (one more query in all)."""
        return self.prefetch_related("tags")

    def due_by(self, day: date) -> TaskQuerySet:
        """Return unfinished tasks due on or before `day`, soonest first."""
        return (
            self.filter(due_date__lte=day)
            .exclude(status=Task.Status.COMPLETED)
            .order_by("due_date", "id")
        )

    def dated(self) -> TaskQuerySet:
        """Return the tasks that have a due date, by due date."""
        return self.filter(due_date__isnull=False).order_by("due_date", "id")

    def ordered_by(self, ordering: str) -> TaskQuerySet:
        """Return tasks sorted by a field name ("-" prefix: descending), ties by id."""
        descending = ordering.startswith("-")
        name = ordering.removeprefix("-")
        if name not in Task.ORDERABLE_FIELDS:
            raise ValueError(f"Tasks cannot be ordered by {ordering!r}.")
        # Titles sort as people read them, whatever the letter case or accents.
        field = Collate(F(name), TITLE_COLLATION) if name == "title" else F(name)
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

    def values_with_tag_names(self, *fields: str) -> models.QuerySet:
        """Return `values(*fields)` rows; on PostgreSQL each row also has its task's
        tag names under TAG_NAMES, in the tags' order, read by the same query
        (`ARRAY(SELECT …)`). Other databases have no ordered array of a subquery:
        their rows get the names from tag_names_by_task(), one query per page."""
        rows = self.values(*fields)
        if connections[self.db].vendor != "postgresql":
            return rows
        return rows.annotate(**{TAG_NAMES: TagNames("pk")})

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
        """Move every task in the queryset to `status`; return how many rows changed.

        Completed repeating tasks move on to their next due date instead, as
        Task.save() does for one task.
        """
        Task.Status(status)  # ValueError for anything but the three statuses
        # The application's clock, as in Task.save(), so that timestamps written by the
        # two paths compare correctly (SQLite's now() has only millisecond precision).
        now = timezone.now()
        if status != Task.Status.COMPLETED:
            return self.update(status=status, updated_at=now)
        with transaction.atomic():
            repeating = list(
                self.filter(repeat__isnull=False, due_date__isnull=False)
                .select_related(None)
                .order_by("pk")
                .select_for_update()
                .only("pk", "repeat", "due_date")
            )
            for task in repeating:
                task.complete_repetition(now)
                task.updated_at = now
            Task.objects.bulk_update(repeating, Task.REPETITION_FIELDS)
            others = self.exclude(pk__in=[task.pk for task in repeating])
            return len(repeating) + others.update(status=status, updated_at=now)


class TagQuerySet(models.QuerySet["Tag"]):
    def for_user(self, user: User) -> TagQuerySet:
        """Return the tags of `user`: no one else ever sees them."""
        return self.filter(user=user)

    def with_task_counts(self) -> TagQuerySet:
        """Return the tags with the number of tasks of each (`task_count`)."""
        return self.annotate(task_count=Count("tasks"))


class Tag(models.Model):
    """A label a user puts on their tasks; its name is theirs alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tags",
        verbose_name="owner",
        db_index=False,  # the unique index below leads with user_id
    )
    name = models.CharField(max_length=TAG_MAX_LENGTH, validators=[validate_tag_name])

    objects = TagQuerySet.as_manager()

    class Meta:
        db_table = "tags"
        ordering = [Lower("name"), "name"]
        constraints = [
            models.UniqueConstraint(
                "user",
                Lower("name"),
                name="tags_user_name_unique",
                violation_error_message="You already have a tag with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = self.name.strip()
        # The unique constraint involves the owner, which the rename form does not
        # edit, so Django's form validation skips it: check the name here.
        taken = (
            Tag.objects.filter(user_id=self.user_id, name__iexact=self.name)
            .exclude(pk=self.pk)
            .exists()
        )
        if self.user_id and taken:
            raise ValidationError({"name": "You already have a tag with this name."})


#: The annotation of values_with_tag_names() rows that holds the task's tag names.
TAG_NAMES = "tag_names"


class TagNames(models.Func):
    """The names of a task's tags, in the tags' order (Tag.Meta.ordering), as an
    array, in the task's own row: `TagNames("id")`, for PostgreSQL only.

    Its statement is written once per process from the models' tables and columns:
    a subquery built with the ORM (`ArraySubquery`) would be built and compiled again
    for every filtered list. The order is Tag.Meta.ordering's, written out; the API's
    representation test compares it with the serializer's, which reads the tags in
    that ordering.
    """

    arity = 1
    output_field = ArrayField(models.TextField())
    #: The array's SQL per database vendor, written on first use.
    statements: ClassVar[dict[str, str]] = {}

    def as_sql(self, compiler, connection, **extra) -> tuple[str, list]:
        raise NotImplementedError("TagNames is for PostgreSQL only.")

    def as_postgresql(self, compiler, connection, **extra) -> tuple[str, list]:
        task_id, params = compiler.compile(self.source_expressions[0])
        statement = self.statements.get(connection.vendor)
        if statement is None:
            statement = self.statements[connection.vendor] = self.statement(
                connection.ops.quote_name
            )
        return statement % task_id, params

    @staticmethod
    def statement(quote: Callable[[str], str]) -> str:
        """The array's SQL, with `%s` where the task's id goes."""
        link = Task.tags.through._meta
        tag, name = quote("tag"), quote(Tag._meta.get_field("name").column)
        return (
            f"ARRAY(SELECT {tag}.{name} FROM {quote(Tag._meta.db_table)} AS {tag} "
            f"INNER JOIN {quote(link.db_table)} AS {quote('link')} "
            f"ON {quote('link')}.{quote(link.get_field('tag').column)} = "
            f"{tag}.{quote(Tag._meta.pk.column)} "
            f"WHERE {quote('link')}.{quote(link.get_field('task').column)} = (%s) "
            f"ORDER BY LOWER({tag}.{name}), {tag}.{name})"
        )


def tag_names_by_task(task_ids: Iterable[int]) -> dict[int, list[str]]:
    """Return the tag names of each of the tasks `task_ids`, in one query."""
    names: dict[int, list[str]] = {}
    links = (
        Task.tags.through.objects.filter(task_id__in=list(task_ids))
        .order_by(Lower("tag__name"), "tag__name")
        .values_list("task_id", "tag__name")
    )
    for task_id, name in links:
        names.setdefault(task_id, []).append(name)
    return names


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
        "repeat",
        "tags",
        "created_at",
        "updated_at",
    )
    #: What completing a repeating task writes (with updated_at).
    REPETITION_FIELDS = ("status", "due_date", "last_completed_at", "updated_at")

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
    due_date = models.DateField(
        "due date",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(DUE_DATE_MIN, f"Enter a date from {DUE_DATE_MIN} on."),
            MaxValueValidator(DUE_DATE_MAX, f"Enter a date up to {DUE_DATE_MAX}."),
        ],
        help_text=f"Optional; between {DUE_DATE_MIN} and {DUE_DATE_MAX}.",
    )
    # NULL: the task does not repeat. New nullable columns, so the original ones keep
    # their meaning for older readers and writers of the table.
    repeat = models.CharField(  # noqa: DJ001
        max_length=16,
        choices=Repeat.choices,
        null=True,
        blank=True,
        help_text="Completing a repeating task moves it to its next due date.",
    )
    last_completed_at = models.DateTimeField(
        "last completed", null=True, blank=True, editable=False
    )
    # Always the owner's own tags: Task.set_tags() is the way to change them.
    tags = models.ManyToManyField(
        Tag, related_name="tasks", blank=True, db_table="task_tags"
    )
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
            models.CheckConstraint(
                condition=Q(repeat__isnull=True)
                | Q(
                    repeat__in=[
                        "daily",
                        "weekdays",
                        "weekly",
                        "biweekly",
                        "monthly",
                        "yearly",
                    ]
                ),
                name="tasks_repeat_valid",
                violation_error_message="Unknown repeat rule.",
            ),
            models.CheckConstraint(
                condition=Q(repeat__isnull=True) | Q(due_date__isnull=False),
                name="tasks_repeat_needs_due_date",
                violation_error_message="A repeating task needs a due date.",
            ),
            models.CheckConstraint(
                condition=Q(due_date__range=(DUE_DATE_MIN, DUE_DATE_MAX))
                | Q(due_date__isnull=True),
                name="tasks_due_date_in_range",
                violation_error_message="Enter a due date between 1900 and 2200.",
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
        self.repeat = self.repeat or None
        update_fields = kwargs.get("update_fields")
        if self.status == Task.Status.COMPLETED and self.repeat and self.due_date:
            # A repeating task is never left completed: it comes back, due next time.
            self.complete_repetition(timezone.now())
            if update_fields is not None:
                update_fields = {*update_fields, *Task.REPETITION_FIELDS}
        # A new task was last updated when it was created; every later save moves it.
        self.updated_at = self.created_at if self._state.adding else timezone.now()
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        validate_repeat(self.repeat, self.due_date)

    def tag_names(self) -> list[str]:
        """Return the names of this task's tags, in order (prefetched ones if any)."""
        if self.pk is None:  # not saved yet: no tags
            return []
        return [tag.name for tag in self.tags.all()]

    @transaction.atomic
    def set_tags(self, names: Iterable[str]) -> None:
        """Tag this task with exactly `names`, creating the owner's missing tags."""
        names = clean_tag_names(names)
        owned = Tag.objects.for_user(self.user_id)
        wanted = {name.lower(): name for name in names}
        existing = owned.annotate(lower=Lower("name")).filter(lower__in=list(wanted))
        found = {tag.name.lower() for tag in existing}
        Tag.objects.bulk_create(
            [
                Tag(user_id=self.user_id, name=name)
                for key, name in wanted.items()
                if key not in found
            ],
            ignore_conflicts=True,  # made meanwhile by a concurrent request
        )
        self.tags.set(
            owned.annotate(lower=Lower("name")).filter(lower__in=list(wanted))
        )

    def complete_repetition(self, now: datetime) -> None:
        """Record a completion of this repeating task and make it due next time.

        Sets the fields without saving: Task.save() and TaskQuerySet.set_status()
        write them (REPETITION_FIELDS).
        """
        self.last_completed_at = now
        self.due_date = next_due_date(self.repeat, self.due_date)
        self.status = Task.Status.PENDING

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


@cache
def time_zone_names() -> frozenset[str]:
    """Return the names of the IANA time zones this machine knows."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """Refuse a name that is not an IANA time zone (such as Europe/Paris)."""
    if value not in time_zone_names():
        raise ValidationError("Choose a time zone from the list.", code="invalid")


def calendar_secret_hash(secret: str) -> str:
    """Return what is stored of a calendar feed's secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Preferences(models.Model):
    """A user's reminders: the daily digest, their time zone, the calendar feed.

    No row means the defaults (no digest, UTC, no feed).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="task_preferences",
    )
    digest_enabled = models.BooleanField(
        "daily digest email",
        default=False,
        help_text="A mail each morning with your overdue tasks and those due today "
        "or tomorrow; none on days with nothing due.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="The digest follows your day here: what is overdue, due today "
        "or tomorrow, and when the mail comes.",
    )
    #: The local date of the last digest sent, written only once it was sent.
    digest_last_sent_on = models.DateField(null=True, blank=True, editable=False)
    #: SHA-256 of the secret in the calendar feed's URL; NULL: no feed.
    calendar_secret_hash = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        db_table = "task_preferences"
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"Preferences of user {self.user_id}"

    @classmethod
    def of(cls, user: User) -> Preferences:
        """Return `user`'s preferences: their row, or the defaults, unsaved."""
        return cls.objects.filter(user=user).first() or cls(user=user)

    def zone(self) -> zoneinfo.ZoneInfo:
        """Return the user's time zone."""
        return zoneinfo.ZoneInfo(self.time_zone)

    def regenerate_calendar_secret(self) -> str:
        """Give the calendar feed a new secret, and return it: the old URL stops."""
        secret = secrets.token_urlsafe(32)
        self.calendar_secret_hash = calendar_secret_hash(secret)
        self.save()
        return secret

    def stop_calendar(self) -> None:
        """Turn the calendar feed off: its URL stops working."""
        self.calendar_secret_hash = None
        self.save()


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
    repeat = models.CharField(  # noqa: DJ001
        max_length=16, choices=Repeat.choices, null=True, blank=True
    )
    last_completed_at = models.DateTimeField("last completed", null=True, blank=True)
    created_at = models.DateTimeField("created")
    updated_at = models.DateTimeField("updated")
    #: The names of the task's tags when it was deleted, given back on restore.
    tag_names = models.JSONField(default=list, blank=True)
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
