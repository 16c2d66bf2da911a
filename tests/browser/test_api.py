"""The API's browser-facing parts: the interactive docs, and tokens on the settings
page. The `page` fixture fails a test on any Content-Security-Policy violation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from knox.models import AuthToken
from playwright.sync_api import Page, expect
from rest_framework.test import APIClient

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_swagger_ui_renders_every_operation_from_local_files_only(
    page: Page, live_server
):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(reverse("api:docs"))

    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 10
    assert all(url.startswith(live_server.url) for url in requests), requests


def test_create_a_named_token_see_it_once_use_it_and_revoke_it(page: Page):
    User.objects.create_user("ann@example.com", PASSWORD)
    page.goto(reverse("accounts:login"))
    page.get_by_label("Email").fill("ann@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.goto(reverse("accounts:settings"))

    page.get_by_label("Name").fill("backup")
    page.get_by_role("button", name="Create a token").click()

    secret = page.locator(".api-token-secret").inner_text()
    assert secret.startswith("backup_")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get(reverse("api:me")).json()["email"] == "ann@example.com"

    page.reload()
    expect(page.locator(".api-token-secret")).to_have_count(0)
    expect(page.locator(".api-token-list code")).to_contain_text("backup_")

    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    assert not AuthToken.objects.exists()
