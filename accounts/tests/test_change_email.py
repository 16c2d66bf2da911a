"""Changing the account's email address: verified before it takes effect."""

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"https?://testserver(/accounts/confirm-email/\S+/)")


def test_new_address_takes_effect_once_verified_and_the_old_one_is_told(
    client_logged_in, user
):
    page = client_logged_in.get(reverse("account_email"))
    assertContains(page, "ann@example.com")
    response = client_logged_in.post(
        reverse("account_email"), {"email": "Ann.New@Example.com", "action_add": ""}
    )

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.email == "ann@example.com"  # not yet
    assert mail.outbox[-1].to == ["ann.new@example.com"]
    pending = client_logged_in.get(reverse("account_email"))
    assertContains(pending, "ann.new@example.com")
    assert b'style="' not in pending.content  # the strict CSP allows no inline style

    link = LINK_RE.search(mail.outbox[-1].body).group(1)
    mail.outbox.clear()
    client_logged_in.post(link)

    user.refresh_from_db()
    assert user.email == "ann.new@example.com"
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "verified")
    ) == [("ann.new@example.com", True)]
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    assert "changed" in mail.outbox[0].subject.lower()


def test_another_user_cannot_verify_the_address_with_someone_elses_link(
    client_logged_in, user, other_user, client
):
    client_logged_in.post(
        reverse("account_email"), {"email": "ann.new@example.com", "action_add": ""}
    )
    link = LINK_RE.search(mail.outbox[-1].body).group(1)
    client_logged_in.logout()
    client.force_login(other_user)

    client.post(link)

    other_user.refresh_from_db()
    assert other_user.email == "bob@example.com"
    assert not EmailAddress.objects.filter(user=other_user, email="ann.new@example.com")


def test_with_two_factor_on_the_address_cannot_be_changed(client_logged_in, user):
    TOTP.activate(user, generate_totp_secret())

    response = client_logged_in.post(
        reverse("account_email"), {"email": "ann.new@example.com", "action_add": ""}
    )

    assertContains(response, "protected by two-factor authentication")
    user.refresh_from_db()
    assert user.email == "ann@example.com"
