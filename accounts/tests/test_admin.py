"""The user and API-token admin, as an operator uses it."""

from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from pytest_django.asserts import assertContains, assertNotContains
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import User, mark_email_verified
from tasks.tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_user_changelist")
NEW_PASSWORD = "a brand new passphrase 42"


def run_action(client, action: str, users: list[User]):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [user.pk for user in users]},
    )


def test_admin_carries_the_site_brand(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assertContains(response, "Todo administration")
    assertContains(response, "<title>Operators | Todo admin</title>", html=True)
    assertContains(response, "/static/css/admin.css")
    assertContains(response, "/static/img/favicon.svg")


def test_changelist_shows_email_flags_created_and_task_count(admin_client):
    ann = UserFactory(email="ann@example.com")
    TaskFactory.create_batch(3, user=ann)
    idle = UserFactory(email="idle@example.com")

    response = admin_client.get(CHANGELIST)

    counts = {user: user.task_count for user in response.context["cl"].result_list}
    assert (counts[ann], counts[idle]) == (3, 0)
    assertContains(response, "ann@example.com")
    for column in ("Email address", "Staff status", "Active", "Created", "Tasks"):
        assertContains(response, column)
    by_count = admin_client.get(CHANGELIST, {"o": "-5"})
    assert list(by_count.context["cl"].result_list)[0] == ann


@pytest.mark.parametrize("rows", [1, 25])
def test_changelist_runs_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, rows
):
    """Task counts are one annotation on the page's query, not a query per user.

    Session, operator, the filter's groups, count, page of rows: the same five with
    1 user as with 25.
    """
    for user in UserFactory.create_batch(rows):
        TaskFactory(user=user)

    with django_assert_num_queries(5):
        response = admin_client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.OK


def test_search_by_email(admin_client):
    UserFactory(email="findme@example.com")
    UserFactory(email="other@example.com")

    response = admin_client.get(CHANGELIST, {"q": "FINDME"})

    assert [user.email for user in response.context["cl"].result_list] == [
        "findme@example.com"
    ]


def test_add_user_with_email_and_password_twice(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "  New.Person@Example.COM ",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password(NEW_PASSWORD)
    assert (user.is_active, user.is_staff, user.is_superuser) == (True, False, False)
    # Made by an operator: the address counts as verified, shown on the user's page.
    assert EmailAddress.objects.get(user=user).verified
    page = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assertContains(page, 'name="emailaddress_set-0-verified"')


def test_add_user_refuses_mismatched_passwords_and_taken_email(admin_client):
    UserFactory(email="taken@example.com")

    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "TAKEN@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD + "x",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "The two password fields didn’t match.")
    assertContains(response, "An account with this email address already exists.")
    assert User.objects.count() == 2  # the operator and the existing user


def test_add_user_applies_the_password_validators(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "weak@example.com", "password1": "123", "password2": "123"},
    )

    assertContains(response, "This password is too short.")
    assert not User.objects.filter(email="weak@example.com").exists()


def test_change_page_edits_flags_and_groups_not_the_hash(admin_client):
    user = UserFactory(email="ann@example.com")
    mark_email_verified(user)

    page = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    flags = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
    for field in flags:
        assertContains(page, f'name="{field}"')
    assertNotContains(page, 'name="password"')

    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "email": "ann@example.com",
            "is_active": "on",
            "is_staff": "on",
            **email_address_inline(user, verified=False),
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.is_staff
    # The operator set the address unverified: log-in now asks for verification.
    assert not EmailAddress.objects.get(user=user).verified


def email_address_inline(user, *, verified: bool) -> dict:
    """The POST data of the user page's email-address inline, for its one row."""
    address = EmailAddress.objects.get(user=user)
    prefix = "emailaddress_set"
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": str(address.pk),
        f"{prefix}-0-user": str(user.pk),
        f"{prefix}-0-email": address.email,
        f"{prefix}-0-primary": "on",
    }
    if verified:
        data[f"{prefix}-0-verified"] = "on"
    return data


def test_operator_sets_a_new_password(admin_client):
    user = UserFactory()
    url = reverse("admin:auth_user_password_change", args=[user.pk])

    response = admin_client.post(
        url,
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_deactivate_action_spares_the_operator(admin_client, admin_user):
    users = UserFactory.create_batch(2)

    run_action(admin_client, "deactivate", [*users, admin_user])

    assert not User.objects.filter(pk__in=[u.pk for u in users], is_active=True)
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_password_reset_action_emails_active_users(admin_client, mailoutbox):
    active = UserFactory(email="ann@example.com")
    inactive = UserFactory(email="gone@example.com", is_active=False)

    run_action(admin_client, "send_password_reset", [active, inactive])

    assert [mail.to for mail in mailoutbox] == [["ann@example.com"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_operators_see_api_tokens_but_never_their_secret(admin_client):
    user = UserFactory(email="ann@example.com")
    token, secret = AuthToken.objects.create(user=user)

    response = admin_client.get(reverse("admin:knox_authtoken_changelist"))

    assertContains(response, "ann@example.com")
    assertContains(response, token.token_key)
    # Only a digest is stored (it names the row in admin URLs); the secret is not.
    assertNotContains(response, secret)
    assert admin_client.get(reverse("admin:knox_authtoken_add")).status_code == 403


def test_operators_revoke_a_token_by_deleting_it(admin_client):
    user = UserFactory()
    token, secret = AuthToken.objects.create(user=user)
    kept, kept_secret = AuthToken.objects.create(user=user)

    response = admin_client.post(
        reverse("admin:knox_authtoken_changelist"),
        {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"},
    )

    assert response.status_code == HTTPStatus.FOUND
    with pytest.raises(AuthenticationFailed):
        TokenAuthentication().authenticate_credentials(secret.encode())
    authenticated, _ = TokenAuthentication().authenticate_credentials(
        kept_secret.encode()
    )
    assert authenticated == user
