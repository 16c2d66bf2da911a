"""The API's own errors, and how DRF renders every error: JSON, 429 with Retry-After.

DRF renders the errors its views raise (400, 401, 404, 405, 412, 415, 429) through
`exception_handler`. What Django answers by itself under /api/ gets its JSON body from
`api.middleware.ApiJSONErrorsMiddleware`.
"""

from __future__ import annotations

import math

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api.throttling import meter_refused

#: What DRF raises from authentication and permission checks, before throttling.
REFUSED_BEFORE_THROTTLES = (
    exceptions.NotAuthenticated,
    exceptions.AuthenticationFailed,
    exceptions.PermissionDenied,
)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource has changed since you read it (If-Match)."
    default_code = "precondition_failed"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Render DRF's errors as JSON: field errors as an object, 429 with Retry-After.

    A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413. Anything DRF does not know is
    left to Django (logged, then a JSON 500 from the middleware below).
    """
    if isinstance(exc, RequestDataTooBig):  # raised by Django as DRF reads the body
        exc = RequestTooLarge()
    if isinstance(exc, REFUSED_BEFORE_THROTTLES):
        # Refused before DRF's throttles ran: counted against the client all the same,
        # so guessing tokens or probing without one is rate-limited too.
        wait = meter_refused(context["request"], context.get("view"))
        if wait is not None:
            exc = exceptions.Throttled(wait)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        wait = getattr(exc, "wait", None)
        response["Retry-After"] = str(max(1, math.ceil(wait or 1)))
    return response
