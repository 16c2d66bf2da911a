"""A route that takes files and one that does not, for the upload tests."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from serving.uploads import accepts_uploads


def files_received(request):
    return JsonResponse(
        {"files": sorted(request.FILES), "fields": sorted(request.POST)}
    )


urlpatterns = [
    path("upload/", accepts_uploads(csrf_exempt(files_received)), name="upload"),
    path("no-upload/", csrf_exempt(files_received), name="no_upload"),
]
