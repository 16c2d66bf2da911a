"""One log line per request, and nothing secret in any log."""

import logging
from http import HTTPStatus

import pytest
from django.urls import reverse
from knox.models import AuthToken

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "never log me 1234!"


@pytest.fixture
def logs(caplog):
    """Capture every logger at every level, as the platform would collect stdout."""
    caplog.set_level(logging.DEBUG)
    return caplog


def request_lines(logs) -> list[str]:
    return [
        record.getMessage()
        for record in logs.records
        if record.name == "todoproject.requests"
    ]


def test_login_post_logs_one_line_without_password_or_session_id(client, logs):
    staff = User.objects.create_user("ops@example.com", PASSWORD, is_staff=True)
    url = reverse("accounts:login")

    form = {"login": staff.email, "next": reverse("admin:index")}

    refused = client.post(url, {**form, "password": PASSWORD + "x"})
    response = client.post(url, {**form, "password": PASSWORD})

    assert refused.status_code == HTTPStatus.OK
    assert response.status_code == HTTPStatus.FOUND
    lines = request_lines(logs)
    assert len(lines) == 2
    assert lines[0].startswith("POST /accounts/login/ 200 ")
    assert lines[0].endswith(" user=-")
    assert lines[1].startswith("POST /accounts/login/ 302 ")
    assert lines[1].endswith(f" user={staff.pk}")
    session_id = client.cookies["sessionid"].value
    for secret in (PASSWORD, session_id, client.cookies["csrftoken"].value):
        assert secret not in logs.text


def test_api_call_with_a_token_logs_the_user_but_not_the_token(client, logs, user):
    _, token = AuthToken.objects.create(user=user)

    response = client.get(
        reverse("api:api-root"),
        {"api_key": "query-secret"},
        HTTP_AUTHORIZATION=f"Token {token}",
    )

    assert response.status_code == HTTPStatus.OK
    (line,) = request_lines(logs)
    assert line.startswith("GET /api/v1/ 200 ")
    assert line.endswith(f" user={user.pk}")
    assert token not in logs.text
    assert token[:8] not in logs.text
    assert "query-secret" not in logs.text


@pytest.mark.urls("serving.tests.secret_urls")
def test_secret_parts_of_a_path_are_masked(client, logs):
    client.get("/reset/MQ/cw3j1k-0123456789abcdef0123456789abcdef/")

    (line,) = request_lines(logs)
    assert line.startswith("GET /reset/<uidb64>/<token>/ 200 ")
    assert "0123456789abcdef" not in logs.text


def test_every_response_is_logged_even_errors(client, logs):
    client.get("/no-such-page/")

    (line,) = request_lines(logs)
    assert line.startswith("GET /no-such-page/ 404 ")
