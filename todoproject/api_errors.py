"""JSON in and out of /api/: the body parser, and JSON bodies for every error.

DRF renders the errors its views raise (400, 401, 404, 405, 412, 415, 429) through
`exception_handler`. What Django answers by itself under /api/ (a URL no route matches,
an unexpected exception, a request refused by a middleware) gets a JSON body from
`ApiJSONErrorsMiddleware`, so a client never has to parse an HTML error page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response

API_PATH_PREFIX = "/api/"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource has changed since you read it (If-Match)."
    default_code = "precondition_failed"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what it would let through to a 500.

    Nesting deep enough to exhaust the recursion limit, and strings with lone
    surrogates ("\\ud800"), which no database can store as UTF-8, are 400s. (Bodies
    over DATA_UPLOAD_MAX_MEMORY_SIZE never get here: see exception_handler.)
    """

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError as exc:
            raise exceptions.ParseError(
                "JSON parse error - nested too deeply."
            ) from exc
        except UnicodeEncodeError as exc:
            raise exceptions.ParseError(
                "JSON parse error - strings must be valid Unicode text."
            ) from exc
        return data


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Render DRF's errors as JSON: field errors as an object, 429 with Retry-After.

    A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413. Anything DRF does not know is
    left to Django (logged, then a JSON 500 from the middleware below).
    """
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES, i.e. this
    # module, which the middleware setting may be importing first.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, RequestDataTooBig):  # raised by Django as DRF reads the body
        exc = RequestTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        wait = getattr(exc, "wait", None)
        response["Retry-After"] = str(max(1, math.ceil(wait or 1)))
    return response


def json_error(status_code: int, headers: dict[str, str] | None = None) -> JsonResponse:
    """Return a JSON error response {"detail": ...} for `status_code`."""
    try:
        phrase = HTTPStatus(status_code).phrase
    except ValueError:
        phrase = "Error"
    response = JsonResponse({"detail": f"{phrase}."}, status=status_code)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class ApiJSONErrorsMiddleware:
    """Give the errors Django renders itself under /api/ a JSON body."""

    #: Headers of the original error response worth keeping.
    KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path_info.startswith(API_PATH_PREFIX)
            # DRF's own responses are already rendered for what the client accepts
            # (JSON, or HTML for the browsable API).
            and not isinstance(response, Response)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            kept = {h: response[h] for h in self.KEPT_HEADERS if response.has_header(h)}
            return json_error(response.status_code, kept)
        return response
