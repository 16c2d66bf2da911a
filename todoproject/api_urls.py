"""The REST API's routes, mounted at /api/v1/ under the namespace "api"."""

from rest_framework.routers import DefaultRouter

app_name = "api"

router = DefaultRouter()

urlpatterns = [*router.urls]
