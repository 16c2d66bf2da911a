"""The error responses of the API, for the OpenAPI schema (drf-spectacular)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


#: 400: one list of messages per field (or "non_field_errors"); a body that is not
#: JSON at all gets {"detail": "..."}.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}},
        ]
    },
}

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        VALIDATION_ERROR_SCHEMA, description="Invalid input: messages per field."
    ),
    401: OpenApiResponse(
        ErrorSerializer,
        description="No valid credentials (see the WWW-Authenticate header).",
    ),
    403: OpenApiResponse(
        ErrorSerializer, description="Refused (a session request without CSRF token)."
    ),
    404: OpenApiResponse(
        ErrorSerializer, description="Not found, or not visible to the caller."
    ),
    412: OpenApiResponse(
        ErrorSerializer,
        description="If-Match does not match the current ETag: read it again.",
    ),
    413: OpenApiResponse(ErrorSerializer, description="The body is too large."),
    415: OpenApiResponse(ErrorSerializer, description="The body is not JSON."),
    429: OpenApiResponse(
        ErrorSerializer, description="Too many requests: wait Retry-After seconds."
    ),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the schema's error responses for `codes`."""
    return {code: ERRORS[code] for code in codes}


def blank_text_any_of(result: dict, **kwargs) -> dict:
    """Turn drf-spectacular's `oneOf: [text, {maxLength: 0}]` into `anyOf`.

    It adds the empty-string branch to every blank-allowed text field that has a
    pattern; ours (no NUL) already accepts "", which then matched both branches and so
    was invalid under `oneOf`, although the server accepts it (a postprocessing hook).
    """

    def visit(node):
        if isinstance(node, dict):
            branches = node.get("oneOf")
            if (
                isinstance(branches, list)
                and len(branches) == 2
                and branches[1] == {"type": "string", "maxLength": 0}
            ):
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result
