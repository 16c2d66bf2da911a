"""In-process check of the 503 answers, on any database (the gunicorn tests need PG).

The database "goes away" by making every new cursor fail as a refused connection does.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]


@pytest.fixture
def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def database_down(monkeypatch):
    def refuse() -> None:
        raise OperationalError("connection refused (the test's outage)")

    monkeypatch.setattr(connection, "ensure_connection", refuse)


def test_a_page_answers_a_friendly_503(signed_in, database_down):
    response = signed_in.get(reverse("tasks:list"))

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"]
    assert b"Back in a moment" in response.content
    assert b"Traceback" not in response.content


def test_the_api_answers_json_503(signed_in, database_down):
    response = signed_in.get(reverse("api:task-list"))

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"]
    assert "temporarily unavailable" in response.json()["detail"]


def test_liveness_with_a_session_cookie_does_not_touch_the_database(
    signed_in, database_down
):
    assert signed_in.get(reverse("healthz")).status_code == HTTPStatus.OK
    assert signed_in.get(reverse("readyz")).status_code == (
        HTTPStatus.SERVICE_UNAVAILABLE
    )


def test_other_server_errors_stay_500(signed_in, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr("tasks.views.TaskListView.get_queryset", broken)

    response = signed_in.get(reverse("tasks:list"))

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
