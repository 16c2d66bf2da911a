"""One spelling per email address, whatever the path (issue 13, item 5).

Addresses that look the same to a person (Unicode look-alikes, invisible characters,
an international domain and its IDNA form, letter case) are one account: attacked
from outside through sign-up on the pages and the API, log-in, password reset, the
admin and `createsuperuser`.
"""

from __future__ import annotations

import unicodedata
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.emails import DEFAULT_IGNORABLE_RE
from accounts.models import User, normalize_email

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual password 42"
REAL = "sam@example.com"
#: Each looks like REAL to a person reading it.
LOOK_ALIKES = [
    "ſam@example.com",  # LATIN SMALL LETTER LONG S: NFKC makes it "s"
    "sam@ｅxample.com",  # FULLWIDTH LATIN SMALL LETTER E
    "sam@example.com\u200b",  # ZERO WIDTH SPACE
    "s\u00adam@example.com",  # SOFT HYPHEN
    "sa\u200dm@exam\ufe0fple.com",  # ZERO WIDTH JOINER, VARIATION SELECTOR-16
    "\ufeffSAM@Example.COM",  # BYTE ORDER MARK, capitals
]
IDNA_PAIR = ("ann@bücher.de", "ann@xn--bcher-kva.de")


@pytest.mark.parametrize("look_alike", [*LOOK_ALIKES, IDNA_PAIR[0]])
def test_look_alikes_normalise_to_one_spelling(look_alike):
    real = IDNA_PAIR[1] if "bücher" in look_alike else REAL

    assert normalize_email(look_alike) == real
    assert normalize_email(normalize_email(look_alike)) == real


def test_non_strings_are_no_address():
    for value in (None, 42, 4.2, ["sam@example.com"], {"a": 1}, True):
        assert normalize_email(value) == ""


def test_the_ignorable_ranges_hold_only_characters_without_a_look():
    # Format, non-spacing mark, unassigned or filler characters: none renders.
    categories = {
        unicodedata.category(chr(code))
        for code in range(0x110000)
        if DEFAULT_IGNORABLE_RE.match(chr(code))
    }
    assert categories <= {"Cf", "Mn", "Cn", "Lo"}
    assert not DEFAULT_IGNORABLE_RE.search("sam@example.com-_+.")


def test_the_model_stores_and_finds_one_spelling():
    user = User.objects.create_user(IDNA_PAIR[0], PASSWORD)

    assert user.email == IDNA_PAIR[1]
    assert User.objects.get_by_natural_key("ANN@BÜCHER.DE") == user
    user.email = "ann@b\u200bücher.de"
    user.save()
    assert User.objects.get().email == IDNA_PAIR[1]


# Sign-up: no second account for a look-alike -----------------------------------------


@pytest.fixture
def real_user() -> User:
    return User.objects.create_user(REAL, PASSWORD)


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_api_sign_up_with_a_look_alike_makes_no_second_account(
    api_client, real_user, look_alike
):
    response = api_client.post(
        reverse("api:register"),
        {"email": look_alike, "password": PASSWORD},
        format="json",
    )

    assert response.status_code < 500
    assert response.status_code != HTTPStatus.CREATED
    assert list(User.objects.values_list("email", flat=True)) == [REAL]


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_web_sign_up_with_a_look_alike_makes_no_second_account(
    client, real_user, look_alike
):
    response = client.post(
        reverse("accounts:signup"),
        {"email": look_alike, "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code < 500
    assert list(User.objects.values_list("email", flat=True)) == [REAL]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("first, second", [IDNA_PAIR, IDNA_PAIR[::-1]])
def test_an_international_domain_and_its_idna_form_are_one_account(
    api_client, first, second
):
    url = reverse("api:register")
    created = api_client.post(url, {"email": first, "password": PASSWORD})
    again = api_client.post(url, {"email": second, "password": PASSWORD})

    assert created.status_code == HTTPStatus.ACCEPTED
    assert again.status_code == HTTPStatus.ACCEPTED
    assert list(User.objects.values_list("email", flat=True)) == [IDNA_PAIR[1]]


@pytest.mark.parametrize("look_alike", [*LOOK_ALIKES[:3], "SAM@EXAMPLE.COM"])
def test_a_look_alike_logs_in_to_the_one_account(api_client, real_user, look_alike):
    response = api_client.post(
        reverse("api:token"), {"email": look_alike, "password": PASSWORD}
    )

    assert response.status_code == HTTPStatus.OK
    me = api_client.get(
        reverse("api:me"), HTTP_AUTHORIZATION=f"Token {response.json()['token']}"
    )
    assert me.json()["id"] == real_user.pk


@pytest.mark.parametrize(
    "email", [42, ["sam@example.com"], {"email": "sam@example.com"}, None, True]
)
@pytest.mark.parametrize("route", ["api:register", "api:token"])
def test_a_non_string_email_is_a_400_not_a_500(api_client, real_user, route, email):
    response = api_client.post(
        reverse(route), {"email": email, "password": PASSWORD}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "email" in response.json()


# Password reset: never to another account -----


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_password_reset_for_a_look_alike_mails_no_other_account(
    client, api_client, real_user, look_alike
):
    # The attacker first tries to register the look-alike...
    api_client.post(
        reverse("api:register"), {"email": look_alike, "password": "x" * 20}
    )
    # ...then asks for its password reset.
    response = client.post(reverse("accounts:password_reset"), {"email": look_alike})

    assert response.status_code < 500
    assert User.objects.count() == 1
    # Nothing, or the one account's owner at the address stored for it.
    assert all(message.to == [REAL] for message in mail.outbox)


# Operators: the admin and createsuperuser -----


@pytest.mark.parametrize("look_alike", LOOK_ALIKES[:3])
def test_admin_add_refuses_a_look_alike_of_an_existing_account(
    admin_client, real_user, look_alike
):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": look_alike, "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == HTTPStatus.OK
    assert "already exists" in response.content.decode()
    assert not User.objects.filter(email__startswith="sam@").exclude(pk=real_user.pk)


def test_admin_change_stores_the_one_spelling_and_refuses_a_look_alike(
    admin_client, real_user
):
    other = User.objects.create_user("other@example.com", PASSWORD)
    url = reverse("admin:accounts_user_change", args=[other.pk])
    form = {
        "is_active": "on",
        "date_joined": "",
        "last_login_0": "",
        "last_login_1": "",
        # The addresses inline (allauth's records), left as it is.
        "emailaddress_set-TOTAL_FORMS": "0",
        "emailaddress_set-INITIAL_FORMS": "0",
    }

    taken = admin_client.post(url, {**form, "email": "ſam@example.com"})
    renamed = admin_client.post(url, {**form, "email": "Other@Bücher.de"})

    assert taken.status_code == HTTPStatus.OK
    assert "already exists" in taken.content.decode()
    assert renamed.status_code == HTTPStatus.FOUND
    other.refresh_from_db()
    assert other.email == "other@xn--bcher-kva.de"


def test_createsuperuser_refuses_a_look_alike_and_stores_one_spelling(
    real_user, monkeypatch
):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    with pytest.raises(CommandError, match="already taken"):
        call_command("createsuperuser", email="ſam@ｅxample.com", interactive=False)
    call_command("createsuperuser", email="Root@Bücher.de", interactive=False)

    assert User.objects.get(is_superuser=True).email == "root@xn--bcher-kva.de"
