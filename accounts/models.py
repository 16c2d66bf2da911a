"""The user account: email is the login, on the original `users` table."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower, Now, Trim
from django.utils import timezone

from accounts.emails import normalize_email
from accounts.hashers import LEGACY_BCRYPT_PREFIXES, LegacyBCryptPasswordHasher


def mark_email_verified(user: User, *, using: str | None = None) -> None:
    """Record `user`'s address as verified and primary (allauth's EmailAddress)."""
    # Imported here: allauth's models load the user model, which is defined below.
    from allauth.account.models import EmailAddress

    EmailAddress.objects.using(using).update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def has_verified_email(user: User) -> bool:
    """Return whether `user`'s address is verified.

    An account with no address record at all was made outside sign-up (by an operator,
    by the original application, before verification existed): it counts as verified,
    and is recorded so.
    """
    from allauth.account.models import EmailAddress  # as in mark_email_verified

    addresses = EmailAddress.objects.filter(user=user)
    if addresses.filter(email=user.email, verified=True).exists():
        return True
    if user.email and not addresses.exists():
        mark_email_verified(user)
        return True
    return False


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """Return `email` normalised (accounts.emails), the local part included."""
        return normalize_email(email)

    def get_by_natural_key(self, username: str | None) -> User:
        """Return the user with this email, whatever its letter case."""
        return self.get(email=normalize_email(username))

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        """Create and return a user with a hashed password and a verified address.

        Accounts made this way (admin, createsuperuser, shell, fixtures) are made by
        operators, who vouch for the address. Sign-up through the site never comes here
        (allauth saves its new users itself) and has to verify the address by a link.
        """
        email = normalize_email(email)
        if not email:
            raise ValueError("Users must have an email address.")
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        mark_email_verified(user, using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        """Create and return a user with staff and superuser rights."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if extra["is_staff"] is not True or extra["is_superuser"] is not True:
            raise ValueError(
                "A superuser must have is_staff=True and is_superuser=True."
            )
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.AutoField(primary_key=True)
    email = models.EmailField(
        "email address",
        max_length=255,
        unique=True,
        error_messages={"unique": "An account with this email address already exists."},
    )
    password = models.CharField("password", max_length=255, db_column="password_hash")
    created_at = models.DateTimeField(
        "created", default=timezone.now, db_default=Now(), editable=False
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        db_default=True,
        help_text="Unselect this instead of deleting the account: it blocks log-in.",
    )
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        db_default=False,
        help_text="Whether the user can log into the admin site.",
    )
    is_superuser = models.BooleanField(
        "superuser status",
        default=False,
        db_default=False,
        help_text="Whether the user has every permission without them being assigned.",
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        db_table = "users"
        verbose_name = "user"
        verbose_name_plural = "users"
        ordering = ["email"]
        constraints = [
            # With every email stored lower-cased, the unique index is case-insensitive.
            models.CheckConstraint(
                condition=models.Q(email=Lower(Trim("email"))),
                name="users_email_normalised",
                violation_error_message="Emails are stored trimmed and lower-cased.",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    def check_password(self, raw_password: str | None) -> bool:
        """Return True if `raw_password` is correct, original raw bcrypt hashes too.

        A hash written by the original application has no algorithm prefix; it is given
        one in memory here, and Django re-hashes the password with the first hasher on
        success (saving the new hash).
        """
        if self.password and self.password.startswith(LEGACY_BCRYPT_PREFIXES):
            self.password = f"{LegacyBCryptPasswordHasher.algorithm}${self.password}"
        return super().check_password(raw_password)


class TokenUse(models.Model):
    """When an API token last authenticated a request, to the nearest few minutes.

    knox records no use; `accounts.tokens.record_use` writes this row, at most once
    per token every `TOKEN_USE_RESOLUTION` seconds, so that the settings page can say
    which tokens are still in use without a write on every API request.
    """

    token = models.OneToOneField(
        "knox.AuthToken",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="use",
        db_column="token_digest",
    )
    last_used_at = models.DateTimeField("last used")

    class Meta:
        db_table = "api_token_uses"
        verbose_name = "API token use"

    def __str__(self) -> str:
        return f"{self.token_id[:8]}… used {self.last_used_at:%Y-%m-%d %H:%M}"
