"""Operators' admin for tasks.

Unlike the pages and the API, which start from `TaskQuerySet.for_user()`, the admin
deliberately sees every user's tasks: it is for staff, and Django's model permissions
decide what each staff member may do there.
"""

from __future__ import annotations

import io
from datetime import date

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, Min, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.exports import write_tasks_csv
from tasks.models import Task, TaskQuerySet
from todoproject.url_parts import url_parts


class EstimatedCountPaginator(Paginator):
    """Count an unfiltered list of a large table from PostgreSQL's statistics.

    An exact COUNT(*) of a million tasks scans the table on every page of the admin
    (about 100 ms); the planner's row estimate, kept fresh by autovacuum, is within a
    few percent and costs nothing. Filtered lists, tables under `exact_below` rows and
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


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request: HttpRequest, queryset: TaskQuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.overdue(timezone.localdate())
        return queryset


class DueDateHierarchyQuerySet(TaskQuerySet):
    """The admin's tasks, whose date hierarchy needs no scan of every task.

    Django builds the hierarchy's year and month links from `dates()`, a DISTINCT over
    every matching row (about 160 ms at a million tasks, on every page). Here the years
    and months come from the first and last due date, two lookups in the due date's
    index; a year or month in that range without tasks simply lists none. Days are
    still read from the data: a month's rows are few.
    """

    def aggregate(self, *args, **kwargs) -> dict:
        """Aggregate, once per queryset for the same expressions.

        Django's hierarchy tag reads the due date's range before it calls dates(),
        which needs the same range: one query instead of two on every list page. Like
        a queryset's rows, the result is kept for this queryset only.
        """
        key = repr((args, sorted(kwargs.items())))
        cache = self.__dict__.setdefault("_aggregates", {})
        if key not in cache:
            cache[key] = super().aggregate(*args, **kwargs)
        return cache[key]

    def dates(self, field_name: str, kind: str, order: str = "ASC") -> list[date]:
        if kind == "day":
            return list(super().dates(field_name, kind, order))
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        first, last = bounds["first"], bounds["last"]
        if first is None:
            return []
        if kind == "year":
            values = [date(year, 1, 1) for year in range(first.year, last.year + 1)]
        else:
            values = [
                date(index // 12, index % 12 + 1, 1)
                for index in range(
                    first.year * 12 + first.month - 1, last.year * 12 + last.month
                )
            ]
        return values if order == "ASC" else values[::-1]


class TaskChangeList(ChangeList):
    """The task list, whose rows' change links cost one URL reversal per page.

    Django reverses each row's change URL separately (about 5% of the page's CPU);
    the URL is the same for every row but for the primary key, an integer, which
    neither the admin's quote() nor reverse() would change.
    """

    @cached_property
    def change_url_parts(self) -> tuple[str, str]:
        return url_parts(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            current_app=self.model_admin.admin_site.name,
        )

    def url_for_result(self, result: Task) -> str:
        before, after = self.change_url_parts
        return f"{before}{getattr(result, self.pk_attname)}{after}"


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
    list_filter = ("status", OverdueFilter, "due_date")
    list_select_related = ("user",)
    search_fields = ("title", "description", "user__email")
    autocomplete_fields = ("user",)
    # Years and months from the due date's range, not a scan: DueDateHierarchyQuerySet.
    date_hierarchy = "due_date"
    paginator = EstimatedCountPaginator
    # Every row costs CPU to render (about 0.1 ms: links, dates, checkbox, escaping)
    # on top of the page's fixed 8 ms. 25 rows keep the list's p99 under 150 ms with
    # 16 operators at once on two cores (bench/RESULTS.md: 50 rows measured 141-187
    # ms); search, the filters and the date hierarchy narrow the list to what matters.
    list_per_page = 25
    fields = ("user", "title", "description", "status", "due_date")
    readonly_fields = ("created_at", "updated_at")
    # Newest first by id, which the primary key's index serves across all users.
    ordering = ("-id",)
    show_full_result_count = False
    actions = (
        *(status_action(status) for status in Task.Status),
        "export_csv",
    )

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return TaskChangeList

    def get_queryset(self, request: HttpRequest) -> DueDateHierarchyQuerySet:
        queryset = super().get_queryset(request)
        return DueDateHierarchyQuerySet(Task, query=queryset.query, using=queryset.db)

    def get_fields(self, request: HttpRequest, obj: Task | None = None):
        return self.fields + (self.readonly_fields if obj else ())

    def action_checkbox(self, task: Task) -> SafeString:
        """Return the row's selection checkbox, the HTML Django's widget renders.

        Django renders it through the form template engine (CheckboxInput and its
        templates), a quarter of the changelist's CPU for one fixed `<input>` per row.
        The select-all and action scripts find it by its class and name.
        """
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            task.pk,
            format_html(_("Select this object for an action - {}"), str(task)),
        )

    @admin.display(description="owner", ordering="user__email")
    def owner_email(self, task: Task) -> str:
        return task.user.email

    # Dates in the list as ISO 8601 (2026-11-27, 2026-11-27 08:05): unambiguous,
    # sortable at a glance, and a tenth of the cost of Django's localized formats
    # (about 15 % of the page's CPU for the two columns of 50 rows).
    @admin.display(description="due date", ordering="due_date")
    def due(self, task: Task) -> str | None:
        return task.due_date.isoformat() if task.due_date else None

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, task: Task) -> str:
        return timezone.localtime(task.updated_at).strftime("%Y-%m-%d %H:%M")

    @admin.action(description="Export selected as CSV", permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: TaskQuerySet) -> HttpResponse:
        stream = io.StringIO()
        tasks = queryset.select_related("user").order_by("id")
        write_tasks_csv(tasks.iterator(chunk_size=2000), stream, include_owner=True)
        response = HttpResponse(stream.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="tasks.csv"'
        return response
