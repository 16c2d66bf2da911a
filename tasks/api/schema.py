"""The OpenAPI description of the task endpoints (drf-spectacular)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers

from api.schema import error_responses
from tasks.api.serializers import (
    ImportedTaskSerializer,
    ImportResultSerializer,
    TaskEventSerializer,
    TaskSerializer,
    TrashedTaskSerializer,
)
from tasks.imports import MAX_IMPORT_ROWS

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
    description="URL of the new task. Absent when staff create a task in another "
    "user's list: a task's URL answers its owner only.",
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


TASK_VIEWSET_SCHEMA = extend_schema_view(
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

USER_TASK_LIST_SCHEMA = extend_schema_view(get=LIST_SCHEMA, post=create_schema(404))


class ImportDocumentSerializer(serializers.Serializer):
    """The JSON export (its "account" is ignored), as the body of an import."""

    tasks = ImportedTaskSerializer(many=True, max_length=MAX_IMPORT_ROWS)


HISTORY_SCHEMA = extend_schema(
    parameters=[TASK_ID],
    responses={
        200: TaskEventSerializer(many=True),
        **error_responses(400, 401, 404, 429),
    },
)

TRASH_VIEWSET_SCHEMA = extend_schema_view(
    list=extend_schema(
        responses={
            200: TrashedTaskSerializer(many=True),
            **error_responses(400, 401, 404, 429),
        }
    ),
    destroy=extend_schema(
        parameters=[TASK_ID],
        responses={
            204: OpenApiResponse(description="Deleted for good, with its history."),
            **error_responses(401, 403, 404, 429),
        },
    ),
    restore=extend_schema(
        parameters=[TASK_ID, ETAG_HEADER],
        request=None,
        responses={
            200: TaskSerializer,
            **error_responses(401, 403, 404, 429),
        },
    ),
)

IMPORT_SCHEMA = extend_schema_view(
    post=extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            },
            "application/json": ImportDocumentSerializer,
        },
        responses={
            200: ImportResultSerializer,
            **error_responses(400, 401, 403, 413, 415, 429),
        },
    )
)
