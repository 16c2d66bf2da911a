"""Task API: errors are JSON, with the status codes of SPEC §5, never a 500."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

from tasks.api.views import TaskViewSet
from tasks.models import Task
from tasks.tests.api.helpers import LIST_URL

pytestmark = pytest.mark.django_db


# Errors are JSON ----------------------------------------------------------------------


def test_unauthenticated_is_401_with_www_authenticate(api_client):
    response = api_client.get(LIST_URL)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "detail": "Authentication credentials were not provided."
    }


def test_an_invalid_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get(LIST_URL)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"detail": "Invalid token."}


def test_a_session_write_without_csrf_token_is_403(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    read = client.get(LIST_URL)
    write = client.post(LIST_URL, {"title": "t"}, format="json")

    assert read.status_code == HTTPStatus.OK
    assert write.status_code == HTTPStatus.FORBIDDEN
    assert "CSRF" in write.json()["detail"]
    assert not Task.objects.exists()


def test_unsupported_method_is_405_json_with_allow(api_client_logged_in):
    response = api_client_logged_in.delete(LIST_URL)

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tasks/99999999999999999999/",
        "/api/v1/tasks/2147483648/",
        "/api/v1/tasks/abc/",
        "/api/v1/users/99999999999999999999/tasks/",
        "/api/v1/no-such-endpoint/",
        "/api/nothing-here",
    ],
)
def test_unknown_urls_under_api_are_404_json(api_client_logged_in, path):
    response = api_client_logged_in.get(path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_an_unexpected_error_is_a_json_500(api_client_logged_in, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(TaskViewSet, "list", explode)
    api_client_logged_in.raise_request_exception = False

    response = api_client_logged_in.get(LIST_URL)

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.json() == {"detail": "Internal Server Error."}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "expected"),
    [
        ("post", LIST_URL, {"content_type": "application/json; charset=nope"}, 400),
        ("post", LIST_URL, {"content_type": "application/json; charset=utf-16"}, 400),
        ("post", LIST_URL, {"content_type": "text/plain"}, 415),
        ("get", LIST_URL, {"HTTP_ACCEPT": "text/csv"}, 406),
        ("get", LIST_URL, {"QUERY_STRING": "status=%00&page=%ff"}, 400),
        ("get", LIST_URL, {"QUERY_STRING": "ordering=%ED%A0%80"}, 400),
        ("get", "/api/v1/tasks/%ED%A0%80/", {}, 404),
        ("get", "/api/v1/tasks/1%00/", {}, 404),
        (
            "patch",
            "/api/v1/tasks/1/",
            {"HTTP_IF_MATCH": '"\x00", W/', "content_type": "application/json"},
            404,
        ),
    ],
)
def test_odd_requests_get_a_json_4xx_never_a_500(
    api_client_logged_in, method, path, kwargs, expected
):
    kwargs.setdefault("data", b"\xff\xfe{")
    if method == "get":
        kwargs.pop("data")

    response = getattr(api_client_logged_in, method)(path, **kwargs)

    assert response.status_code == expected
    if expected != HTTPStatus.NOT_ACCEPTABLE:
        assert "detail" in response.json() or response.json()


def test_pages_keep_their_html_errors(client):
    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not response["Content-Type"].startswith("application/json")
