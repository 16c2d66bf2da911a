"""Accounts in a real browser: verified sign-up, change of address, two-factor sign-in
with an authenticator app, recovery codes and passkeys; axe on every accounts page.

Codes are computed with pyotp from the secret the page shows; passkeys use Chromium's
virtual authenticator (CDP `WebAuthn.addVirtualAuthenticator`). The live server runs
on http://localhost, a secure context where WebAuthn works.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")
VIEWPORTS = [{"width": 1280, "height": 800}, {"width": 375, "height": 740}]


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http://localhost
    cache.clear()
    yield
    cache.clear()


def sign_up(page: Page, email: str) -> None:
    page.goto(reverse("accounts:signup"))
    fill_sign_up_form(page, email)


def fill_sign_up_form(page: Page, email: str) -> None:
    """Sign up on the page shown; it then asks to verify the address."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(
        page.get_by_role("heading", name="Verify Your Email Address")
    ).to_be_visible()


def log_in_with_password(page: Page, email: str) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def reauthenticate_if_asked(page: Page) -> None:
    """Turning two-factor on asks for the password again."""
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()


def fresh_code(secret: str, used: set[str]) -> str:
    """A TOTP code not used yet: each works once."""
    totp = pyotp.TOTP(secret)
    while (code := totp.now()) in used:
        time.sleep(1)
    used.add(code)
    return code


def test_sign_up_verifies_the_address_by_the_emailed_link(page: Page):
    sign_up(page, "New.Person@Example.com")
    user = User.objects.get()
    assert not EmailAddress.objects.get(user=user).verified
    assert [m.to for m in mail.outbox] == [["new.person@example.com"]]

    page.goto(CONFIRM_LINK.search(mail.outbox[0].body).group(0))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1, name="Your tasks")).to_be_visible()
    assert EmailAddress.objects.get(user=user).verified


def test_sign_up_with_a_taken_address_looks_the_same_and_mails_the_owner(
    new_page,
):
    User.objects.create_user("ann@example.com", PASSWORD)
    fresh, taken = new_page(), new_page()

    sign_up(fresh, "someone@example.com")
    sign_up(taken, "Ann@Example.com")

    def main_text(page):
        return page.locator("main").inner_text().replace("someone@", "ann@")

    assert main_text(fresh) == main_text(taken)
    assert mail.outbox[-1].to == ["ann@example.com"]
    assert "/accounts/password/reset/" in mail.outbox[-1].body
    assert User.objects.filter(email="ann@example.com").count() == 1


def test_change_the_email_address_from_settings(page: Page):
    User.objects.create_user("ann@example.com", PASSWORD)
    log_in_with_password(page, "ann@example.com")
    page.goto(reverse("accounts:settings"))
    page.get_by_role("link", name="Change email").click()
    page.get_by_label("Change to").fill("ann.new@example.com")
    page.get_by_role("button", name="Change Email").click()
    expect(page.locator("#new_email")).to_have_value("ann.new@example.com")

    page.goto(CONFIRM_LINK.search(mail.outbox[-1].body).group(0))
    page.get_by_role("button", name="Confirm").click()

    page.goto(reverse("accounts:settings"))
    expect(page.locator(".details")).to_contain_text("ann.new@example.com")
    assert mail.outbox[-1].to == ["ann@example.com"]  # the old address is told


def test_two_factor_with_an_authenticator_app_and_recovery_codes(page: Page):
    user = User.objects.create_user("ann@example.com", PASSWORD)
    used: set[str] = set()
    log_in_with_password(page, user.email)
    page.goto(reverse("accounts:settings"))
    page.get_by_role("link", name="Two-factor sign-in and passkeys").click()
    page.goto(reverse("mfa_activate_totp"))
    reauthenticate_if_asked(page)
    expect(page.locator("img[src^='data:image/svg+xml;base64,']")).to_have_count(1)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(fresh_code(secret, used))
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url(f"**{reverse('mfa_view_recovery_codes')}")
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    download = page.request.get(reverse("mfa_download_recovery_codes"))
    assert "attachment" in download.headers["content-disposition"]
    assert all(code in download.text() for code in codes)
    log_out(page)

    # The password alone is not enough any more: then a code from the app.
    log_in_with_password(page, user.email)
    page.get_by_label("Code").fill(fresh_code(secret, used))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1, name="Your tasks")).to_be_visible()
    log_out(page)

    # A recovery code works once ...
    log_in_with_password(page, user.email)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1, name="Your tasks")).to_be_visible()
    log_out(page)

    # ... and is refused the second time.
    log_in_with_password(page, user.email)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    assert "/2fa/authenticate/" in page.url


def add_virtual_authenticator(page: Page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    result = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, result["authenticatorId"]


def test_register_a_passkey_and_log_in_with_it(page: Page):
    user = User.objects.create_user("ann@example.com", PASSWORD)
    cdp, authenticator_id = add_virtual_authenticator(page)
    log_in_with_password(page, user.email)
    expect(page.get_by_role("heading", level=1, name="Your tasks")).to_be_visible()
    page.goto(reverse("mfa_add_webauthn"))
    reauthenticate_if_asked(page)
    page.get_by_label("Name").fill("Laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()

    page.wait_for_url(f"**{reverse('mfa_view_recovery_codes')}")
    credentials = cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator_id}
    )["credentials"]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]
    assert Authenticator.objects.get(user=user, type="webauthn").wrap().is_passwordless
    log_out(page)

    page.goto(reverse("accounts:login"))
    page.get_by_role("button", name="Use a passkey instead").click()

    expect(page.get_by_role("heading", level=1, name="Your tasks")).to_be_visible()
    expect(page.locator(".site-footer")).to_contain_text("ann@example.com")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_accounts_pages_have_no_serious_accessibility_violations(
    new_page, axe_script, viewport
):
    page = new_page(bypass_csp=True, viewport=viewport)
    for url in [
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:password_reset"),
        reverse("account_reset_password_done"),
        reverse("account_email_verification_sent"),
    ]:
        page.goto(url)
        assert serious_violations(page, axe_script) == [], url

    page.goto(reverse("accounts:login"))
    page.get_by_role("button", name="Log in", exact=True).click()
    assert serious_violations(page, axe_script) == [], "log-in with errors"

    User.objects.create_user("ann@example.com", PASSWORD)
    log_in_with_password(page, "ann@example.com")
    page.goto(reverse("account_reauthenticate"))
    assert serious_violations(page, axe_script) == [], "reauthenticate"
    reauthenticate_if_asked(page)
    for url in [
        reverse("accounts:settings"),
        reverse("account_email"),
        reverse("accounts:password_change"),
        reverse("accounts:logout"),
        reverse("mfa_index"),
        reverse("mfa_activate_totp"),
        reverse("mfa_add_webauthn"),
        reverse("mfa_list_webauthn"),
    ]:
        page.goto(url)
        assert serious_violations(page, axe_script) == [], url

    page.goto(reverse("mfa_activate_totp"))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(f"**{reverse('mfa_view_recovery_codes')}")
    assert serious_violations(page, axe_script) == [], "recovery codes"
    page.goto(reverse("mfa_generate_recovery_codes"))
    assert serious_violations(page, axe_script) == [], "generate recovery codes"
    page.goto(reverse("mfa_deactivate_totp"))
    assert serious_violations(page, axe_script) == [], "deactivate totp"

    page.context.clear_cookies()
    log_in_with_password(page, "ann@example.com")
    page.wait_for_url(f"**{reverse('mfa_authenticate')}")
    assert serious_violations(page, axe_script) == [], "two-factor step"
