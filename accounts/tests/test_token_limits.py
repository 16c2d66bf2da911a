"""API tokens: a cap per account, and revocation of exactly one token (issue 13)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse
from knox.models import AuthToken
from pytest_django.asserts import assertContains, assertRedirects

from accounts.tokens import token_handle

pytestmark = pytest.mark.django_db

LIMIT_MESSAGE = "the most an account may hold"


@pytest.fixture
def limit(settings) -> int:
    settings.API_TOKEN_LIMIT = 3
    return 3


def test_the_settings_page_refuses_a_token_past_the_limit(
    client_logged_in, user, limit
):
    for _ in range(limit):
        client_logged_in.post(reverse("accounts:token_create"))

    response = client_logged_in.post(reverse("accounts:token_create"), follow=True)

    assertRedirects(response, reverse("accounts:settings"))
    assertContains(response, LIMIT_MESSAGE)
    assert AuthToken.objects.filter(user=user).count() == limit


def test_the_api_refuses_a_token_past_the_limit(api_client, user, password, limit):
    url = reverse("api:token")
    credentials = {"email": user.email, "password": password}
    statuses = [api_client.post(url, credentials).status_code for _ in range(limit)]

    refused = api_client.post(url, credentials)

    assert statuses == [HTTPStatus.OK] * limit
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert LIMIT_MESSAGE in refused.json()["non_field_errors"][0]
    assert AuthToken.objects.filter(user=user).count() == limit


def test_revoking_a_token_makes_room_for_another(client_logged_in, user, limit):
    for _ in range(limit):
        client_logged_in.post(reverse("accounts:token_create"))
    oldest = AuthToken.objects.filter(user=user).earliest("created")

    client_logged_in.post(
        reverse("accounts:token_revoke"), {"token": token_handle(oldest)}
    )
    client_logged_in.post(reverse("accounts:token_create"))

    assert AuthToken.objects.filter(user=user).count() == limit
    assert not AuthToken.objects.filter(digest=oldest.digest).exists()


def test_two_tokens_with_the_same_first_characters_are_revoked_one_at_a_time(
    client_logged_in, api_client, user
):
    for _ in range(2):
        client_logged_in.post(reverse("accounts:token_create"), {"name": "ci"})
    first, second = AuthToken.objects.filter(user=user).order_by("created")
    # As two short-named tokens once did: the same visible start.
    AuthToken.objects.filter(pk=second.pk).update(token_key=first.token_key)
    page = client_logged_in.get(reverse("accounts:settings"))

    response = client_logged_in.post(
        reverse("accounts:token_revoke"), {"token": token_handle(first)}
    )

    assert page.status_code == HTTPStatus.OK
    assertRedirects(response, reverse("accounts:settings"))
    assert list(AuthToken.objects.values_list("digest", flat=True)) == [second.digest]
