"""What changing a credential does to the user's other ways in (security, item 2).

A password change, set or reset, and adding a second factor (TOTP, a security key or
passkey), revoke every API token of the user and end every other signed-in session.
The session that made the change stays signed in (allauth re-keys it).

Wrong two-factor codes count as failed log-ins for django-axes, as wrong passwords do:
the account and the client are locked out for a while after LOGIN_FAILURE_LIMIT of
them, wherever they are typed (log-in page, admin, API).
"""

from __future__ import annotations

from typing import Any

from allauth.usersessions.models import UserSession
from django.contrib.auth import user_login_failed
from django.http import HttpRequest

from accounts.models import User
from accounts.tokens import revoke_all_tokens


def end_other_sessions(request: HttpRequest | None, user: User) -> int:
    """End every recorded session of `user` except the one of `request`."""
    current = getattr(getattr(request, "session", None), "session_key", None)
    ended = 0
    for user_session in UserSession.objects.filter(user_id=user.pk):
        if current and user_session.session_key == current:
            continue
        user_session.end()
        ended += 1
    return ended


def revoke_other_access(request: HttpRequest | None, user: User) -> None:
    """Revoke `user`'s API tokens and end their other sessions."""
    revoke_all_tokens(user)
    end_other_sessions(request, user)


def on_password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any):
    revoke_other_access(request, user)


def on_authenticator_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any
):
    # Recovery codes come with the first factor; they open nothing new by themselves.
    if authenticator.type != "recovery_codes":
        revoke_other_access(request, user)


def on_mfa_authentication_failed(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """Tell django-axes about a wrong two-factor code, as about a wrong password."""
    user_login_failed.send(
        sender=User, credentials={"username": user.email}, request=request
    )


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs):
    """Record the session of a log-in (allauth.usersessions), for pages only.

    The API's token endpoint also sends `user_logged_in` (for `last_login` and
    django-axes), with no session to record.
    """
    session = getattr(request, "session", None)
    if session is None or not getattr(request, "user", None):
        return
    if not request.user.is_authenticated:
        return
    UserSession.objects.purge_and_list(user)
    UserSession.objects.create_from_request(request, user=user, session=session)
