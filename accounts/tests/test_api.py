"""The account endpoints of the REST API: register, tokens, me, throttling."""

from __future__ import annotations

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import User

pytestmark = pytest.mark.django_db

REGISTER_URL = reverse("api:register")
TOKEN_URL = reverse("api:token")
TOKENS_URL = reverse("api:token-all")
ME_URL = reverse("api:me")
TASKS_URL = reverse("api:task-list")


def get_token(client, email: str, password: str) -> str:
    response = client.post(TOKEN_URL, {"email": email, "password": password})
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()["token"]


def with_token(client, token: str):
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# Register -----------------------------------------------------------------------------


def test_register_creates_an_unverified_account_and_answers_202(api_client, mailoutbox):
    response = api_client.post(
        REGISTER_URL, {"email": "  New@Example.COM ", "password": "a long passphrase"}
    )

    assert response.status_code == HTTPStatus.ACCEPTED
    assert set(response.json()) == {"detail"}
    user = User.objects.get()
    assert user.email == "new@example.com"
    assert user.check_password("a long passphrase")
    assert "a long passphrase" not in user.password
    assert not EmailAddress.objects.get(user=user).verified
    assert [m.to for m in mailoutbox] == [["new@example.com"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_register_answers_a_taken_address_alike_and_mails_its_owner(
    api_client, user, mailoutbox
):
    new = api_client.post(
        REGISTER_URL, {"email": "other@example.com", "password": "a long passphrase"}
    )
    taken = api_client.post(
        REGISTER_URL, {"email": "ANN@example.com", "password": "a long passphrase"}
    )

    assert taken.status_code == new.status_code == HTTPStatus.ACCEPTED
    assert taken.json() == new.json()
    assert User.objects.filter(email="ann@example.com").count() == 1
    assert mailoutbox[-1].to == ["ann@example.com"]
    assert "/accounts/password/reset/" in mailoutbox[-1].body


def test_token_is_refused_until_the_address_is_verified(api_client, client, mailoutbox):
    credentials = {"email": "new@example.com", "password": "a long passphrase"}
    api_client.post(REGISTER_URL, credentials)

    refused = api_client.post(TOKEN_URL, credentials)

    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert refused.json()["detail"].startswith("Verify your email address first")
    link = re.search(r"testserver(/accounts/confirm-email/\S+/)", mailoutbox[0].body)
    client.post(link.group(1))
    assert api_client.post(TOKEN_URL, credentials).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "This password is too short. It must contain at least 8 characters."),
        ("12345678901", "This password is entirely numeric."),
        ("password", "This password is too common."),
        ("someone@example.com", "The password is too similar to the email address."),
    ],
)
def test_register_applies_the_password_validators(api_client, password, message):
    response = api_client.post(
        REGISTER_URL, {"email": "someone@example.com", "password": password}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.json()["password"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({}, "email", "This field is required."),
        ({"email": "not an email", "password": "x" * 12}, "email", "valid email"),
        ({"email": 5, "password": "x" * 12}, "email", "Not a valid string."),
        ({"email": "a@example.com", "password": 12345678}, "password", "valid string"),
        ({"email": "a@example.com", "password": "x" * 5000}, "password", "4096"),
        ({"email": "a\x00@example.com", "password": "x" * 12}, "email", "Null"),
    ],
)
def test_register_validation_messages(api_client, payload, field, message):
    response = api_client.post(REGISTER_URL, payload)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.json()[field][0]


# Tokens -------------------------------------------------------------------------------


def test_token_is_created_with_email_and_password(api_client, user, password):
    response = api_client.post(
        TOKEN_URL, {"email": " ANN@Example.com", "password": password}
    )

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert set(body) == {"token", "expiry"}
    expected_expiry = timezone.now() + timedelta(days=90)
    expiry = AuthToken.objects.get().expiry
    assert abs(expiry - expected_expiry) < timedelta(minutes=5)
    me = with_token(api_client, body["token"]).get(ME_URL)
    assert me.json()["email"] == "ann@example.com"


def test_the_database_holds_only_a_digest_of_the_token(api_client, user, password):
    token = get_token(api_client, user.email, password)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        rows = cursor.fetchall()

    assert len(rows) == 1
    assert not any(token in str(value) for value in rows[0])
    assert AuthToken.objects.get().digest != token


@pytest.mark.parametrize(
    ("email", "password"),
    [("ann@example.com", "wrong password"), ("nobody@example.com", "whatever")],
)
def test_wrong_credentials_are_400(api_client, user, email, password):
    response = api_client.post(TOKEN_URL, {"email": email, "password": password})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "non_field_errors": ["Unable to log in with the email and password."]
    }
    assert not AuthToken.objects.exists()


def test_an_inactive_user_gets_no_token(api_client, user, password):
    user.is_active = False
    user.save()

    response = api_client.post(TOKEN_URL, {"email": user.email, "password": password})

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_user_holds_several_tokens_and_delete_revokes_only_the_one_used(
    api_client, user, password
):
    first = get_token(api_client, user.email, password)
    second = get_token(api_client, user.email, password)

    revoke = with_token(api_client, first).delete(TOKEN_URL)
    after_first = with_token(api_client, first).get(ME_URL)
    after_second = with_token(api_client, second).get(ME_URL)

    assert revoke.status_code == HTTPStatus.NO_CONTENT
    assert after_first.status_code == HTTPStatus.UNAUTHORIZED
    assert after_second.status_code == HTTPStatus.OK
    assert AuthToken.objects.count() == 1


