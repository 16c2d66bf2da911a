"""Operators' admin for tasks.

Unlike the pages and the API, which start from `TaskQuerySet.for_user()`, the admin
deliberately sees every user's tasks: it is for staff, and Django's model permissions
decide what each staff member may do there.
"""

from __future__ import annotations

import io

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property

from accounts.admin import UserAdmin
from accounts.models import User
from tasks import trash
from tasks.exports import write_tasks_csv
from tasks.models import Tag, Task, TaskQuerySet, TrashedTask, TrashedTaskQuerySet


class EstimatedCountPaginator(Paginator):
    """Count an unfiltered list of a large table from PostgreSQL's statistics.

    An exact COUNT(*) of a million tasks scans the table on every page of the admin;
    the planner's row estimate, kept fresh by autovacuum, is within a few percent and
    costs nothing. Filtered lists, tables under `exact_below` rows and
    other databases are counted exactly, in the same one query.
    """

    exact_below = 100_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if queryset.query.where or connection.vendor != "postgresql":
            return super().count
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint "
                f"ELSE (SELECT COUNT(*) FROM {table}) END "
                "FROM pg_class WHERE oid = %s::regclass",
                [self.exact_below, table],
            )
            return cursor.fetchone()[0]


class DueFilter(admin.SimpleListFilter):
    """What operators ask of due dates: coming up, late, or none at all."""

    title = "due date"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("next7", "Next 7 days"),
            ("overdue", "Overdue"),
            ("none", "No due date"),
        ]

    def queryset(self, request: HttpRequest, queryset: TaskQuerySet) -> QuerySet:
        today = timezone.localdate()
        if self.value() == "next7":
            return queryset.due_within_week(today)
        if self.value() == "overdue":
            return queryset.overdue(today)
        if self.value() == "none":
            return queryset.without_due_date()
        return queryset


def status_action(status: Task.Status):
    """Return an admin action that moves the selected tasks to `status`."""

    @admin.action(description=f"Mark selected as {status.label.lower()}")
    def action(modeladmin, request: HttpRequest, queryset: TaskQuerySet) -> None:
        count = queryset.set_status(status)
        label = status.label.lower()
        modeladmin.message_user(
            request, f"Marked {count} task(s) as {label}.", messages.SUCCESS
        )

    action.__name__ = f"mark_{status.value}"
    action.allowed_permissions = ("change",)
    return action


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_email", "status", "due", "updated")
    list_filter = ("status", DueFilter, "repeat")
    # A task's page belongs to its owner: for anyone else, the operator included,
    # it is a 404, so the admin offers no "View on site" link.
    view_on_site = False
    list_select_related = ("user",)
    search_fields = ("title", "description", "user__email")
    autocomplete_fields = ("user",)
    paginator = EstimatedCountPaginator
    # A page of rows an operator can scan; search and the filters narrow the list to
    # what matters, and keep its rendering cheap under load (bench/RESULTS.md).
    list_per_page = 25
    fields = ("user", "title", "description", "status", "due_date", "repeat")
    # Tags are changed by their owner (pages, API) or renamed here under Tags: a
    # task can never carry another user's tag.
    readonly_fields = ("tag_names", "last_completed_at", "created_at", "updated_at")
    # Newest first by id, which the primary key's index serves across all users.
    ordering = ("-id",)
    show_full_result_count = False
    actions = (
        *(status_action(status) for status in Task.Status),
        "export_csv",
    )

    def get_fields(self, request: HttpRequest, obj: Task | None = None):
        return self.fields + (self.readonly_fields if obj else ())

    @admin.display(description="owner", ordering="user__email")
    def owner_email(self, task: Task) -> str:
        return task.user.email

    @admin.display(description="tags")
    def tag_names(self, task: Task) -> str:
        return ", ".join(task.tag_names())

    # Dates in the list as ISO 8601 (2026-11-27, 2026-11-27 08:05): unambiguous,
    # sortable at a glance, and cheaper to render than the localized formats.
    @admin.display(description="due date", ordering="due_date")
    def due(self, task: Task) -> str | None:
        return task.due_date.isoformat() if task.due_date else None

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, task: Task) -> str:
        return timezone.localtime(task.updated_at).strftime("%Y-%m-%d %H:%M")

    # Deleting, one task or the selected ones, moves them to their owner's trash.
    def delete_model(self, request: HttpRequest, obj: Task) -> None:
        trash.move_to_trash(tasks=Task.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: TaskQuerySet) -> None:
        trash.move_to_trash(tasks=queryset, by=request.user)

    @admin.action(description="Export selected as CSV", permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: TaskQuerySet) -> HttpResponse:
        stream = io.StringIO()
        tasks = queryset.select_related("user").order_by("id").with_tags()
        write_tasks_csv(tasks.iterator(chunk_size=2000), stream, include_owner=True)
        response = HttpResponse(stream.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="tasks.csv"'
        return response


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Every user's tags (staff see all); renaming one renames it on its tasks."""

    list_display = ("name", "owner_email", "task_count")
    list_select_related = ("user",)
    search_fields = ("name", "user__email")
    autocomplete_fields = ("user",)
    fields = ("user", "name")
    ordering = ("user__email", "name")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tag]:
        return super().get_queryset(request).with_task_counts()

    def get_readonly_fields(self, request: HttpRequest, obj: Tag | None = None):
        # A tag stays with its owner: moving it would leave it on their tasks.
        return ("user",) if obj else ()

    @admin.display(description="owner", ordering="user__email")
    def owner_email(self, tag: Tag) -> str:
        return tag.user.email

    @admin.display(description="tasks", ordering="task_count")
    def task_count(self, tag: Tag) -> int:
        return tag.task_count


