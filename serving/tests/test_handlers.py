"""The WSGI application's two middleware stacks (serving.handlers), driven as the
server drives them: a WSGI call to `todoproject.wsgi.application`."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory, override_settings
from django.urls import reverse

from accounts import tokens
from serving.handlers import API_ACCOUNT_PREFIX, uses_api_stack
from tasks.models import Task, TaskEvent
from tasks.tests.factories import TaskFactory
from todoproject.wsgi import application


@dataclass
class Answer:
    status_code: int
    headers: list[tuple[str, str]]
    body: bytes
    sessions_loaded: int = 0
    names: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.names = {name.lower(): value for name, value in self.headers}

    def __getitem__(self, name: str) -> str:
        return self.names[name.lower()]

    def __contains__(self, name: str) -> bool:
        return name.lower() in self.names

    def json(self):
        return json.loads(self.body)


@pytest.fixture
def call(monkeypatch):
    """Call the WSGI application in-process; count the requests that went
    through the site's session middleware."""
    loaded = []
    original = SessionMiddleware.process_request
    monkeypatch.setattr(
        SessionMiddleware,
        "process_request",
        lambda self, request: loaded.append(request) or original(self, request),
    )

    def call(method: str, path: str, data=None, **headers: str) -> Answer:
        body = "" if data is None else json.dumps(data)
        request = RequestFactory().generic(
            method, path, body, content_type="application/json", headers=headers
        )
        started = []
        loaded.clear()
        # As Django's test client: the test's transaction keeps its connection.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
        try:
            chunks = application(
                request.environ,
                lambda status, headers, exc_info=None: started.append(
                    (status, headers)
                ),
            )
            content = b"".join(chunks)
            chunks.close()
        finally:
            for signal in (request_started, request_finished):
                signal.connect(close_old_connections)
        [(status, response_headers)] = started
        answer = Answer(int(status.split()[0]), response_headers, content)
        answer.sessions_loaded = len(loaded)
        return answer

    return call


@pytest.fixture
def token(user) -> str:
    return tokens.create_token(user)[1]


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Token {key}"}


@pytest.mark.parametrize(
    ("path", "authorization", "expected"),
    [
        ("/api/v1/tasks/", "Token 0123abcd", True),
        ("/api/v1/tasks/", "token 0123abcd", True),  # knox: any case
        ("/api/v1/tasks/7/history/", "Token x", True),
        ("/api/v1/tasks/", "", False),
        ("/api/v1/tasks/", "Token ", False),
        ("/api/v1/tasks/", "Basic YW5uOnB3", False),
        ("/api/v1/tasks/", "Tokenless x", False),
        ("/tasks/", "Token 0123abcd", False),
        ("/admin/", "Token 0123abcd", False),
        ("/api/v1/auth/token/", "Token 0123abcd", False),
        ("/api/v1/auth/register/", "Token 0123abcd", False),
    ],
)
def test_which_requests_take_the_apis_stack(path, authorization, expected):
    assert uses_api_stack(path, authorization) is expected


def test_the_account_routes_are_under_their_prefix():
    for name in ("api:register", "api:token", "api:token-all"):
        assert reverse(name).startswith(API_ACCOUNT_PREFIX), name
    for name in ("api:me", "api:task-list"):
        assert not reverse(name).startswith(API_ACCOUNT_PREFIX), name


def test_the_apis_stack_is_the_sites_without_what_only_pages_use():
    assert [
        path
        for path in settings.MIDDLEWARE
        if path not in settings.SITE_ONLY_MIDDLEWARE
    ] == settings.API_MIDDLEWARE
    assert set(settings.MIDDLEWARE) > settings.SITE_ONLY_MIDDLEWARE
    kept = {
        "serving.request_log.RequestLogMiddleware",
        "api.middleware.ApiJSONErrorsMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "corsheaders.middleware.CorsMiddleware",
        "serving.private.PrivateResponsesMiddleware",
        "tasks.history.ActorMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "serving.csp.CSPMiddleware",
        "axes.middleware.AxesMiddleware",
    }
    assert kept <= set(settings.API_MIDDLEWARE)


def test_a_token_request_skips_the_session_and_keeps_every_header(
    call, client, user, token
):
    TaskFactory(user=user, title="Mine")
    page = client.get(reverse("account_login"))

    answer = call("GET", reverse("api:task-list"), **bearer(token))

    assert answer.status_code == 200
    assert [task["title"] for task in answer.json()["results"]] == ["Mine"]
    assert answer.sessions_loaded == 0
    assert "no-store" in answer["Cache-Control"]
    assert "private" in answer["Cache-Control"]
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert answer[header] == page[header], header
    assert "Set-Cookie" not in answer
    assert "Cookie" not in answer.names.get("vary", "")


def test_pages_sessions_and_the_account_routes_keep_the_sites_stack(
    call, user, token, password
):
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True}
    )
    pages = call("GET", reverse("account_login"))
    session_api = call("GET", reverse("api:task-list"))
    log_in = call(
        "POST",
        reverse("api:token"),
        {"email": user.email, "password": password},
        **bearer(token),
    )

    assert (pages.status_code, pages.sessions_loaded) == (200, 1)
    assert (session_api.status_code, session_api.sessions_loaded) == (401, 1)
    assert log_in.sessions_loaded == 1
    assert log_in.status_code == 200, log_in.body
    assert log_in.json()["token"] != token


def test_a_task_created_with_a_token_names_its_actor(call, user, token):
    answer = call(
        "POST", reverse("api:task-list"), {"title": "Buy milk"}, **bearer(token)
    )

    assert answer.status_code == 201, answer.body
    task = Task.objects.get(pk=answer.json()["id"])
    assert answer["Location"].endswith(reverse("api:task-detail", args=[task.pk]))
    assert answer["ETag"]
    [event] = TaskEvent.objects.filter(task_id=task.pk)
    assert event.actor_id == user.pk


def test_a_wrong_token_and_an_unknown_route_answer_json(call, user, token):
    wrong = call("GET", reverse("api:task-list"), **bearer("f" * 64))
    unknown = call("GET", "/api/v1/nothing-here/", **bearer(token))

    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "Invalid token."
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/json"
    assert "detail" in unknown.json()


def test_the_token_decides_whoever_the_session_is(
    call, client, user, other_user, token
):
    TaskFactory(user=user, title="Ann's")
    TaskFactory(user=other_user, title="Bob's")
    client.force_login(other_user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    answer = call("GET", reverse("api:task-list"), cookie=cookie, **bearer(token))

    assert [task["title"] for task in answer.json()["results"]] == ["Ann's"]


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example"])
def test_cors_answers_a_token_request(call, token):
    answer = call(
        "GET", reverse("api:task-list"), origin="https://app.example", **bearer(token)
    )

    assert answer["Access-Control-Allow-Origin"] == "https://app.example"


def test_a_token_request_is_logged_with_its_user(call, user, token, caplog):
    with caplog.at_level(logging.INFO, logger="todoproject.requests"):
        call("GET", reverse("api:task-list"), **bearer(token))

    [record] = [r for r in caplog.records if r.name == "todoproject.requests"]
    assert record.getMessage().startswith("GET /api/v1/tasks/ 200 ")
    assert record.getMessage().endswith(f"user={user.pk}")


def test_the_browsable_api_renders_for_a_token(call, user, token):
    TaskFactory(user=user, title="Mine")

    answer = call("GET", reverse("api:task-list"), accept="text/html", **bearer(token))

    assert answer.status_code == 200, answer.body[:500]
    assert answer["Content-Type"].startswith("text/html")
    assert b"Mine" in answer.body
    assert answer.sessions_loaded == 0
