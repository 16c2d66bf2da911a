"""The authentication backend allauth logs users in with, checking no password.

allauth signs a user in itself after sign-up, email verification and passkeys, naming
its own backend in the session. Passwords are checked by Django's ModelBackend alone
(behind django-axes), so a wrong password costs one hash, not two.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend


class AllauthLoginBackend(AuthenticationBackend):
    """allauth's backend for `login()` and permissions; `authenticate()` declines."""

    def authenticate(self, request, **credentials):  # type: ignore[override]
        return None
