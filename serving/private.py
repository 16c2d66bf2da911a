"""Responses for a signed-in user are private: no shared or browser cache keeps them.

Task lists, exports, the settings page that shows a new API token once, every API
response to a token or session: `Cache-Control: no-store, private` on all of them, so
neither a proxy nor the browser's back button or disk cache hands them to someone else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import empty


def is_signed_in(request: HttpRequest) -> bool:
    """Return True if the request was answered for a signed-in user.

    Without loading anything new: a user the request never looked at was not shown
    anything of theirs (probes and static files stay cacheable and query-free).
    """
    user = getattr(request, "user", None)
    # Loaded by the view, or set by the API's token authentication.
    loaded = user is not None and getattr(user, "_wrapped", None) is not empty
    if loaded and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.accessed and SESSION_KEY in session)


class PrivateResponsesMiddleware:
    """Mark every response to a signed-in user `Cache-Control: no-store, private`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_signed_in(request):
            patch_cache_control(response, no_store=True, private=True)
        return response
