"""Two-factor authentication (TOTP, recovery codes): log-in page, admin and API."""

import time
from http import HTTPStatus

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import create_token

pytestmark = pytest.mark.django_db

TOKEN_URL = reverse("api:token")


def totp_code(secret: str) -> str:
    """The authenticator's code now, never from the last second of its 30-second
    window: the server checks it a moment later, when the next window may have
    begun (it accepts the current window's code only)."""
    left = pyotp.TOTP(secret).interval - time.time() % pyotp.TOTP(secret).interval
    if left < 1:
        time.sleep(left)
    return pyotp.TOTP(secret).now()


def enable_totp(user) -> tuple[str, list[str]]:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).generate_codes()
    return secret, codes


def test_api_token_with_two_factor_needs_a_valid_code_once(user, password):
    secret, codes = enable_totp(user)
    api = APIClient()
    body = {"email": user.email, "password": password}

    missing = api.post(TOKEN_URL, body)
    assert missing.status_code == HTTPStatus.UNAUTHORIZED
    assert "two-factor" in missing.json()["detail"]
    wrong = api.post(TOKEN_URL, {**body, "code": "000000"})
    assert wrong.status_code == HTTPStatus.UNAUTHORIZED
    code = totp_code(secret)
    assert api.post(TOKEN_URL, {**body, "code": code}).status_code == HTTPStatus.OK
    # The same TOTP code, or recovery code, works only once.
    assert api.post(TOKEN_URL, {**body, "code": code}).status_code == 401
    assert api.post(TOKEN_URL, {**body, "code": codes[0]}).status_code == 200
    assert api.post(TOKEN_URL, {**body, "code": codes[0]}).status_code == 401


def test_wrong_two_factor_codes_lock_the_account_out_like_wrong_passwords(
    user, password, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    enable_totp(user)
    body = {"email": user.email, "password": password, "code": "000000"}
    statuses = [
        APIClient(REMOTE_ADDR=f"10.3.0.{index}").post(TOKEN_URL, body).status_code
        for index in range(3)
    ]

    # The third wrong code locks out, as the third wrong password does.
    assert statuses == [401, 401, HTTPStatus.TOO_MANY_REQUESTS]
    # Now even the right password is refused, on the API and the log-in page.
    locked = APIClient(REMOTE_ADDR="10.3.1.1").post(TOKEN_URL, body)
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    page = Client(REMOTE_ADDR="10.3.1.2").post(
        reverse("accounts:login"), {"login": user.email, "password": password}
    )
    assert page.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_log_in_with_two_factor_asks_for_the_code(client, user, password):
    secret, _codes = enable_totp(user)

    response = client.post(
        reverse("accounts:login"), {"login": user.email, "password": password}
    )

    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == HTTPStatus.OK
    assert SESSION_KEY not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right["Location"] == reverse("tasks:list")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_admin_log_in_with_two_factor_asks_for_the_code(client, password):
    boss = User.objects.create_superuser("boss@example.com", password)
    secret, _codes = enable_totp(boss)

    to_login = client.get(reverse("admin:index"), follow=True)
    login_url = to_login.redirect_chain[-1][0]
    assert login_url.startswith(reverse("accounts:login"))
    response = client.post(login_url, {"login": boss.email, "password": password})

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.FOUND
    done = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(secret)}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("admin:index")
    assert b"Todo administration" in done.content


@pytest.mark.django_db(transaction=True)
def test_turning_totp_on_revokes_tokens_and_other_sessions(user, password):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(
            reverse("accounts:login"), {"login": user.email, "password": password}
        )
    _token, key = create_token(user)
    here.post(reverse("account_reauthenticate"), {"password": password})
    page = here.get(reverse("mfa_activate_totp"))
    assert page.status_code == HTTPStatus.OK
    secret = page.context["form"].secret

    response = here.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == HTTPStatus.FOUND
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:me")).status_code == HTTPStatus.UNAUTHORIZED
    assert here.get(reverse("accounts:settings")).status_code == HTTPStatus.OK
    assert elsewhere.get(reverse("accounts:settings")).status_code == HTTPStatus.FOUND


def test_wrong_codes_at_the_log_in_step_lock_out_even_the_right_code(
    client, user, password, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    secret, _codes = enable_totp(user)
    client.post(reverse("accounts:login"), {"login": user.email, "password": password})
    for _ in range(3):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert SESSION_KEY not in client.session
    assert b"Too many failed log-in attempts" in right.content
    again = Client(REMOTE_ADDR="10.4.0.1").post(
        reverse("accounts:login"), {"login": user.email, "password": password}
    )
    assert again.status_code == HTTPStatus.TOO_MANY_REQUESTS
