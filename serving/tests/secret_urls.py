"""A route shaped like a password-reset link, for the request-log tests."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [
    path(
        "reset/<uidb64>/<token>/",
        lambda request, uidb64, token: HttpResponse("ok"),
        name="reset",
    ),
]
