"""The account pages: sign-up, log-in and out, passwords, settings, export, deletion."""

import csv
import io
import json
import re
from http import HTTPStatus

import bcrypt
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.template.loader import render_to_string
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from accounts.models import User
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

REAL_HASHERS = django_settings.PASSWORD_HASHERS
NEW_PASSWORD = "a much longer new passphrase"


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


# Landing page -------------------------------------------------------------------------


def test_landing_page_invites_visitors_to_sign_up(client):
    response = client.get(reverse("home"))

    assertContains(response, "<h1>Your tasks, sorted.</h1>", html=True)
    assertContains(response, reverse("accounts:signup"))


def test_landing_page_sends_signed_in_users_to_their_tasks(client_logged_in):
    response = client_logged_in.get(reverse("home"))

    assertRedirects(response, reverse("tasks:list"))


# Sign-up, verification, log-in, passwords: allauth's pages (see test_allauth.py),
# with the project's names for them.


def test_legacy_bcrypt_user_logs_in_through_the_form_and_is_rehashed(client, settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    legacy_hash = bcrypt.hashpw(b"old password 1", bcrypt.gensalt(rounds=4)).decode()
    user = User.objects.create(email="legacy@example.com", password=legacy_hash)

    response = client.post(
        reverse("accounts:login"),
        {"login": "Legacy@Example.com", "password": "old password 1"},
    )

    assertRedirects(response, reverse("tasks:list"))
    user.refresh_from_db()
    assert user.password.startswith("bcrypt_sha256$")
    assert user.check_password("old password 1")


def test_legacy_user_with_a_password_over_72_bytes_logs_in_without_error(
    client, settings
):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    long_password = "é" * 50  # 100 bytes; passlib hashed only the first 72
    legacy_hash = bcrypt.hashpw(
        long_password.encode()[:72], bcrypt.gensalt(rounds=4)
    ).decode()
    User.objects.create(email="legacy@example.com", password=legacy_hash)

    response = client.post(
        reverse("accounts:login"),
        {"login": "legacy@example.com", "password": long_password},
    )

    assertRedirects(response, reverse("tasks:list"))


def test_signup_hashes_a_long_password_with_bcrypt_sha256(client, settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    long_password = "correct horse battery staple " * 4  # over 72 bytes

    client.post(
        reverse("accounts:signup"),
        {
            "email": "long@example.com",
            "password1": long_password,
            "password2": long_password,
        },
    )

    user = User.objects.get()
    assert user.password.startswith("bcrypt_sha256$")
    assert user.check_password(long_password)
    assert not user.check_password(long_password[:72])


# Settings and export ------------------------------------------------------------------


def test_settings_page_shows_the_account_and_its_actions(client_logged_in, user):
    response = client_logged_in.get(reverse("accounts:settings"))

    assertContains(response, user.email)
    assertContains(response, reverse("accounts:password_change"))
    assertContains(response, reverse("tasks:export_json"))
    assertContains(response, reverse("tasks:export_csv"))
    assertContains(response, reverse("accounts:delete"))
    assertContains(response, "API tokens")


@pytest.mark.parametrize(
    "name", ["accounts:settings", "tasks:export_json", "tasks:export_csv"]
)
def test_settings_and_exports_require_log_in(client, name):
    url = reverse(name)

    response = client.get(url)

    assertRedirects(response, f"{reverse('accounts:login')}?next={url}")


def test_json_export_downloads_the_account_and_only_its_tasks(
    client_logged_in, user, other_user
):
    TaskFactory(user=user, title="Mine", description="notes")
    TaskFactory(user=other_user, title="Theirs")

    response = client_logged_in.get(reverse("tasks:export_json"))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert re.fullmatch(
        r'attachment; filename="todo-export-\d{4}-\d{2}-\d{2}\.json"',
        response["Content-Disposition"],
    )
    data = json.loads(response.content)
    assert data["account"]["email"] == "ann@example.com"
    assert [task["title"] for task in data["tasks"]] == ["Mine"]
    assert data["tasks"][0]["description"] == "notes"


def test_csv_export_downloads_only_the_users_tasks(client_logged_in, user, other_user):
    TaskFactory(user=user, title="=SUM(A1)", due_date="2026-12-31")
    TaskFactory(user=other_user, title="Theirs")

    response = client_logged_in.get(reverse("tasks:export_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="todo-export-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["title"] == "'=SUM(A1)"
    assert rows[0]["due_date"] == "2026-12-31"


# Account deletion ---------------------------------------------------------------------


def test_account_deletion_with_the_right_password_removes_account_and_tasks(
    client_logged_in, user, other_user, password
):
    TaskFactory(user=user)
    TaskFactory(user=other_user)

    response = client_logged_in.post(
        reverse("accounts:delete"), {"password": password}, follow=True
    )

    assertRedirects(response, reverse("home"))
    assertContains(response, "Your account and all its tasks were deleted.")
    assert not User.objects.filter(pk=user.pk).exists()
    assert Task.objects.count() == 1
    assert signed_in_user_id(client_logged_in) is None


def test_account_deletion_with_a_wrong_password_keeps_the_account(
    client_logged_in, user
):
    TaskFactory(user=user)

    response = client_logged_in.post(reverse("accounts:delete"), {"password": "nope"})

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "That is not your current password.")
    assert User.objects.filter(pk=user.pk).exists()
    assert Task.objects.for_user(user).count() == 1
    assert signed_in_user_id(client_logged_in) == str(user.pk)


def test_account_deletion_without_a_password_shows_the_field_error(client_logged_in):
    response = client_logged_in.post(reverse("accounts:delete"), {})

    assertContains(response, "This field is required.")


# Error pages --------------------------------------------------------------------------


def test_unknown_page_is_a_styled_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assertContains(
        response, "<h1>Page not found</h1>", html=True, status_code=HTTPStatus.NOT_FOUND
    )


def test_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")

    assert "<h1>Something went wrong</h1>" in html
