"""Sign-up with a verified address, log-in, passwords and their attacks, over HTTP.

The pages are django-allauth's in the site's look; the tests are written as a visitor
(or an attacker) would see them: status codes, redirects, mail, sessions, tokens.
"""

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import create_token

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much longer new passphrase"
LINK_RE = re.compile(r"https?://testserver(/accounts/\S+/)")


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def link_in(message) -> str:
    return LINK_RE.search(message.body).group(1)


def sign_up(client, email, password=NEW_PASSWORD, **extra):
    return client.post(
        reverse("accounts:signup"),
        {"email": email, "password1": password, "password2": password},
        **extra,
    )


def token_works(key: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(reverse("api:me")).status_code == HTTPStatus.OK


# Sign-up and verification -------------------------------------------------------------


def test_signup_sends_a_link_that_verifies_the_address_and_signs_in(client):
    response = sign_up(client, " New.User@Example.COM ")

    assertRedirects(response, reverse("account_email_verification_sent"))
    user = User.objects.get()
    assert user.email == "new.user@example.com"
    assert signed_in_user_id(client) is None
    assert not EmailAddress.objects.get(user=user).verified
    assert [m.to for m in mail.outbox] == [["new.user@example.com"]]

    confirm_page = client.get(link_in(mail.outbox[0]))
    assertContains(confirm_page, "Confirm")
    response = client.post(link_in(mail.outbox[0]))

    assertRedirects(response, reverse("tasks:list"))
    assert EmailAddress.objects.get(user=user).verified
    assert signed_in_user_id(client) == str(user.pk)


def test_signup_with_a_taken_address_looks_the_same_and_mails_its_owner(client, user):
    fresh_client = Client()
    fresh = sign_up(fresh_client, "fresh@example.com")
    taken = sign_up(client, "ANN@example.com")

    assert taken.status_code == fresh.status_code == HTTPStatus.FOUND
    assert taken["Location"] == fresh["Location"]
    assert signed_in_user_id(client) is None
    assert User.objects.filter(email="ann@example.com").count() == 1
    owner_mail = mail.outbox[-1]
    assert owner_mail.to == ["ann@example.com"]
    assert "/accounts/password/reset/" in owner_mail.body
    follow_fresh = fresh_client.get(fresh["Location"])
    follow_taken = client.get(taken["Location"])
    assert follow_fresh.content.replace(b"fresh@", b"ann@") == follow_taken.content


def test_unverified_account_cannot_log_in_and_gets_a_fresh_link(client):
    sign_up(Client(), "new@example.com")
    mail.outbox.clear()
    cache.clear()  # the verification mail's cool-down

    response = client.post(
        reverse("accounts:login"),
        {"login": "new@example.com", "password": NEW_PASSWORD},
    )

    assertRedirects(response, reverse("account_email_verification_sent"))
    assert signed_in_user_id(client) is None
    assert [m.to for m in mail.outbox] == [["new@example.com"]]


def test_signup_applies_djangos_password_validators(client):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "new@example.com", "password1": "12345", "password2": "12345"},
    )

    assertContains(response, "This password is too short.")
    assertContains(response, "This password is entirely numeric.")
    assert not User.objects.exists()


def test_operator_made_accounts_count_as_verified(client, user, password):
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(
        reverse("accounts:login"), {"login": user.email, "password": password}
    )

    assertRedirects(response, reverse("tasks:list"))
    assert mail.outbox == []


# Log-in and log-out ------------------------------------------------------------------


def test_login_page_labels_its_fields(client):
    response = client.get(reverse("accounts:login"))

    assertContains(response, '<label for="id_login">Email</label>', html=True)
    assertContains(response, '<label for="id_password">Password</label>', html=True)


def test_login_accepts_the_email_in_any_letter_case(client, user, password):
    response = client.post(
        reverse("accounts:login"), {"login": "Ann@EXAMPLE.com", "password": password}
    )

    assertRedirects(response, reverse("tasks:list"))
    assert signed_in_user_id(client) == str(user.pk)


def test_login_with_a_wrong_password_says_so_without_naming_the_cause(client, user):
    wrong = client.post(
        reverse("accounts:login"), {"login": user.email, "password": "nope"}
    )
    unknown = Client().post(
        reverse("accounts:login"), {"login": "nobody@example.com", "password": "nope"}
    )

    assert wrong.status_code == unknown.status_code == HTTPStatus.OK
    message = "The email address and/or password you specified are not correct."
    assertContains(wrong, message)
    assertContains(unknown, message)
    assert signed_in_user_id(client) is None


