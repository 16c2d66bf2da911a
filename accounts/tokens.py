"""API tokens of a user (django-rest-knox): issue, list, revoke, expire.

The settings page, the API's account endpoints and the admin all go through here; the
API's authentication class only authenticates. knox stores a digest of each token,
never the key, which is shown to its user once, when it is created.
"""

from __future__ import annotations

import re

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import User

#: The characters of the keys knox issues: hexadecimal, after an optional prefix.
TOKEN_KEY_RE = r"[0-9A-Za-z_-]"
#: Session key holding a new token's key until the settings page has shown it once.
NEW_TOKEN_SESSION_KEY = "api_token_new"


def tokens_of(user: User) -> QuerySet[AuthToken]:
    """Return `user`'s tokens, newest first (expired ones included until deleted)."""
    return AuthToken.objects.filter(user=user).order_by("-created")


def delete_expired_tokens(user: User) -> None:
    """Delete `user`'s tokens that have expired (they no longer authenticate anyway)."""
    tokens_of(user).filter(expiry__lt=timezone.now()).delete()


def live_tokens(user: User) -> QuerySet[AuthToken]:
    """Return `user`'s tokens that still authenticate, newest first."""
    delete_expired_tokens(user)
    return tokens_of(user)


def create_token(user: User, *, prefix: str = "") -> tuple[AuthToken, str]:
    """Issue `user` a new token, deleting their expired ones first.

    Return the token and its key, which is shown once and never stored.
    """
    delete_expired_tokens(user)
    return AuthToken.objects.create(user=user, prefix=prefix)


def revoke_token(user: User, token_key: str) -> bool:
    """Revoke `user`'s token whose key starts with `token_key`; False if none."""
    if not re.fullmatch(f"{TOKEN_KEY_RE}+", token_key):  # PostgreSQL refuses NULs
        return False
    deleted, _ = tokens_of(user).filter(token_key=token_key).delete()
    return bool(deleted)


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
