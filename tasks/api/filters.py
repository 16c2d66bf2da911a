"""Query parameters of the API's task lists, adapted onto TaskQuerySet methods.

An invalid value (an unknown status or ordering, a malformed date, a NUL byte) is a 400
with a message per parameter; unknown parameters are ignored.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from api.fields import NO_NUL_PATTERN
from tasks.models import TAG_MAX_LENGTH, Task, TaskQuerySet

ORDERING_CHOICES = [
    (value, value) for name in Task.ORDERABLE_FIELDS for value in (name, f"-{name}")
]


class CommaSeparatedMultipleChoiceField(forms.MultipleChoiceField):
    """Accept `?status=a&status=b` and `?status=a,b` alike."""

    def to_python(self, value):
        return [
            part.strip()
            for item in super().to_python(value)
            for part in item.split(",")
        ]


SEARCH_MAX_LENGTH = 200


@extend_schema_field(
    {
        "type": "string",
        "maxLength": SEARCH_MAX_LENGTH,
        "pattern": NO_NUL_PATTERN,
        "description": "Only tasks whose title or description contains every word.",
    }
)
class SearchFilter(django_filters.CharFilter):
    """Free text, of a bounded length and without NUL characters (400 otherwise)."""


@extend_schema_field(
    {
        "type": "string",
        "maxLength": TAG_MAX_LENGTH,
        "pattern": NO_NUL_PATTERN,
        "description": "Only tasks with this one of your tags (letter case ignored).",
    }
)
class TagFilter(django_filters.CharFilter):
    """A tag name of the caller's (another user's tags match none of their tasks)."""


class TaskApiFilterForm(forms.Form):
    #: Parameters that, when given, need a value (an empty search is no search).
    NOT_EMPTY = ("due_after", "due_before", "overdue", "ordering")

    def clean(self):
        cleaned_data = super().clean()
        for name in self.NOT_EMPTY:
            if "" in self.data.getlist(name):
                self.add_error(name, "Give a value, or leave the parameter out.")
        return cleaned_data


class StatusFilter(django_filters.MultipleChoiceFilter):
    field_class = CommaSeparatedMultipleChoiceField


class TaskApiFilter(django_filters.FilterSet):
    status = StatusFilter(
        choices=Task.Status.choices,
        method="filter_status",
        help_text="Only tasks in these statuses: repeat the parameter or separate "
        "values with commas.",
    )
    due_after = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        help_text="Only tasks due on or after this date (YYYY-MM-DD).",
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        help_text="Only tasks due on or before this date (YYYY-MM-DD).",
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_overdue",
        empty_label=None,
        help_text="true: only tasks past their due date and not completed; "
        "false: only the others.",
    )
    search = SearchFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
    )
    tag = TagFilter(method="filter_tag", max_length=TAG_MAX_LENGTH)
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES,
        method="filter_ordering",
        help_text="Sort by this field; prefix '-' for descending. Ties by id. "
        "Default: newest first (-created_at). Any other value is a 400.",
        empty_label=None,
    )

    class Meta:
        model = Task
        fields: list[str] = []
        form = TaskApiFilterForm

    @classmethod
    def is_used_by(cls, query_params) -> bool:
        """Return whether `query_params` hold a parameter of this filter set.

        Without one (a list with no parameter, or only `page` and `page_size`) the
        filter set would change nothing, and need not be built with its form.
        """
        return any(name in cls.base_filters for name in query_params)

    def filter_status(self, queryset: TaskQuerySet, name: str, value: list[str]):
        return queryset.with_status(*value) if value else queryset

    def filter_overdue(self, queryset: TaskQuerySet, name: str, value: str):
        overdue = queryset.overdue(timezone.localdate())
        if value == "true":
            return overdue
        return queryset.exclude(pk__in=overdue.values("pk"))

    def filter_search(self, queryset: TaskQuerySet, name: str, value: str):
        return queryset.search(value)

    def filter_tag(self, queryset: TaskQuerySet, name: str, value: str):
        return queryset.with_tag(value)

    def filter_ordering(self, queryset: TaskQuerySet, name: str, value: str):
        return queryset.ordered_by(value)