def test_login_follows_a_safe_next_url_and_ignores_another_site(client, user, password):
    credentials = {"login": user.email, "password": password}
    url = reverse("accounts:login")
    safe = client.post(f"{url}?next={reverse('accounts:settings')}", credentials)
    client.post(reverse("accounts:logout"))
    evil = client.post(f"{url}?next=https://evil.example/", credentials)

    assertRedirects(safe, reverse("accounts:settings"))
    assertRedirects(evil, reverse("tasks:list"))


def test_logout_asks_on_get_and_signs_out_on_post(client_logged_in, user):
    asked = client_logged_in.get(reverse("accounts:logout"))
    assert asked.status_code == HTTPStatus.OK
    assert signed_in_user_id(client_logged_in) == str(user.pk)

    response = client_logged_in.post(reverse("accounts:logout"), follow=True)

    assertRedirects(response, reverse("home"))
    assertContains(response, "You have signed out.")
    assert signed_in_user_id(client_logged_in) is None


# Passwords: a change or reset revokes tokens and other sessions (security item 2) -----


def log_in(email, password) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"login": email, "password": password}
    )
    assert response.status_code == HTTPStatus.FOUND
    return client


def test_password_change_revokes_tokens_and_other_sessions_and_keeps_this_one(
    user, password
):
    here = log_in(user.email, password)
    elsewhere = log_in(user.email, password)
    _token, key = create_token(user)
    assert token_works(key)

    response = here.post(
        reverse("accounts:password_change"),
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assertRedirects(
        response, reverse("accounts:settings"), fetch_redirect_response=False
    )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not token_works(key)
    assert here.get(reverse("accounts:settings")).status_code == HTTPStatus.OK
    assert elsewhere.get(reverse("accounts:settings")).status_code == HTTPStatus.FOUND


def test_password_change_with_a_wrong_old_password_shows_the_error(
    client_logged_in, user, password
):
    response = client_logged_in.post(
        reverse("accounts:password_change"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assertContains(response, "Please type your current password.")
    user.refresh_from_db()
    assert user.check_password(password)


def test_password_reset_sets_a_new_password_and_revokes_tokens_and_sessions(
    client, user, password
):
    attacker = log_in(user.email, password)
    _token, key = create_token(user)

    response = client.post(
        reverse("accounts:password_reset"), {"email": "ANN@example.com"}
    )

    assertRedirects(response, reverse("account_reset_password_done"))
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    assertContains(form_page, "Change Password")
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assertRedirects(response, reverse("account_reset_password_from_key_done"))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not token_works(key)
    assert attacker.get(reverse("accounts:settings")).status_code == HTTPStatus.FOUND


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(
    client, user
):
    known = Client().post(reverse("accounts:password_reset"), {"email": user.email})
    unknown = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.com"}
    )

    assert unknown.status_code == known.status_code == HTTPStatus.FOUND
    assert unknown["Location"] == known["Location"]
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_password_reset_link_with_a_bad_token_says_it_no_longer_works(client, user):
    response = client.get("/accounts/password/reset/key/1-bad-token/", follow=True)

    assertContains(response, "Bad Token")


# Flooding and probing (security items 4 and 6) ----------------------------------------


def test_reset_flood_on_one_address_sends_three_mails_and_answers_alike(client, user):
    responses = [
        client.post(reverse("accounts:password_reset"), {"email": user.email})
        for _ in range(10)
    ]

    assert {r.status_code for r in responses} == {HTTPStatus.FOUND}
    assert {r["Location"] for r in responses} == {
        reverse("account_reset_password_done")
    }
    assert len(mail.outbox) == 3


def test_reset_flood_from_one_client_over_many_addresses_is_limited(client, password):
    for index in range(12):
        User.objects.create_user(f"user{index}@example.com", password)

    responses = [
        client.post(
            reverse("accounts:password_reset"), {"email": f"user{index}@example.com"}
        )
        for index in range(12)
    ]

    assert {r["Location"] for r in responses} == {
        reverse("account_reset_password_done")
    }
    assert len(mail.outbox) == 10
    # Another client is not held back.
    Client(REMOTE_ADDR="10.1.1.1").post(
        reverse("accounts:password_reset"), {"email": "user11@example.com"}
    )
    assert len(mail.outbox) == 11


def test_signup_from_one_client_is_rate_limited_with_retry_after(client):
    statuses = [
        sign_up(client, f"probe{index}@example.com").status_code for index in range(11)
    ]

    assert statuses[:10] == [HTTPStatus.FOUND] * 10
    assert statuses[10] == HTTPStatus.TOO_MANY_REQUESTS
    limited = sign_up(client, "probe-late@example.com")
    assert limited["Retry-After"] == "60"
    assertContains(limited, "Too many requests", status_code=429)
    # Other clients still sign up.
    assert (
        sign_up(Client(REMOTE_ADDR="10.2.2.2"), "other@example.com").status_code == 302
    )
