from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("new/", views.TaskCreateView.as_view(), name="create"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.TaskUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.TaskDeleteView.as_view(), name="delete"),
    path("<int:pk>/status/", views.set_status, name="set_status"),
    path("trash/", views.TrashView.as_view(), name="trash"),
    path("trash/<int:pk>/restore/", views.restore, name="restore"),
    path("trash/<int:pk>/delete/", views.delete_forever, name="delete_forever"),
    path("export.json", views.export_json, name="export_json"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("import/", views.ImportView.as_view(), name="import"),
]
