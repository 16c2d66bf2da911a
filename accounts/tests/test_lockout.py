"""Log-in throttling (django-axes): per account and per client, web form and admin."""

import json
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from pytest_django.asserts import assertContains, assertRedirects

from accounts.lockout import lockout_response
from accounts.models import User

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Too many failed log-in attempts."


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def log_in(client, url_name, email, password, ip="10.0.0.1"):
    return client.post(
        reverse(url_name),
        {"login": email, "password": password},
        REMOTE_ADDR=ip,
    )


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client, user, password
):
    for _ in range(2):
        response = log_in(client, "accounts:login", user.email, "wrong")
        assert response.status_code == HTTPStatus.OK

    locked = log_in(client, "accounts:login", user.email, "wrong")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assertContains(locked, LOCKED_MESSAGE, status_code=HTTPStatus.TOO_MANY_REQUESTS)
    assertContains(locked, "15 minutes", status_code=HTTPStatus.TOO_MANY_REQUESTS)
    assert locked["Retry-After"] == str(15 * 60)

    refused = log_in(client, "accounts:login", user.email, password)
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert SESSION_KEY not in client.session


def test_account_lock_holds_from_other_clients_and_any_letter_case(user, password):
    for index in range(3):
        log_in(Client(), "accounts:login", user.email, "wrong", ip=f"10.0.1.{index}")

    response = log_in(
        Client(), "accounts:login", "ANN@Example.com", password, ip="10.0.2.1"
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_one_client_failing_on_many_accounts_is_locked_out(client, password):
    User.objects.create_user("victim@example.com", password)
    for index in range(3):
        log_in(client, "accounts:login", f"guess{index}@example.com", "wrong")

    response = log_in(client, "accounts:login", "victim@example.com", password)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # The account itself is not locked: its owner on another client still gets in.
    other = Client()
    assertRedirects(
        log_in(other, "accounts:login", "victim@example.com", password, ip="10.9.9.9"),
        reverse("tasks:list"),
    )


def test_a_successful_log_in_resets_that_accounts_failure_count(client, user, password):
    for _ in range(2):
        log_in(client, "accounts:login", user.email, "wrong")
    assertRedirects(
        log_in(client, "accounts:login", user.email, password), reverse("tasks:list")
    )

    # Two more failures from elsewhere do not reach the limit of three: the
    # account's count started again at the success.
    for _ in range(2):
        response = log_in(Client(), "accounts:login", user.email, "no", ip="10.7.0.1")
        assert response.status_code == HTTPStatus.OK
    assertRedirects(
        log_in(Client(), "accounts:login", user.email, password, ip="10.7.0.2"),
        reverse("tasks:list"),
    )


def test_a_success_in_between_does_not_clear_the_clients_failures(client, password):
    # The attacker's own account, and a success on it after every two guesses.
    User.objects.create_user("attacker@example.com", password)
    victims = [
        User.objects.create_user(f"victim{index}@example.com", password).email
        for index in range(3)
    ]
    statuses = []
    for victim in victims:
        for _ in range(2):
            statuses.append(
                log_in(client, "accounts:login", victim, "guess").status_code
            )
        statuses.append(
            log_in(
                client, "accounts:login", "attacker@example.com", password
            ).status_code
        )
        client.post(reverse("accounts:logout"))

    # The third failure from this client locks it out, success or not in between.
    assert HTTPStatus.TOO_MANY_REQUESTS in statuses
    locked = log_in(client, "accounts:login", "attacker@example.com", password)
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # The victims' accounts themselves are not locked: each failed at most twice.
    assertRedirects(
        log_in(Client(), "accounts:login", victims[0], password, ip="10.8.0.1"),
        reverse("tasks:list"),
    )


def test_api_token_success_does_not_clear_the_clients_failures(api_client, password):
    User.objects.create_user("attacker@example.com", password)
    url = reverse("api:token")

    def token(email, secret):
        return api_client.post(
            url, {"email": email, "password": secret}, REMOTE_ADDR="10.0.0.9"
        ).status_code

    statuses = [token("victim@example.com", "guess") for _ in range(2)]
    statuses.append(token("attacker@example.com", password))
    statuses.append(token("other@example.com", "guess"))
    statuses.append(token("attacker@example.com", password))

    assert statuses[:3] == [HTTPStatus.BAD_REQUEST] * 2 + [HTTPStatus.OK]
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS


def test_admin_log_in_is_the_sites_and_is_throttled_too(client, password):
    admin = User.objects.create_superuser("boss@example.com", password)
    to_login = client.get(reverse("admin:login"))
    assert to_login.status_code == HTTPStatus.FOUND
    assert to_login["Location"].startswith(reverse("accounts:login") + "?next=")
    # Posting credentials to the admin's own form gets nowhere either.
    direct = client.post(
        reverse("admin:login"), {"username": admin.email, "password": password}
    )
    assert direct.status_code == HTTPStatus.FOUND
    assert SESSION_KEY not in client.session
    for _ in range(3):
        log_in(client, "accounts:login", admin.email, "wrong")

    response = log_in(client, "accounts:login", admin.email, password)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assertContains(response, LOCKED_MESSAGE, status_code=HTTPStatus.TOO_MANY_REQUESTS)
    assert SESSION_KEY not in client.session


def test_behind_a_trusted_proxy_clients_are_told_apart_by_forwarded_address(
    client, settings, password
):
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user("victim@example.com", password)
    for index in range(3):
        client.post(
            reverse("accounts:login"),
            {"login": f"guess{index}@example.com", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.7",
        )

    blocked = client.post(
        reverse("accounts:login"),
        {"login": "victim@example.com", "password": password},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    other_client = Client().post(
        reverse("accounts:login"),
        {"login": "victim@example.com", "password": password},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )

    assert blocked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assertRedirects(other_client, reverse("tasks:list"))


def test_api_clients_get_the_lockout_as_json():
    request = RequestFactory().post(reverse("api:api-root"))
    request.resolver_match = resolve(reverse("api:api-root"))

    response = lockout_response(request)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["detail"].startswith(LOCKED_MESSAGE)
    assert response["Retry-After"] == str(15 * 60)