def test_revoking_without_a_token_is_401_even_with_a_session(api_client, user):
    api_client.force_login(user)

    response = api_client.delete(TOKEN_URL)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"


def test_revoke_all_revokes_every_token_of_the_caller_only(
    api_client, user, other_user, password
):
    first = get_token(api_client, user.email, password)
    get_token(api_client, user.email, password)
    theirs = get_token(api_client, other_user.email, password)

    response = with_token(api_client, first).delete(TOKENS_URL)

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not AuthToken.objects.filter(user=user).exists()
    assert with_token(api_client, theirs).get(ME_URL).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "header",
    [b"Token \xe9t\xe9", b"Token a\x00b", b"Token " + b"a" * 5000, b"Token"],
)
def test_a_malformed_token_is_401(api_client, header):
    response = api_client.get(ME_URL, HTTP_AUTHORIZATION=header.decode("latin-1"))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"


def test_an_expired_token_is_401(api_client, user):
    instance, token = AuthToken.objects.create(user=user, expiry=timedelta(seconds=-1))

    response = with_token(api_client, token).get(ME_URL)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


def test_other_expired_tokens_stay_out_of_the_way_and_go_at_the_next_token(
    api_client, user, password
):
    """Using one token does not touch the user's other tokens; expired ones are
    deleted when the user next gets a token."""
    expired, _ = AuthToken.objects.create(user=user, expiry=timedelta(seconds=-1))
    _, token = AuthToken.objects.create(user=user)

    assert with_token(api_client, token).get(ME_URL).status_code == HTTPStatus.OK
    assert AuthToken.objects.filter(pk=expired.pk).exists()

    api_client.credentials()
    api_client.post(TOKEN_URL, {"email": user.email, "password": password})

    assert not AuthToken.objects.filter(pk=expired.pk).exists()
    assert AuthToken.objects.filter(user=user).count() == 2


def test_tokens_never_expire_when_the_ttl_is_off(api_client, user, password, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": None}

    response = api_client.post(TOKEN_URL, {"email": user.email, "password": password})

    assert response.json()["expiry"] is None


# Me -----------------------------------------------------------------------------------


def test_me_describes_the_caller(api_client_logged_in, user):
    response = api_client_logged_in.get(ME_URL)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["id"] == user.pk
    assert response.json()["email"] == user.email
    assert set(response.json()) == {"id", "email", "created_at"}


def test_me_without_credentials_is_401(api_client):
    response = api_client.get(ME_URL)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"


# Throttling ---------------------------------------------------------------------------


def test_repeated_failures_for_an_account_lock_it_with_429(
    api_client, user, password, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        response = api_client.post(TOKEN_URL, {"email": user.email, "password": "no"})
        assert response.status_code == HTTPStatus.BAD_REQUEST

    locked = api_client.post(TOKEN_URL, {"email": user.email, "password": "no"})
    right_password = api_client.post(
        TOKEN_URL, {"email": user.email, "password": password}
    )

    for response in (locked, right_password):
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert response["Content-Type"] == "application/json"
        assert "Too many failed log-in attempts" in response.json()["detail"]
        assert int(response["Retry-After"]) == 15 * 60
    assert not AuthToken.objects.exists()


def test_repeated_failures_from_one_client_lock_it_across_accounts(
    api_client, user, password, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        api_client.post(TOKEN_URL, {"email": f"guess{n}@example.com", "password": "x"})

    response = api_client.post(TOKEN_URL, {"email": user.email, "password": password})
    other_client = api_client.post(
        TOKEN_URL,
        {"email": user.email, "password": password},
        REMOTE_ADDR="10.0.0.9",
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert other_client.status_code == HTTPStatus.OK


@pytest.fixture
def low_rates(monkeypatch):
    # DRF's throttles read their rates once, when the class is defined.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "100/min", "user": "3/min", "auth": "2/min"},
    )


def test_auth_endpoints_have_a_stricter_rate(api_client, low_rates):
    statuses = [
        api_client.post(
            REGISTER_URL, {"email": f"u{n}@example.com", "password": "long passphrase"}
        ).status_code
        for n in range(3)
    ]

    assert statuses == [
        HTTPStatus.ACCEPTED,
        HTTPStatus.ACCEPTED,
        HTTPStatus.TOO_MANY_REQUESTS,
    ]


def test_throttled_requests_get_429_json_with_retry_after(
    api_client_logged_in, low_rates
):
    statuses = [api_client_logged_in.get(TASKS_URL).status_code for _ in range(4)]
    response = api_client_logged_in.get(TASKS_URL)

    assert statuses == [HTTPStatus.OK] * 3 + [HTTPStatus.TOO_MANY_REQUESTS]
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Up to a minute and a third at 3/min: the next window must first let enough of
    # this one's count slide out (accounts/tests/test_rate_limits.py has the rules).
    assert 1 <= int(response["Retry-After"]) <= 80
    assert "throttled" in response.json()["detail"]
