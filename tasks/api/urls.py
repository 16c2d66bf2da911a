"""The task endpoints of the API (included by api.urls, namespace "api")."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from serving.uploads import accepts_uploads
from tasks.api import views

router = DefaultRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("trash", views.TrashViewSet, basename="trash")

urlpatterns = [
    path(
        "users/<int:user_id>/tasks/",
        views.UserTaskListView.as_view(),
        name="user-tasks",
    ),
    path("import/", accepts_uploads(views.ImportView.as_view()), name="import"),
    *router.urls,
]
