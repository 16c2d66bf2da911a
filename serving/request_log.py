"""Request logging: one line per request on stdout."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("todoproject.requests")

#: URL parameters that carry a secret (password-reset links); logged as their name.
SECRET_URL_KWARGS = frozenset({"token", "uidb64", "key"})


def loggable_path(request: HttpRequest) -> str:
    """Return the request's path with secret URL parameters replaced by their name."""
    path = request.path
    match = request.resolver_match
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_URL_KWARGS and value:
                path = path.replace(str(value), f"<{name}>")
    return path


class RequestLogMiddleware:
    """Log method, path, status, duration and user id of every request.

    The one request log of the project (gunicorn's access log is off). Only the path is
    logged, never the query string, headers, cookies or body, and secret URL parameters
    are masked, so passwords, tokens and session ids cannot reach the logs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        user = getattr(request, "user", None)
        # request.user is lazy: only log it if the request already loaded it. Loading it
        # here would read the session from the database on every request, /healthz
        # included, and fail or wait again while the database is unreachable.
        if getattr(user, "_wrapped", None) is empty:
            user = None
        user_id = user.pk if user is not None and user.is_authenticated else "-"
        logger.info(
            "%s %s %s %.1fms user=%s",
            request.method,
            loggable_path(request),
            response.status_code,
            duration_ms,
            user_id,
        )
        return response
