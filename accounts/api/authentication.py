"""Token authentication for the API: django-rest-knox, refusing malformed keys early."""

from __future__ import annotations

import re

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from rest_framework import exceptions

#: The characters of the keys knox issues: hexadecimal, after an optional prefix.
TOKEN_KEY_RE = r"[0-9A-Za-z_-]"
TOKEN_PATTERN = re.compile(f"{TOKEN_KEY_RE}{{1,256}}".encode())


class TokenAuthentication(auth.TokenAuthentication):
    """knox's authentication; a key that cannot be a token is a 401 at once.

    knox decodes the key as UTF-8 and looks it up as given: a key in another encoding
    would be a 500, and one with a NUL byte a database error on PostgreSQL.
    """

    def authenticate_credentials(self, token: bytes):
        if not TOKEN_PATTERN.fullmatch(token):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(token)


class TokenScheme(KnoxTokenScheme):
    target_class = TokenAuthentication
