"""The WSGI application: two middleware stacks, the site's and the API's.

A request to the API that carries a token (`Authorization: Token …`) is
authenticated by that token and nothing else: DRF tries token authentication first,
and a token that is not valid is a 401, never a fall back to the session. Such a
request has no use for what the site's pages need on every request (the session,
CSRF, the session's user, messages, htmx, allauth's session tracking, static files),
so it goes through `settings.API_MIDDLEWARE`, the site's stack without those
(`settings.SITE_ONLY_MIDDLEWARE`). Everything else, the API's account routes
included (registration and log-in run allauth's and django-axes's flows), goes
through `settings.MIDDLEWARE`.

The request log, JSON errors, security headers, CORS, private caching, the history
actor, the CSP and django-axes are in both stacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from knox.settings import knox_settings

from serving.error_pages import API_PATH_PREFIX

#: Under the API, the account routes (register, log in for a token, revoke tokens):
#: always the site's stack.
API_ACCOUNT_PREFIX = f"{API_PATH_PREFIX}v1/auth/"


def uses_api_stack(path_info: str, authorization: str) -> bool:
    """Whether a request for `path_info` with this Authorization header goes
    through the API's middleware (see the module's docstring)."""
    scheme, _, credentials = authorization.partition(" ")
    return (
        path_info.startswith(API_PATH_PREFIX)
        and not path_info.startswith(API_ACCOUNT_PREFIX)
        and scheme.lower() == knox_settings.AUTH_HEADER_PREFIX.lower()
        and bool(credentials.strip())
    )


@contextmanager
def middleware_setting(paths: list[str]):
    """Make `settings.MIDDLEWARE` read `paths` for the time of the block.

    Django's handlers load their middleware from that setting; the API's handler
    loads it from API_MIDDLEWARE instead. Only while a handler is made (at import,
    before any request).
    """
    site = settings.MIDDLEWARE
    settings.MIDDLEWARE = paths
    try:
        yield
    finally:
        settings.MIDDLEWARE = site


class ApiWSGIHandler(WSGIHandler):
    """Django's WSGI handler with `settings.API_MIDDLEWARE` for its middleware."""

    def load_middleware(self, is_async: bool = False) -> None:
        with middleware_setting(settings.API_MIDDLEWARE):
            super().load_middleware(is_async)


class SiteApplication:
    """The WSGI application: each request to the stack it needs."""

    def __init__(self) -> None:
        self.site = WSGIHandler()
        self.api = ApiWSGIHandler()

    def handler_for(self, environ: dict[str, Any]) -> WSGIHandler:
        if uses_api_stack(
            environ.get("PATH_INFO", ""), environ.get("HTTP_AUTHORIZATION", "")
        ):
            return self.api
        return self.site

    def __call__(
        self, environ: dict[str, Any], start_response: Callable
    ) -> Iterable[bytes]:
        return self.handler_for(environ)(environ, start_response)
