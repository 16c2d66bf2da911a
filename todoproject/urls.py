"""URL configuration: the landing page and probes, pages, the admin and the API.

Configuration only: every app's routes are included by dotted path.
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # First: Django tries the patterns in order, so an API request is not matched
    # against every page pattern before its own (bench/RESULTS.md, round 7).
    path("api/v1/", include("api.urls")),
    path("", include("serving.urls")),
    path("accounts/", include("accounts.urls")),
    # allauth: sign-up, log-in, email, passwords, two-factor (/accounts/2fa/).
    path("accounts/", include("allauth.urls")),
    path("tasks/", include("tasks.urls")),
    path("calendar/", include("tasks.calendar_urls")),
    path("admin/", admin.site.urls),
]

# A database outage answers 503 (HTML or JSON) instead of a 500.
handler500 = "serving.error_pages.server_error"
# allauth's answer to too many sign-ups, log-ins or reset requests from one client.
handler429 = "accounts.views.rate_limited"
