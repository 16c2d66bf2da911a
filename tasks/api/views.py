"""The tasks resource of the API: a user's tasks, with ETags and If-Match."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.exceptions import PreconditionFailed
from api.schema import error_responses
from tasks.api.filters import TaskApiFilter
from tasks.api.serializers import TaskSerializer
from tasks.models import Task, TaskQuerySet

#: Methods that change a task: they honour If-Match, with the row locked.
WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})


class TaskPagination(PageNumberPagination):
    """Pages of 50 tasks; `page_size` asks for up to 200 (more is capped).

    A page past the end, or not a number, is a 404; a `page_size` that is not a
    positive integer is a 400.
    """

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


def etag_of(representation: dict) -> str:
    """Return the strong ETag of a task's JSON representation (any change changes it,
    updated_at included)."""
    data = json.dumps(representation, sort_keys=True, cls=DjangoJSONEncoder)
    digest = hashlib.sha256(data.encode()).hexdigest()[:32]
    return f'"{digest}"'


def etag_matches(header: str | None, etag: str) -> bool | None:
    """Return whether the If-Match/If-None-Match `header` names `etag` (or is "*").

    None when the header is missing or names no ETag at all: no condition, as in
    Django's own conditional views. Weak tags compare by their value: GZipMiddleware
    weakens the ETags of the responses it compresses.
    """
    tags = parse_etags(header or "")
    if not tags:
        return None
    return any(tag == "*" or tag.removeprefix("W/") == etag for tag in tags)


def created_response(request: Request, serializer: TaskSerializer) -> Response:
    """Return the 201 for a task just saved: its representation, Location and ETag."""
    task = serializer.instance
    location = request.build_absolute_uri(reverse("api:task-detail", args=[task.pk]))
    return Response(
        serializer.data,
        status=status.HTTP_201_CREATED,
        headers={"Location": location, "ETag": etag_of(serializer.data)},
    )


def owner_visible_to(user: User, owner_id: int) -> User:
    """Return the user `owner_id` if `user` may see their list (themselves, or staff).

    Anybody else gets a 404, as for an account that does not exist.
    """
    if user.pk == owner_id:
        return user
    if not user.is_staff:
        raise Http404
    return get_object_or_404(User, pk=owner_id)


ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201, 304],
    description="Version of the task; send it back in If-Match when you change it.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Change the task only if its ETag is still this one (else 412).",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Answer 304 without a body if the ETag is still this one.",
)
LOCATION_HEADER = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    response=[201],
    description="URL of the new task.",
)
TASK_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 412, 413, 415, 429)
LIST_SCHEMA = extend_schema(
    responses={200: TaskSerializer(many=True), **error_responses(400, 401, 404, 429)}
)


def create_schema(*more_errors: int):
    """Return the schema of a task creation (201 with Location and ETag)."""
    return extend_schema(
        parameters=[LOCATION_HEADER, ETAG_HEADER],
        responses={
            201: TaskSerializer,
            **error_responses(400, 401, 403, 413, 415, 429, *more_errors),
        },
    )


class RowListMixin:
    """List tasks as `values()` rows: a page of up to 200 tasks builds no model
    instances (TaskSerializer represents rows and tasks alike)."""

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values(*TaskSerializer.ROW_FIELDS))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    list=LIST_SCHEMA,
    create=create_schema(),
    retrieve=extend_schema(
        parameters=[TASK_ID, IF_NONE_MATCH, ETAG_HEADER],
        responses={
            200: TaskSerializer,
            304: OpenApiResponse(description="Not modified since that ETag."),
            **error_responses(401, 404, 429),
        },
    ),
    update=extend_schema(
        parameters=[TASK_ID, IF_MATCH, ETAG_HEADER],
        responses={200: TaskSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        parameters=[TASK_ID, IF_MATCH, ETAG_HEADER],
        responses={200: TaskSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        parameters=[TASK_ID, IF_MATCH],
        responses={
            204: OpenApiResponse(description="Deleted."),
            **error_responses(401, 403, 404, 412, 429),
        },
    ),
)
class TaskViewSet(RowListMixin, viewsets.ModelViewSet):
    """The caller's tasks. Other users' tasks do not exist here (404).

    Lists are paginated (`page`, `page_size` up to 200), filtered and sorted by the
    query parameters below, newest first by default. Each task carries an ETag: send it
    as If-Match with PUT, PATCH or DELETE, and a task changed meanwhile gets 412.
    """

    serializer_class = TaskSerializer
    filterset_class = TaskApiFilter
    pagination_class = TaskPagination

    def get_queryset(self) -> TaskQuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Task.objects.none()
        queryset = Task.objects.for_user(self.request.user).newest_first()
        if self.request.method in WRITE_METHODS:
            # Locked until the write commits: the If-Match check and the write see
            # the same row, so of concurrent writers with one ETag exactly one wins.
            queryset = queryset.select_for_update()
        return queryset

    def filter_queryset(self, queryset: TaskQuerySet) -> TaskQuerySet:
        # Query parameters filter lists only; they never hide one task from its URL.
        # A list without any has nothing to filter: building the FilterSet and its
        # form would cost about a tenth of the request.
        if self.action != "list" or not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self) -> Task:
        task = super().get_object()
        if self.request.method in WRITE_METHODS:
            if_match = self.request.headers.get("If-Match")
            current = etag_of(self.get_serializer(task).data)
            if etag_matches(if_match, current) is False:
                raise PreconditionFailed()
        return task

    def perform_create(self, serializer: TaskSerializer) -> None:
        serializer.save(user=self.request.user)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return created_response(request, serializer)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        data = self.get_serializer(self.get_object()).data
        etag = etag_of(data)
        if etag_matches(request.headers.get("If-None-Match"), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    @transaction.atomic
    def update(self, request: Request, *args, **kwargs) -> Response:
        response = super().update(request, *args, **kwargs)
        response["ETag"] = etag_of(response.data)
        return response

    @transaction.atomic
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        return super().destroy(request, *args, **kwargs)


@extend_schema_view(
    get=LIST_SCHEMA,
    post=create_schema(404),
)
class UserTaskListView(RowListMixin, generics.ListCreateAPIView):
    """One user's tasks, as in the original design: for that user and for staff.

    Anybody else gets 404. Same parameters and representation as /api/v1/tasks/.
    """

    serializer_class = TaskSerializer
    filterset_class = TaskApiFilter
    pagination_class = TaskPagination

    def get_owner(self) -> User:
        return owner_visible_to(self.request.user, self.kwargs["user_id"])

    def get_queryset(self) -> TaskQuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Task.objects.none()
        return Task.objects.for_user(self.get_owner()).newest_first()

    def create(self, request: Request, *args, **kwargs) -> Response:
        owner = self.get_owner()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(user=owner)
        return created_response(request, serializer)
