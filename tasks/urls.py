from django.urls import path

from serving.uploads import accepts_uploads
from tasks import preference_views, tag_views, views

app_name = "tasks"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("new/", views.TaskCreateView.as_view(), name="create"),
    path("add/", views.TaskQuickAddView.as_view(), name="quick_add"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.TaskUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.TaskDeleteView.as_view(), name="delete"),
    path("<int:pk>/status/", views.set_status, name="set_status"),
    path("trash/", views.TrashView.as_view(), name="trash"),
    path("trash/<int:pk>/restore/", views.restore, name="restore"),
    path("trash/<int:pk>/delete/", views.delete_forever, name="delete_forever"),
    path("export.json", views.export_json, name="export_json"),
    path("export.csv", views.export_csv, name="export_csv"),
    path(
        "preferences/",
        preference_views.PreferencesUpdateView.as_view(),
        name="preferences",
    ),
    path(
        "calendar/regenerate/",
        preference_views.regenerate_calendar,
        name="calendar_regenerate",
    ),
    path("calendar/stop/", preference_views.stop_calendar, name="calendar_stop"),
    path(
        "digest/unsubscribe/<str:token>/",
        preference_views.unsubscribe,
        name="unsubscribe",
    ),
    path("tags/", tag_views.TagListView.as_view(), name="tags"),
    path("tags/<int:pk>/edit/", tag_views.TagUpdateView.as_view(), name="tag_update"),
    path("tags/<int:pk>/delete/", tag_views.TagDeleteView.as_view(), name="tag_delete"),
    path("import/", accepts_uploads(views.ImportView.as_view()), name="import"),
]
