"""What every response carries, whoever asks: no caching of private responses, the
security headers on API errors, and no file uploads where none are taken (issue 13)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from knox.models import AuthToken

from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_private(response) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, response.get("Cache-Control")


# Cache-Control: no-store, private ----------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "tasks:list",
        "tasks:create",
        "tasks:export_json",
        "tasks:export_csv",
        "accounts:settings",
        "accounts:password_change",
    ],
)
def test_pages_and_exports_of_a_signed_in_user_are_not_cached(client_logged_in, name):
    response = client_logged_in.get(reverse(name))

    assert response.status_code == HTTPStatus.OK
    assert_private(response)


def test_the_task_page_and_the_page_showing_a_new_token_are_not_cached(
    client_logged_in, user
):
    task = TaskFactory(user=user)
    detail = client_logged_in.get(reverse("tasks:detail", args=[task.pk]))
    client_logged_in.post(reverse("accounts:token_create"))

    shown_once = client_logged_in.get(reverse("accounts:settings"))

    assert "api-token-secret" in shown_once.content.decode()
    assert_private(shown_once)
    assert_private(detail)


@pytest.mark.parametrize("path", ["api:task-list", "api:me"])
def test_api_responses_to_a_token_or_a_session_are_not_cached(
    client, client_logged_in, user, path
):
    _, key = AuthToken.objects.create(user=user)

    by_token = client.get(reverse(path), HTTP_AUTHORIZATION=f"Token {key}")
    by_session = client_logged_in.get(reverse(path))
    missing = client.get("/api/v1/nothing-here/", HTTP_AUTHORIZATION=f"Token {key}")

    assert (by_token.status_code, by_session.status_code) == (HTTPStatus.OK,) * 2
    assert_private(by_token)
    assert_private(by_session)
    assert_private(missing)


def test_public_responses_stay_cacheable(client):
    response = client.get(reverse("home"))

    assert response.status_code == HTTPStatus.OK
    assert "no-store" not in response.get("Cache-Control", "")


# Security headers on the API's JSON errors --------------------------------------------


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("get", "/api/v1/nothing-here/", HTTPStatus.NOT_FOUND),
        ("post", "/api/v1/nothing-here/", HTTPStatus.NOT_FOUND),
        ("get", "/api/v1/tasks/1/", HTTPStatus.UNAUTHORIZED),
    ],
)
def test_api_errors_carry_the_same_security_headers_as_pages(
    client, method, path, status
):
    page = client.get("/no-such-page/")
    response = getattr(client, method)(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    for name, value in SECURITY_HEADERS.items():
        assert response.get(name) == value == page.get(name), name
    assert response["Content-Security-Policy"] == page["Content-Security-Policy"]


# Multipart bodies only where files are taken ---------------------------------------


def test_a_page_without_uploads_refuses_a_large_multipart_body_unread(
    client_logged_in,
):
    upload = SimpleUploadedFile("big.bin", b"\0" * (3 * 1024 * 1024))

    response = client_logged_in.post(
        reverse("tasks:create"),
        {"title": "smuggled", "status": "pending", "file": upload},
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert not Task.objects.exists()


def test_log_in_and_the_api_refuse_a_large_multipart_body_too(client):
    def upload():
        return SimpleUploadedFile("big.bin", b"\0" * (3 * 1024 * 1024))

    login = client.post(
        reverse("accounts:login"), {"username": "a@example.com", "file": upload()}
    )
    api = client.post(reverse("api:register"), {"email": "a@b.c", "file": upload()})

    assert login.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert api.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert api["Content-Type"] == "application/json"


@pytest.mark.urls("serving.tests.upload_urls")
def test_files_reach_only_views_that_take_them(client):
    def send(name):
        upload = SimpleUploadedFile("note.txt", b"hello")
        return client.post(reverse(name), {"title": "kept", "file": upload}).json()

    assert send("upload") == {"files": ["file"], "fields": ["title"]}
    # Elsewhere the form fields arrive and the file is dropped unstored.
    assert send("no_upload") == {"files": [], "fields": ["title"]}


def test_a_small_multipart_form_without_files_still_works(client_logged_in):
    response = client_logged_in.post(
        reverse("tasks:create"), {"title": "fine", "status": "pending"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Task.objects.get().title == "fine"
