"""Operators' admin for tasks.

Unlike the pages and the API, which start from `TaskQuerySet.for_user()`, the admin
deliberately sees every user's tasks: it is for staff, and Django's model permissions
decide what each staff member may do there.
"""

from __future__ import annotations

import io

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.exports import write_tasks_csv
from tasks.models import Task, TaskQuerySet


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request: HttpRequest, queryset: TaskQuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.overdue(timezone.localdate())
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
    list_display = ("title", "owner_email", "status", "due_date", "updated_at")
    list_filter = ("status", OverdueFilter, "due_date")
    list_select_related = ("user",)
    search_fields = ("title", "description", "user__email")
    autocomplete_fields = ("user",)
    date_hierarchy = "due_date"
    fields = ("user", "title", "description", "status", "due_date")
    readonly_fields = ("created_at", "updated_at")
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

    @admin.action(description="Export selected as CSV", permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: TaskQuerySet) -> HttpResponse:
        stream = io.StringIO()
        tasks = queryset.select_related("user").order_by("id")
        write_tasks_csv(tasks.iterator(chunk_size=2000), stream, include_owner=True)
        response = HttpResponse(stream.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="tasks.csv"'
        return response