@admin.action(description="Restore selected tasks", permissions=["delete"])
def restore_tasks(modeladmin, request: HttpRequest, queryset: TrashedTaskQuerySet):
    restored = trash.restore(trashed=queryset)
    modeladmin.message_user(
        request, f"Restored {len(restored)} task(s).", messages.SUCCESS
    )


@admin.register(TrashedTask)
class TrashedTaskAdmin(admin.ModelAdmin):
    """Every user's trash (staff see all rows, as for tasks): read-only, with a
    restore action; deleting here deletes for good, with the task's history."""

    list_display = ("title", "owner_email", "status", "deleted_at", "deleted_by")
    list_filter = ("status", "deleted_at")
    list_select_related = ("user", "deleted_by")
    search_fields = ("title", "user__email")
    ordering = ("-deleted_at", "-id")
    list_per_page = 25
    actions = (restore_tasks,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: TrashedTask | None = None
    ) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: TrashedTask) -> None:
        trash.delete_forever(trashed=TrashedTask.objects.filter(pk=obj.pk))

    def delete_queryset(
        self, request: HttpRequest, queryset: TrashedTaskQuerySet
    ) -> None:
        trash.delete_forever(trashed=queryset)

    @admin.display(description="owner", ordering="user__email")
    def owner_email(self, trashed: TrashedTask) -> str:
        return trashed.user.email


admin.site.unregister(User)


@admin.register(User)
class UserWithTasksAdmin(UserAdmin):
    """The accounts' admin, with each user's number of tasks."""

    # The join date as ISO 8601, like the task list's dates: the long localized
    # format pushed the task count out of sight at 1280 px.
    list_display = (
        *(name for name in UserAdmin.list_display if name != "created_at"),
        "joined",
        "task_count",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # A correlated subquery rather than JOIN + GROUP BY: with a million users it
        # is computed for the page's rows only (and the owner autocomplete's), and
        # the email index still serves the ordering.
        counts = (
            Task.objects.filter(user=OuterRef("pk"))
            .order_by()
            .values("user")
            .annotate(count=Count("id"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                task_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
            )
        )

    @admin.display(description="created", ordering="created_at")
    def joined(self, user: User) -> str:
        return timezone.localtime(user.created_at).strftime("%Y-%m-%d")

    @admin.display(description="tasks", ordering="task_count")
    def task_count(self, user: User) -> int:
        return user.task_count
