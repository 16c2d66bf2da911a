"""JSON bodies for the errors Django renders itself under /api/.

A URL no route matches, an unexpected exception, a request refused by a middleware:
a client of the API never has to parse an HTML error page.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.response import Response

from serving.error_pages import is_api_request


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

    #: Headers of the original response that describe its HTML body. Every other one
    #: is kept: Allow, Retry-After, WWW-Authenticate, Vary, and the security headers
    #: (CSP, X-Frame-Options, nosniff, Referrer-Policy, COOP, Cache-Control) that the
    #: middleware inside this one gave it.
    BODY_HEADERS = frozenset(
        {"content-type", "content-length", "content-language", "content-disposition"}
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_request(request)
            # DRF's own responses are already rendered for what the client accepts
            # (JSON, or HTML for the browsable API).
            and not isinstance(response, Response)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            kept = {
                name: value
                for name, value in response.items()
                if name.lower() not in self.BODY_HEADERS
            }
            json_response = json_error(response.status_code, kept)
            json_response.cookies = response.cookies
            return json_response
        return response
