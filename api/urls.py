"""The REST API's routes, mounted at /api/v1/ under the namespace "api".

Each app declares its own endpoints; they are included here by dotted path, so this
package, which the apps build on, imports none of them.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("tasks.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]
