"""The account forms of our own pages (sign-up and log-in are allauth's)."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms

from accounts.models import User, normalize_email

LOCKED_MESSAGE = (
    "Too many failed log-in attempts. For your security, log-in is paused for a "
    "while; then try again."
)


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


class TwoFactorCodeForm(AuthenticateForm):
    """allauth's second-factor form, refusing while django-axes has locked the account.

    Wrong codes count as failed log-ins (accounts.credentials); once the account or
    the client is locked out, even the right code waits for the pause to end, as the
    right password does. Used by the log-in's two-factor step and the API.
    """

    def clean_code(self) -> str:
        request = context.request
        if AxesProxyHandler.is_locked(
            request, credentials={"username": self.user.email}
        ):
            raise forms.ValidationError(LOCKED_MESSAGE, code="locked_out")
        return super().clean_code()


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's reset request, mailing the address as it is stored.

    allauth looks the account up by the normalised address but mails the one typed: a
    look-alike (`ſam@…`, a full-width letter, an invisible character) would get the
    reset link for the real account. Here the address is the normalised one throughout.
    """

    def clean_email(self) -> str:
        super().clean_email()
        return normalize_email(self.cleaned_data["email"])
