"""The account forms of the web pages: sign-up, log-in by email, account deletion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm

from accounts.models import User, normalize_email


class SignupForm(BaseUserCreationForm):
    """Create an account from an email address and a password typed twice."""

    class Meta:
        model = User
        fields = ("email",)
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_email(self) -> str:
        """Return the email normalised; refuse one already taken in any letter case."""
        email = normalize_email(self.cleaned_data.get("email"))
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                "An account with this email address already exists. "
                "Log in instead, or reset your password if you have forgotten it.",
                code="unique",
            )
        return email


class EmailAuthenticationForm(AuthenticationForm):
    """Django's log-in form, asking for the email (any letter case) as the username."""

    username = forms.EmailField(
        label="Email",
        max_length=255,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That email and password do not match an account. Check both and try "
            "again (the password is case-sensitive)."
        ),
    }


class DeleteAccountForm(forms.Form):
    """Confirm an account deletion with the account's current password."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        """Return the password if it is the account's; refuse it otherwise."""
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your current password. Your account was not deleted.",
                code="password_incorrect",
            )
        return password
