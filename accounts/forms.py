"""The account forms of our own pages (sign-up and log-in are allauth's)."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import User


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
