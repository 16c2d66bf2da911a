"""How django-axes counts failed log-ins and answers a client it has locked out.

The three callables are named in settings (`# AUTH`): the account a log-in attempt is
for, the client it came from, and the response once either has failed too often. The
handler counts in the shared cache, and a success clears that account's count only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_client_parameters, get_cool_off, make_cache_key_list
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.models import normalize_email

LOCKOUT_TEMPLATE = "registration/lockout.html"


def client_username(request: HttpRequest, credentials: Mapping | None = None) -> str:
    """Return the normalised email a log-in attempt is for ("" when there is none)."""
    source: Any = credentials
    if not source:
        source = getattr(request, "data", None) or request.POST
    if not isinstance(source, Mapping):
        return ""
    # Django's forms name the field `username`, the API `email`, allauth's `login`.
    value = source.get("username") or source.get("email") or source.get("login") or ""
    return normalize_email(value) if isinstance(value, str) else ""


class AccountResetCacheHandler(AxesCacheHandler):
    """django-axes' cache handler, where a successful log-in clears only the failures
    counted against that account, never those of the client it came from.

    axes' own AXES_RESET_ON_SUCCESS (off in settings) would clear the client's count
    too: one success on the attacker's own account between every few guesses at
    other accounts would then never lock the attacker's address out.
    """

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        username = normalize_email(user.get_username())
        account_only = [
            parameters
            for parameters in get_client_parameters(
                username, "", "", request, {"username": username}
            )
            if set(parameters) == {"username"}
        ]
        for key in make_cache_key_list(account_only):
            self.cache.delete(key)


def client_ip(request: HttpRequest) -> str:
    """Return the client's address, as seen by the outermost trusted proxy."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = request.headers.get("x-forwarded-for", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        # Each trusted proxy appends the address it saw; anything further left was
        # written by the client and cannot be trusted.
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: Mapping | None = None,
) -> HttpResponse:
    """Answer a locked-out log-in with HTTP 429: a page, or JSON under /api/."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    minutes = max(1, math.ceil(seconds / 60))
    message = (
        "Too many failed log-in attempts. For your security, log-in is paused "
        f"for {minutes} minute{'s' if minutes != 1 else ''}; then try again."
    )
    match = getattr(request, "resolver_match", None)
    if match is not None and "api" in match.namespaces:
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request,
            LOCKOUT_TEMPLATE,
            {"message": message, "minutes": minutes},
            status=429,
        )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
