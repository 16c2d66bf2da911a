"""The REST API's routes, mounted at /api/v1/ under the namespace "api"."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api import views as account_views
from tasks.api import views as task_views

app_name = "api"

router = DefaultRouter()
router.register("tasks", task_views.TaskViewSet, basename="task")

urlpatterns = [
    path("auth/register/", account_views.RegisterView.as_view(), name="register"),
    path("auth/token/", account_views.TokenView.as_view(), name="token"),
    path("auth/tokens/", account_views.TokenRevokeAllView.as_view(), name="token-all"),
    path("me/", account_views.MeView.as_view(), name="me"),
    path(
        "users/<int:user_id>/tasks/",
        task_views.UserTaskListView.as_view(),
        name="user-tasks",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    *router.urls,
]
