"""The tasks resource of the API: a user's tasks, with ETags and If-Match."""

from __future__ import annotations

from django.db import router, transaction
from django.urls import reverse
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from api.compiled import CompiledQuery, Parameter
from api.exceptions import PreconditionFailed
from api.parsers import JSONParser
from tasks import imports, trash
from tasks.api.etags import etag_matches, etag_of
from tasks.api.filters import TaskApiFilter
from tasks.api.pagination import TaskPagination
from tasks.api.permissions import CREATE, READ, owner_visible_to
from tasks.api.schema import (
    HISTORY_SCHEMA,
    IMPORT_SCHEMA,
    TASK_VIEWSET_SCHEMA,
    TRASH_VIEWSET_SCHEMA,
    USER_TASK_LIST_SCHEMA,
)
from tasks.api.serializers import (
    ImportResultSerializer,
    TaskEventSerializer,
    TaskSerializer,
    TrashedTaskSerializer,
    with_tag_names,
)
from tasks.models import Task, TaskEvent, TaskQuerySet, TrashedTask, TrashedTaskQuerySet

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


class OwnerTaskRows:
    """An owner's tasks newest first, each as its representation read by PostgreSQL
    (TaskSerializer.database_representation()): the unfiltered list, paged.

    The statement is compiled once per thread (api.compiled) and reads only the
    rows of the page; the count, when the paginator needs it, is the ORM's.
    """

    #: The paginator's check for a stable order: newest first, ties by id.
    ordered = True

    statement = CompiledQuery(
        lambda: (
            Task.objects.for_user(Parameter("owner"))
            .newest_first()
            .values_list(*TaskSerializer.database_representation().values())
        )
    )

    def __init__(self, owner: User, using: str) -> None:
        self.owner = owner
        self.using = using

    def count(self) -> int:
        return Task.objects.using(self.using).for_user(self.owner).count()

    def __getitem__(self, window: slice) -> list[dict]:
        offset = window.start or 0
        rows = self.statement.rows(
            self.using, limit=window.stop - offset, offset=offset, owner=self.owner.pk
        )
        keys = TaskSerializer.database_representation().keys()
        return [dict(zip(keys, row, strict=True)) for row in rows]


class RowListMixin:
    """List tasks without building a model instance per task (up to 200 a page).

    On PostgreSQL the page's query reads each task as its representation, tags
    included (TaskSerializer.database_representation()): nothing is converted in
    Python; without filters it is a statement compiled once (OwnerTaskRows).
    Elsewhere the tasks are read as `values()` rows, with their tags in one more
    query, and represented by TaskSerializer.
    """

    def list_owner(self) -> User:
        """The user whose tasks the list shows (after the view's access checks)."""
        raise NotImplementedError

    def filter_queryset(self, queryset: TaskQuerySet) -> TaskQuerySet:
        if not TaskApiFilter.is_used_by(self.request.query_params):
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request: Request, *args, **kwargs) -> Response:
        using = router.db_for_read(Task)
        if not TaskSerializer.represented_by_database(using):
            queryset = self.filter_queryset(self.get_queryset())
            page = self.paginate_queryset(
                queryset.values_with_tag_names(*TaskSerializer.ROW_FIELDS)
            )
            page = with_tag_names(page) if page else page
            return self.get_paginated_response(
                self.get_serializer(page, many=True).data
            )
        if not TaskApiFilter.is_used_by(request.query_params):
            page = self.paginate_queryset(OwnerTaskRows(self.list_owner(), using))
            return self.get_paginated_response(page)
        representation = TaskSerializer.database_representation()
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values_list(*representation.values()))
        return self.get_paginated_response(
            [dict(zip(representation, row, strict=True)) for row in page]
        )


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
        if self.action != "list":
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

    def list_owner(self) -> User:
        return self.request.user

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

    def perform_destroy(self, task: Task) -> None:
        trash.move_to_trash(tasks=Task.objects.filter(pk=task.pk), by=self.request.user)

    @HISTORY_SCHEMA
    @action(
        detail=True,
        methods=["get"],
        serializer_class=TaskEventSerializer,
        filterset_class=None,
    )
    def history(self, request: Request, *args, **kwargs) -> Response:
        """The changes to the task, newest first (paginated)."""
        task = self.get_object()
        page = self.paginate_queryset(TaskEvent.objects.for_task(task.pk))
        return self.get_paginated_response(TaskEventSerializer(page, many=True).data)


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

    def list_owner(self) -> User:
        return self.get_owner()

    def perform_create(self, serializer: TaskSerializer) -> None:
        serializer.save(user=self.get_owner())


@TRASH_VIEWSET_SCHEMA
class TrashViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's deleted tasks, most recently deleted first.

    Restore one to bring it back with the same id and fields; delete one to remove it
    (and its history) for good. Tasks stay here for 30 days.
    """

    serializer_class = TrashedTaskSerializer
    pagination_class = TaskPagination

    def get_queryset(self) -> TrashedTaskQuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return TrashedTask.objects.none()
        return TrashedTask.objects.for_user(self.request.user).newest_first()

    def perform_destroy(self, trashed: TrashedTask) -> None:
        trash.delete_forever(trashed=TrashedTask.objects.filter(pk=trashed.pk))

    @action(detail=True, methods=["post"], serializer_class=TaskSerializer)
    def restore(self, request: Request, *args, **kwargs) -> Response:
        """Bring the task back where it was: same id, every field as it was."""
        trashed = self.get_object()
        [task] = trash.restore(trashed=TrashedTask.objects.filter(pk=trashed.pk))
        data = TaskSerializer(task).data
        return Response(data, headers={"ETag": etag_of(data)})


@IMPORT_SCHEMA
class ImportView(APIView):
    """Read back an export (JSON or CSV) as the caller's tasks: all rows or none.

    Send the file as multipart form data in the field `file`, or the export's JSON as
    the body. Rows equal to one of the caller's tasks (same title and creation time)
    are skipped, so importing a file twice creates nothing the second time.
    """

    # The one API route that takes uploads.
    parser_classes = [JSONParser, MultiPartParser]

    def post(self, request: Request) -> Response:
        try:
            rows = self._rows(request)
            result = imports.import_tasks(user=request.user, rows=rows)
        except imports.ImportFailed as failure:
            raise ValidationError({"file": failure.messages}) from failure
        return Response(
            ImportResultSerializer(
                {"created": result.created, "skipped": result.skipped}
            ).data
        )

    def _rows(self, request: Request) -> list:
        if request.content_type.startswith("multipart/"):
            upload = request.FILES.get("file")
            if upload is None:
                raise imports.ImportFailed(["No file was submitted."])
            if upload.size > imports.MAX_IMPORT_BYTES:
                raise imports.ImportFailed([imports.too_large_message()])
            return imports.read_file(upload.read())
        return imports.rows_of_document(request.data)
