"""Input and output of the account endpoints: register, token, me."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import lazy
from rest_framework import serializers

from accounts.models import User, normalize_email
from api.fields import StrictCharField, StrictEmailField

#: Longer passwords are refused before any hashing work is spent on them.
PASSWORD_MAX_LENGTH = 4096


class PasswordField(StrictCharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("max_length", PASSWORD_MAX_LENGTH)
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(**kwargs)


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "email", "created_at")
        read_only_fields = fields


def password_rules() -> str:
    """Return the site's password rules, as Django's validators describe them."""
    return " ".join(password_validation.password_validators_help_texts())


class RegisterSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=255)
    password = PasswordField(help_text=lazy(password_rules, str)())

    def validate_email(self, value: str) -> str:
        # Whether the address is taken is never said (see accounts.api.views).
        return normalize_email(value)

    def validate(self, attrs: dict) -> dict:
        try:
            password_validation.validate_password(
                attrs["password"], user=User(email=attrs["email"])
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


class AcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenCreateSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=255)
    password = PasswordField()
    code = StrictCharField(
        required=False,
        max_length=64,
        help_text="With two-factor authentication on: a code from the authenticator "
        "app, or one of the recovery codes (each works once).",
    )

    def validate_email(self, value: str) -> str:
        return normalize_email(value)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>`. It is shown only once."
    )
    expiry = serializers.DateTimeField(
        allow_null=True, help_text="When the token stops working; null: never."
    )
