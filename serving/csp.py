"""The Content-Security-Policy header of every response, built once per process.

django-csp builds the policy from the settings anew for every response (twice: the
policy and the report-only one), although nothing here changes it per response: no
view is decorated and no template asks for a nonce. `CSPMiddleware` gives such a
response the header django-csp's `build_policy()` wrote from the settings the first
time, and hands every other response (a decorated view, a nonce used, DEBUG's error
pages, URL prefixes excluded in the settings) to django-csp unchanged.
"""

from __future__ import annotations

import functools
from typing import Any

from csp import middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

#: What django-csp's decorators set on a response to change its policy.
RESPONSE_POLICY_ATTRIBUTES = tuple(
    f"_csp_{part}{suffix}"
    for part in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)

#: The settings the policies are built from.
POLICY_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


@functools.cache
def site_policies() -> tuple[tuple[str, str], ...]:
    """The headers of a response whose policy nothing changed, as django-csp builds
    them from the settings: (header, policy) for each policy that is not empty."""
    policies = (
        (HEADER, build_policy()),
        (HEADER_REPORT_ONLY, build_policy(report_only=True)),
    )
    return tuple((header, policy) for header, policy in policies if policy)


def uses_site_policies(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether `response` gets exactly `site_policies()`: django-csp would build
    them for it, unchanged by a decorator, a nonce, DEBUG or an excluded prefix."""
    if settings.DEBUG or getattr(request, "_csp_nonce", None) is not None:
        return False
    if any(hasattr(response, name) for name in RESPONSE_POLICY_ATTRIBUTES):
        return False
    return not any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in POLICY_SETTINGS
    )


class CSPMiddleware(middleware.CSPMiddleware):
    """django-csp's middleware, with the site's policy built once per process."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not uses_site_policies(request, response):
            return super().process_response(request, response)
        for header, policy in site_policies():
            if header not in response:
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = middleware.CheckableLazyObject(
            self._csp_nonce_post_response
        )
        return response


@receiver(setting_changed)
def forget_site_policies(*, setting: str, **kwargs: Any) -> None:
    """Build the policies anew when a test changes the settings they come from."""
    if setting in POLICY_SETTINGS:
        site_policies.cache_clear()
