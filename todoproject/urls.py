"""URL configuration: pages, the admin, the API and the health probes."""

from django.contrib import admin
from django.urls import include, path

from tasks.views import home
from todoproject import health

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("tasks/", include("tasks.urls")),
    path("api/v1/", include("todoproject.api_urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# A database outage answers 503 (HTML or JSON) instead of a 500; see errors.py.
handler500 = "todoproject.errors.server_error"
