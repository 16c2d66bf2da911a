"""API tokens of a user (django-rest-knox): issue, list, revoke, expire.

The settings page, the API's account endpoints and the admin all go through here; the
API's authentication class only authenticates. knox stores a digest of each token,
never the key, which is shown to its user once, when it is created.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from knox.models import AuthToken

from accounts.models import TokenUse, User

#: The characters of the keys knox issues: hexadecimal, after an optional prefix.
TOKEN_KEY_RE = r"[0-9A-Za-z_-]"
#: Session key holding a new token's key until the settings page has shown it once.
NEW_TOKEN_SESSION_KEY = "api_token_new"
#: How precisely a token's last use is known: each process writes it at most once in
#: this many seconds per token, so an API request almost never pays for the write.
TOKEN_USE_RESOLUTION = 300

#: When this process last wrote each token's use (by digest). Only an economy: a new
#: process, or another machine, writes again, which is harmless.
_uses_written: dict[str, float] = {}
HANDLE_SALT = "accounts.tokens.token_handle"


def tokens_of(user: User) -> QuerySet[AuthToken]:
    """Return `user`'s tokens, newest first (expired ones included until deleted)."""
    return AuthToken.objects.filter(user=user).order_by("-created")


def delete_expired_tokens(user: User) -> None:
    """Delete `user`'s tokens that have expired (they no longer authenticate anyway)."""
    tokens_of(user).filter(expiry__lt=timezone.now()).delete()


def live_tokens(user: User) -> QuerySet[AuthToken]:
    """Return `user`'s tokens that still authenticate, newest first, with their use."""
    delete_expired_tokens(user)
    return tokens_of(user).select_related("use")


def record_use(token: AuthToken) -> None:
    """Record that `token` authenticated a request now (see TOKEN_USE_RESOLUTION)."""
    now = time.monotonic()
    if (
        now - _uses_written.get(token.digest, -TOKEN_USE_RESOLUTION)
        < TOKEN_USE_RESOLUTION
    ):
        return
    TokenUse.objects.bulk_create(
        [TokenUse(token=token, last_used_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["token"],
        update_fields=["last_used_at"],
    )
    _uses_written[token.digest] = now


class TokenLimitReached(Exception):
    """The user holds as many live tokens as an account may (API_TOKEN_LIMIT)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"You have {limit} API tokens, the most an account may hold. Revoke one "
            "you no longer use, then create a new one."
        )


def create_token(user: User, *, prefix: str = "") -> tuple[AuthToken, str]:
    """Issue `user` a new token, deleting their expired ones first.

    Return the token and its key, which is shown once and never stored. Raise
    TokenLimitReached when the user already holds API_TOKEN_LIMIT live tokens.
    """
    limit = settings.API_TOKEN_LIMIT
    with transaction.atomic():
        # The user's row locked: two creations at once cannot both take the last place.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        delete_expired_tokens(user)
        if tokens_of(user).count() >= limit:
            raise TokenLimitReached(limit)
        return AuthToken.objects.create(user=user, prefix=prefix)


def token_handle(token: AuthToken) -> str:
    """Return the name by which the settings page revokes `token`.

    Unique to the token, unlike the key's first characters, which two tokens may
    share; derived from its digest with the site's secret, so the page shows neither
    the digest nor anything that leads to the key.
    """
    return salted_hmac(HANDLE_SALT, token.digest, algorithm="sha256").hexdigest()[:32]


def revoke_token(user: User, handle: str) -> bool:
    """Revoke `user`'s token whose `token_handle()` is `handle`; False if none."""
    if not isinstance(handle, str) or not re.fullmatch(r"[0-9a-f]{32}", handle):
        return False
    # At most API_TOKEN_LIMIT tokens to look through.
    for token in tokens_of(user):
        if constant_time_compare(token_handle(token), handle):
            token.delete()
            return True
    return False


def revoke_all_tokens(user: User) -> int:
    """Revoke every token of `user`; return how many there were."""
    deleted, _ = tokens_of(user).delete()
    return deleted


def remember_new_token(session: SessionBase, key: str) -> None:
    """Keep a new token's key in `session` until the settings page shows it."""
    session[NEW_TOKEN_SESSION_KEY] = key


def pop_new_token(session: SessionBase) -> str:
    """Return the key of a token created just now, once, and forget it."""
    return session.pop(NEW_TOKEN_SESSION_KEY, "")
