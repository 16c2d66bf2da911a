"""A URL configuration for the API-token panel's tests.

The settings page belongs to the pages (`accounts:settings`); this stand-in renders
only the panel, the way the settings page includes it, so the panel and its views are
tested on their own. Stand-ins for routes that may not exist yet are added only when
accounts.urls lacks them.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import include, path

from accounts import urls as account_urls

PANEL = Template('{% include "accounts/includes/api_tokens.html" %}')


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PANEL.render(RequestContext(request)))


def login_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("log in")


existing = {pattern.name for pattern in account_urls.urlpatterns}
account_patterns = [
    *(p for p in account_urls.urlpatterns if p.name != "settings"),
    path("settings/", settings_page, name="settings"),
    *([] if "login" in existing else [path("login/", login_page, name="login")]),
]

urlpatterns = [
    path("accounts/", include((account_patterns, "accounts"))),
    path("api/v1/", include("todoproject.api_urls")),
]
