"""Token authentication for the API: django-rest-knox's tokens, read in one statement.

Every API request passes here, so the lookup is one statement: the tokens
whose public prefix (`token_key`) matches, each with its owner, as knox's own
`filter(token_key=…).select_related("user")` reads them, without building and
compiling that query anew for every request. The statement is written once per
process from the two models' fields (`TokenLookup`); its rows become an `AuthToken`
and a `User` as the ORM would load them (the backend's converters, `Model.from_db`).
"""

from __future__ import annotations

import binascii
import functools
import re
from hmac import compare_digest

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from accounts.models import User
from accounts.tokens import TOKEN_KEY_RE, record_use

TOKEN_PATTERN = re.compile(f"{TOKEN_KEY_RE}{{1,256}}".encode())


class TokenLookup:
    """The statement that reads the tokens of one `token_key`, each with its owner
    (the token's columns, then the user's, in the models' field order), and how
    its rows become model instances on one database."""

    MODELS = ((AuthToken, "token"), (User, "owner"))

    def __init__(self, alias: str) -> None:
        self.alias = alias
        connection = connections[alias]
        quote = connection.ops.quote_name
        token, user = AuthToken._meta, User._meta
        self.columns = [
            field.get_col(table)
            for model, table in self.MODELS
            for field in model._meta.concrete_fields
        ]
        selected = ", ".join(
            f"{quote(column.alias)}.{quote(column.target.column)}"
            for column in self.columns
        )
        self.sql = (
            f"SELECT {selected} FROM {quote(token.db_table)} AS {quote('token')} "
            f"INNER JOIN {quote(user.db_table)} AS {quote('owner')} "
            f"ON {quote('owner')}.{quote(user.pk.column)} = "
            f"{quote('token')}.{quote(token.get_field('user').column)} "
            f"WHERE {quote('token')}.{quote(token.get_field('token_key').column)} = %s"
        )
        # What the ORM would apply to each column's value (SQLite's datetimes, say).
        self.converters = [
            (index, column, converters)
            for index, column in enumerate(self.columns)
            if (
                converters := connection.ops.get_db_converters(column)
                + column.get_db_converters(connection)
            )
        ]

    def tokens(self, token_key: str) -> list[AuthToken]:
        """Return the tokens whose public prefix is `token_key`, each with its
        `user` loaded (one query)."""
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [token_key])
            rows = cursor.fetchall()
        found = []
        for row in rows:
            values = list(row)
            for index, column, converters in self.converters:
                for converter in converters:
                    values[index] = converter(values[index], column, connection)
            split = len(AuthToken._meta.concrete_fields)
            token = AuthToken.from_db(self.alias, None, values[:split])
            token.user = User.from_db(self.alias, None, values[split:])
            found.append(token)
        return found


@functools.cache
def token_lookup(alias: str) -> TokenLookup:
    """Return the token lookup of database `alias`, written once per process."""
    return TokenLookup(alias)


class TokenAuthentication(auth.TokenAuthentication):
    """knox's tokens and rules; a key that cannot be a token is a 401 at once.

    As knox: the key's first characters find the candidate tokens, its hash must
    equal one's digest, an expired token is deleted and does not count, and an
    inactive owner is refused. knox decodes the key as UTF-8 and looks it up as
    given: a key in another encoding would be a 500, and one with a NUL byte a
    database error on PostgreSQL, hence the pattern first. knox also reads every
    other token of the user on every request, to delete the expired ones; those are
    deleted when the user's tokens are listed or one is created instead
    (`accounts.tokens`).
    """

    def authenticate_credentials(self, token: bytes) -> tuple[User, AuthToken]:
        invalid = exceptions.AuthenticationFailed(_("Invalid token."))
        if not TOKEN_PATTERN.fullmatch(token):
            raise invalid
        key = token.decode()
        try:
            digest = hash_token(key)
        except (TypeError, binascii.Error) as error:
            raise invalid from error
        lookup = token_lookup(router.db_for_read(AuthToken))
        for auth_token in lookup.tokens(key[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                break
            if knox_settings.AUTO_REFRESH and auth_token.expiry:
                self.renew_token(auth_token)
            user, auth_token = self.validate_user(auth_token)
            record_use(auth_token)
            return user, auth_token
        raise invalid


class TokenScheme(KnoxTokenScheme):
    target_class = TokenAuthentication
