"""API tokens on the settings page: list, create (shown once), revoke."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from knox.models import AuthToken
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from rest_framework.test import APIClient

from accounts.tokens import token_handle

pytestmark = pytest.mark.django_db


def test_create_shows_the_new_token_once_and_stores_only_its_digest(client_logged_in):
    response = client_logged_in.post(reverse("accounts:token_create"))

    assertRedirects(
        response, reverse("accounts:settings"), fetch_redirect_response=False
    )
    instance = AuthToken.objects.get()
    first = client_logged_in.get(reverse("accounts:settings"))
    token = re.search(r'"api-token-secret">([\w-]+)<', first.content.decode()).group(1)
    assert token.startswith(instance.token_key)
    assert instance.digest != token
    second = client_logged_in.get(reverse("accounts:settings"))
    assertNotContains(second, token)
    assertContains(second, instance.token_key[:8])


def test_a_named_token_starts_with_its_name(client_logged_in):
    client_logged_in.post(reverse("accounts:token_create"), {"name": "ci-deploy"})

    instance = AuthToken.objects.get()
    page = client_logged_in.get(reverse("accounts:settings")).content.decode()
    token = re.search(r'"api-token-secret">([\w-]+)<', page).group(1)
    assert token.startswith("ci-deploy_")
    assert instance.token_key.startswith("ci-deploy_")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("api:me")).status_code == HTTPStatus.OK


@pytest.mark.parametrize("name", ["Has Space", "x" * 10, "a_b", "é"])
def test_an_invalid_token_name_creates_nothing(client_logged_in, name):
    response = client_logged_in.post(
        reverse("accounts:token_create"), {"name": name}, follow=True
    )

    assert not AuthToken.objects.exists()
    assert any("Token name" in str(m) for m in response.context["messages"])


def test_the_panel_lists_prefix_created_and_expiry_of_own_tokens_only(
    client_logged_in, user, other_user
):
    mine, mine_secret = AuthToken.objects.create(user=user)
    theirs, _ = AuthToken.objects.create(user=other_user)

    response = client_logged_in.get(reverse("accounts:settings"))

    assertContains(response, mine.token_key[:8])
    assertNotContains(response, mine_secret)
    assertNotContains(response, mine.digest)
    assertNotContains(response, theirs.token_key)
    assertContains(response, mine.expiry.strftime("%Y"))
    assertContains(response, 'name="csrfmiddlewaretoken"')


def test_revoke_deletes_the_token(client_logged_in, user):
    instance, _ = AuthToken.objects.create(user=user)

    response = client_logged_in.post(
        reverse("accounts:token_revoke"), {"token": token_handle(instance)}
    )

    assertRedirects(response, reverse("accounts:settings"))
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize("handle", ["theirs", "", "a\x00b", "nope", "ab" * 16])
def test_revoking_another_users_or_unknown_token_is_404(
    client_logged_in, other_user, handle
):
    theirs, _ = AuthToken.objects.create(user=other_user)
    if handle == "theirs":
        handle = token_handle(theirs)

    response = client_logged_in.post(
        reverse("accounts:token_revoke"), {"token": handle}
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert AuthToken.objects.count() == 1


@pytest.mark.parametrize("name", ["accounts:token_create", "accounts:token_revoke"])
def test_token_views_need_post_and_a_signed_in_user(client, client_logged_in, name):
    assert client_logged_in.get(reverse(name)).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )
    client.logout()
    anonymous = client.post(reverse(name))
    assert anonymous.status_code == HTTPStatus.FOUND
    assert not AuthToken.objects.exists()


def test_token_views_check_csrf(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("accounts:token_create"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not AuthToken.objects.exists()


def test_expired_tokens_are_deleted_when_the_panel_is_shown(client_logged_in, user):
    expired, _ = AuthToken.objects.create(user=user, expiry=timedelta(seconds=-1))
    live, _ = AuthToken.objects.create(user=user)

    response = client_logged_in.get(reverse("accounts:settings"))

    assertNotContains(response, expired.token_key[:8])
    assertContains(response, live.token_key[:8])
    assert list(AuthToken.objects.all()) == [live]


def test_an_unverified_account_cannot_create_a_token_on_the_settings_page(client):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    user = User.objects.create(email="new@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=False)
    client.force_login(user)

    response = client.post(reverse("accounts:token_create"), follow=True)

    assert b"Verify your email address" in response.content
    assert not user.auth_token_set.exists()


def test_the_settings_page_says_when_each_token_was_last_used(
    client_logged_in, user, api_client
):
    from accounts.tokens import create_token

    _, used = create_token(user, prefix="cli_")
    create_token(user, prefix="idle_")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {used}")
    assert api_client.get(reverse("api:me")).status_code == HTTPStatus.OK

    page = client_logged_in.get(reverse("accounts:settings")).content.decode()

    rows = {row.split("</code>")[0]: row for row in page.split("<code>")[1:]}
    cli = next(row for key, row in rows.items() if key.startswith("cli_"))
    idle = next(row for key, row in rows.items() if key.startswith("idle_"))
    assert 'data-label="Last used"><time' in cli
    assert 'data-label="Last used">never' in idle
