"""How allauth treats our accounts: one email normalisation, our client address."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from accounts.lockout import client_ip
from accounts.models import has_verified_email, normalize_email


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Return `email` as every path stores it (accounts.models.normalize_email)."""
        return normalize_email(super().clean_email(email))

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client as django-axes sees it (behind TRUSTED_PROXY_COUNT proxies)."""
        return client_ip(request) or super().get_client_ip(request)

    def get_password_change_redirect_url(self, request: HttpRequest) -> str:
        """Back to the settings page, where the change was started."""
        return reverse("accounts:settings")

    def pre_login(self, request: HttpRequest, user, **kwargs):
        """Before allauth asks for verification: accounts made outside sign-up (by
        operators, adopted, older than verification) count as verified."""
        has_verified_email(user)
        return super().pre_login(request, user, **kwargs)
