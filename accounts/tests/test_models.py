"""The user model and manager: email login, normalisation, hashes old and new."""

import bcrypt
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from accounts.models import User

pytestmark = pytest.mark.django_db

REAL_HASHERS = django_settings.PASSWORD_HASHERS


def test_create_user_normalises_email_and_hashes_password():
    user = User.objects.create_user("  Ann.Smith@Example.COM ", "s3cret-pass")

    user.refresh_from_db()
    assert user.email == "ann.smith@example.com"
    assert user.password != "s3cret-pass"
    assert user.check_password("s3cret-pass")
    assert user.is_active
    assert not user.is_staff
    assert not user.is_superuser
    assert user.created_at is not None


def test_create_user_requires_an_email():
    with pytest.raises(ValueError):
        User.objects.create_user("", "pw")


def test_create_superuser_sets_flags():
    admin = User.objects.create_superuser("Boss@Example.com", "pw")

    assert admin.email == "boss@example.com"
    assert admin.is_staff
    assert admin.is_superuser


def test_create_superuser_refuses_non_staff():
    with pytest.raises(ValueError):
        User.objects.create_superuser("boss@example.com", "pw", is_staff=False)


def test_emails_differing_only_by_case_collide():
    User.objects.create_user("ann@example.com", "pw")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("ANN@example.com", "pw")
    assert User.objects.count() == 1


def test_model_validation_reports_duplicate_email_in_any_case():
    User.objects.create_user("ann@example.com", "pw")

    candidate = User(email="Ann@Example.com")
    candidate.set_password("pw")
    with pytest.raises(ValidationError) as excinfo:
        candidate.full_clean()
    assert excinfo.value.message_dict["email"] == [
        "An account with this email address already exists."
    ]


def test_save_normalises_email_on_every_path():
    user = User(email=" Mixed@Case.ORG ")
    user.set_password("pw")
    user.save()

    assert User.objects.get().email == "mixed@case.org"


def test_authenticate_by_email_in_any_case(user, password):
    request = RequestFactory().post("/")
    assert authenticate(request, username="ANN@example.COM", password=password) == user
    assert authenticate(request, username="ann@example.com", password="wrong") is None


def test_str_is_email(user):
    assert str(user) == "ann@example.com"


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS


def legacy_hash(password: str, prefix: bytes = b"2b") -> str:
    """Hash as the original application did (passlib: bcrypt of the first 72 bytes)."""
    return bcrypt.hashpw(
        password.encode()[:72], bcrypt.gensalt(4, prefix=prefix)
    ).decode()


def test_new_passwords_are_hashed_with_bcrypt_sha256(real_hashers):
    user = User.objects.create_user("ann@example.com", "s3cret-pass")
    assert user.password.startswith("bcrypt_sha256$$2b$12$")


@pytest.mark.parametrize("prefix", [b"2a", b"2b"])
def test_legacy_bcrypt_hash_logs_in_and_is_rehashed(real_hashers, prefix):
    user = User.objects.create_user("old@example.com")
    User.objects.filter(pk=user.pk).update(password=legacy_hash("old-password", prefix))

    request = RequestFactory().post("/")
    assert authenticate(request, username="old@example.com", password="wrong") is None
    assert User.objects.get(pk=user.pk).password.startswith(f"${prefix.decode()}$")

    assert (
        authenticate(request, username="OLD@example.com", password="old-password")
        == user
    )
    upgraded = User.objects.get(pk=user.pk).password
    assert upgraded.startswith("bcrypt_sha256$")
    assert User.objects.get(pk=user.pk).check_password("old-password")


def test_legacy_hash_of_a_password_over_72_bytes_verifies(real_hashers):
    long_password = "ü" * 40 + "tail"  # 84 bytes in UTF-8; cut inside a character at 72
    user = User.objects.create_user("long@example.com")
    User.objects.filter(pk=user.pk).update(password=legacy_hash(long_password))

    user = User.objects.get(pk=user.pk)
    assert user.check_password(long_password)
    assert User.objects.get(pk=user.pk).password.startswith("bcrypt_sha256$")
    assert User.objects.get(pk=user.pk).check_password(long_password)


def test_long_new_passwords_are_not_truncated(real_hashers):
    user = User.objects.create_user("long@example.com", "a" * 100)
    assert user.check_password("a" * 100)
    assert not user.check_password("a" * 72)


@pytest.mark.postgres
def test_database_refuses_an_email_that_is_not_normalised(user):
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO users (email, password_hash) VALUES ('Ann@Example.com', 'x')"
        )


def test_createsuperuser_command_works_with_email(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Very-long-pass-123")

    call_command("createsuperuser", "--noinput", "--email", "Admin@Example.com")

    admin = User.objects.get()
    assert admin.email == "admin@example.com"
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password("Very-long-pass-123")
