"""Token authentication for the API: django-rest-knox, refusing malformed keys early."""

from __future__ import annotations

import re

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.models import AuthToken
from rest_framework import exceptions

from accounts.tokens import TOKEN_KEY_RE, record_use

TOKEN_PATTERN = re.compile(f"{TOKEN_KEY_RE}{{1,256}}".encode())


class TokenAuthentication(auth.TokenAuthentication):
    """knox's authentication; a key that cannot be a token is a 401 at once.

    knox decodes the key as UTF-8 and looks it up as given: a key in another encoding
    would be a 500, and one with a NUL byte a database error on PostgreSQL.
    """

    def authenticate_credentials(self, token: bytes):
        if not TOKEN_PATTERN.fullmatch(token):
            raise exceptions.AuthenticationFailed("Invalid token.")
        user, auth_token = super().authenticate_credentials(token)
        record_use(auth_token)
        return user, auth_token

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        """Delete the token presented if it has expired (then it does not count).

        knox also reads every other token of the user on every request, to delete the
        expired ones. Those are deleted when the user's tokens are listed or one is
        created instead (`accounts.tokens`).
        """
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    target_class = TokenAuthentication
