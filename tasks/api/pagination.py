"""How the API pages its lists of tasks."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class LookAheadPaginator(Paginator):
    """A paginator that reads the first page with one row more than it shows.

    When those rows fit on the page they are the whole list, and their number is the
    count: no COUNT query runs. A longer list is counted as usual, when the response
    asks for it (the total and the link to the next page). Either way the page and the
    count are the ones `Paginator` gives.
    """

    FIRST_PAGE = 1

    def page(self, number) -> Page:
        if number not in (self.FIRST_PAGE, str(self.FIRST_PAGE)):
            return super().page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.count = len(rows)  # `count` is a cached property: set, not computed
        return Page(rows[: self.per_page], self.FIRST_PAGE, self)


class TaskPagination(PageNumberPagination):
    """Pages of 50 tasks; `page_size` asks for up to 200 (more is capped).

    A page past the end, or not a number, is a 404; a `page_size` that is not a
    positive integer is a 400.
    """

    django_paginator_class = LookAheadPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (
            value.isascii() and value.isdigit() and int(value) > 0
        ):
            raise ValidationError({"page_size": ["A positive integer is required."]})
        return super().get_page_size(request)

    def get_page_number(self, request: Request, paginator) -> str | int:
        number = request.query_params.get(self.page_query_param)
        # DRF reads an empty `page` as page 1; like any other non-number, it is a 404.
        return number if number == "" else super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    "Tasks per page: 50 unless given, at most 200."
                )
        return parameters
