"""Request logging: one line per request on stdout."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("todoproject.requests")


class RequestLogMiddleware:
    """Log method, path, status, duration and user id of every request.

    Only the path is logged, never the query string, headers or body, so passwords,
    tokens and session ids cannot reach the logs.
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
            request.path,
            response.status_code,
            duration_ms,
            user_id,
        )
        return response
