"""The site's routes plus one route per layer of an API request, for bench/floor/run.py.

Each layer answers the same body, a page of 50 tasks as the API writes it (read once
at start-up), and adds one piece of what `GET /api/v1/users/<id>/tasks/` does:

    /floor/django/   a plain Django view: the whole middleware stack, no DRF
    /floor/drf/      a DRF view with no authentication, permission or rate limit
    /floor/token/    + the API's token authentication and IsAuthenticated
    /floor/limited/  + the API's rate limits: everything but the page's query

The differences between neighbouring layers, measured in one run, say what each costs.
"""

from __future__ import annotations

import functools

import orjson
from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.request import Request
from rest_framework.views import APIView

from tasks.api.serializers import TaskSerializer
from tasks.models import Task
from todoproject.urls import handler429, handler500  # noqa: F401 (the root's)
from todoproject.urls import urlpatterns as site_urlpatterns


@functools.cache
def page_body() -> bytes:
    """The JSON of a page of the 50 newest tasks of the database, as the API lists."""
    tasks = Task.objects.order_by("-created_at", "-id")[:50]
    results = [TaskSerializer(task).data for task in tasks]
    return orjson.dumps(
        {"count": len(results), "next": None, "previous": None, "results": results}
    )


def answer() -> HttpResponse:
    return HttpResponse(page_body(), content_type="application/json")


def plain_django(request: HttpRequest) -> HttpResponse:
    return answer()


class BareDRF(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = []

    def get(self, request: Request) -> HttpResponse:
        return answer()


class TokenOnly(APIView):
    throttle_classes = []

    def get(self, request: Request) -> HttpResponse:
        return answer()


class TokenAndLimits(APIView):
    def get(self, request: Request) -> HttpResponse:
        return answer()


urlpatterns = [
    path("floor/django/", plain_django),
    path("floor/drf/", BareDRF.as_view()),
    path("floor/token/", TokenOnly.as_view()),
    path("floor/limited/", TokenAndLimits.as_view()),
    *site_urlpatterns,
]
