"""The server-error handler: a friendly 503 while the database cannot be reached.

Django calls ``handler500`` for any exception that escapes a view or a middleware, from
inside the ``except`` block that caught it, so the exception is at hand. A lost or
refused database connection is an outage, not a bug: the client is told to come back
shortly (503 with Retry-After), as HTML on the pages and JSON on the API, and neither
response touches the database again.
"""

from __future__ import annotations

import sys
from http import HTTPStatus

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

#: Where the REST API lives: its errors are JSON, never an HTML page.
API_PATH_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 10


def is_api_request(request: HttpRequest) -> bool:
    """Return True if `request` is for the REST API (which answers in JSON)."""
    return request.path_info.startswith(API_PATH_PREFIX)


def database_unavailable() -> bool:
    """Return True if the exception being handled says the database is unreachable."""
    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer 503 when the database is unreachable, else Django's 500."""
    if database_unavailable():
        if is_api_request(request):
            response = JsonResponse(
                {"detail": "The service is temporarily unavailable. Try again soon."},
                status=HTTPStatus.SERVICE_UNAVAILABLE,
            )
        else:
            # Rendered without the request: no context processor may query the database.
            response = HttpResponse(
                loader.render_to_string("503.html"),
                status=HTTPStatus.SERVICE_UNAVAILABLE,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    # Any other error: Django's 500 (api.middleware makes it JSON under /api/).
    return django_server_error(request)
