"""The tasks resource of the API: a user's tasks, with ETags and If-Match."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from rest_framework import generics, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.exceptions import PreconditionFailed
from tasks.api.etags import etag_matches, etag_of
from tasks.api.filters import TaskApiFilter
from tasks.api.pagination import TaskPagination
from tasks.api.permissions import CREATE, READ, owner_visible_to
from tasks.api.schema import TASK_VIEWSET_SCHEMA, USER_TASK_LIST_SCHEMA
from tasks.api.serializers import TaskSerializer, with_tag_names
from tasks.models import Task, TaskQuerySet

#: Methods that change a task: they honour If-Match, with the row locked.
WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})


class CreatedResponseMixin:
    """Answer a creation with 201, the task's representation, Location and ETag."""

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        task = serializer.instance
        headers = {"ETag": etag_of(serializer.data)}
        # The task's URL answers its owner only: staff who created it in someone
        # else's list get no Location they could not follow (the body has the task).
        if task.user_id == request.user.pk:
            headers["Location"] = request.build_absolute_uri(
                reverse("api:task-detail", args=[task.pk])
            )
        return Response(
            serializer.data, status=status.HTTP_201_CREATED, headers=headers
        )


class RowListMixin:
    """List tasks as `values()` rows: a page of up to 200 tasks builds no model
    instances (TaskSerializer represents rows and tasks alike). The page's tags come
    in one more query."""

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values(*TaskSerializer.ROW_FIELDS))
        page = with_tag_names(page) if page else page
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@TASK_VIEWSET_SCHEMA
class TaskViewSet(CreatedResponseMixin, RowListMixin, viewsets.ModelViewSet):
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


@USER_TASK_LIST_SCHEMA
class UserTaskListView(CreatedResponseMixin, RowListMixin, generics.ListCreateAPIView):
    """One user's tasks, as in the original design: for that user, and for staff
    with the admin's permissions (view tasks to read the list, add tasks to create
    in it).

    Anybody else gets 404. Same parameters and representation as /api/v1/tasks/. A
    task created here by staff for another user has no Location: its URL answers its
    owner only.
    """

    serializer_class = TaskSerializer
    filterset_class = TaskApiFilter
    pagination_class = TaskPagination

    def get_owner(self) -> User:
        action = CREATE if self.request.method == "POST" else READ
        return owner_visible_to(
            self.request.user, self.kwargs["user_id"], action=action
        )

    def get_queryset(self) -> TaskQuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Task.objects.none()
        return Task.objects.for_user(self.get_owner()).newest_first()

    def perform_create(self, serializer: TaskSerializer) -> None:
        serializer.save(user=self.get_owner())
