"""The task list page's query parameters, adapted onto TaskQuerySet methods.

Unknown or malformed values are dropped by the form and the list falls back to the
defaults (open tasks, any due date, overdue first then by due date): a bad link never
breaks the page.
"""

from __future__ import annotations

from typing import TypedDict

import django_filters
from django.utils import timezone

from tasks.models import TAG_MAX_LENGTH, Task, TaskQuerySet

DUE_CHOICES = (
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("week", "Due this week"),
    ("none", "No due date"),
)

#: The status tabs: the default (no parameter) lists the open tasks.
STATUS_CHOICES = (*Task.Status.choices, ("all", "All"))

SORT_CHOICES = (
    ("due", "Overdue first, then by due date"),
    ("-created_at", "Newest first"),
    ("created_at", "Oldest first"),
    ("due_date", "Due date, soonest first"),
    ("-due_date", "Due date, latest first"),
    ("-updated_at", "Recently updated"),
    ("updated_at", "Least recently updated"),
    ("title", "Title, A to Z"),
    ("-title", "Title, Z to A"),
)
DEFAULT_SORT = "due"


class ChoiceSelect(TypedDict):
    """The <select> element of a choice filter."""

    options: list[tuple[str, str, bool]]  # (value, label, selected)
    invalid: bool  # the value given was rejected


class TaskPageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", empty_label="Open"
    )
    due = django_filters.ChoiceFilter(
        choices=DUE_CHOICES, method="filter_due", label="Due", empty_label="Any time"
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_sort", label="Sort", empty_label=None
    )
    tag = django_filters.CharFilter(
        method="filter_tag", label="Tag", max_length=TAG_MAX_LENGTH
    )

    class Meta:
        model = Task
        fields: list[str] = []

    def filter_search(self, queryset: TaskQuerySet, name: str, value: str):
        return queryset.search(value)

    def filter_status(self, queryset: TaskQuerySet, name: str, value: str):
        return queryset if value == "all" else queryset.with_status(value)

    def filter_due(self, queryset: TaskQuerySet, name: str, value: str):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.overdue(today)
        if value == "today":
            return queryset.due_today(today)
        if value == "week":
            return queryset.due_within_week(today)
        return queryset.without_due_date()

    def filter_tag(self, queryset: TaskQuerySet, name: str, value: str):
        return queryset.with_tag(value)

    def filter_sort(self, queryset: TaskQuerySet, name: str, value: str):
        return queryset  # applied last, in filter_queryset

    def filter_queryset(self, queryset: TaskQuerySet) -> TaskQuerySet:
        """Return the filtered tasks in the chosen order (by default the open tasks,
        overdue first, then by due date, undated last)."""
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.open()
        sort = self.form.cleaned_data.get("sort") or DEFAULT_SORT
        return queryset.in_list_order() if sort == "due" else queryset.ordered_by(sort)

    def select(self, name: str) -> ChoiceSelect:
        """Return what the <select> of choice filter `name` shows, as its widget would.

        The list page writes its two <select> elements from this: rendering the form's
        widgets goes through one template per option and cost the page more CPU than
        the rest of the filter form together. Like the widget, a rejected value selects
        no option and marks the element invalid.
        """
        bound_field = self.form[name]
        current = bound_field.value()
        current = "" if current is None else str(current)
        return ChoiceSelect(
            options=[
                (str(value), label, str(value) == current)
                for value, label in bound_field.field.choices
            ],
            invalid=bool(bound_field.errors),
        )

    def tag_select(self, names: list[str]) -> ChoiceSelect:
        """Return what the tag <select> shows: "Any tag", then the user's `names`."""
        current = (self.form["tag"].value() or "").strip().lower()
        return ChoiceSelect(
            options=[
                ("", "Any tag", not current),
                *((name, name, name.lower() == current) for name in names),
            ],
            invalid=bool(self.form["tag"].errors),
        )

    def status_counts(self) -> dict[str, int]:
        """Count tasks per status tab under every filter except the tab itself."""
        self.form.is_valid()  # the invalid values are left out of cleaned_data
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name != "status":
                queryset = self.filters[name].filter(queryset, value)
        counts = queryset.status_counts()
        counts["open"] = counts["all"] - counts[Task.Status.COMPLETED]
        return counts
