"""Registering through the API, answering the same for new and taken addresses."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from accounts.models import User


def register(request: HttpRequest, *, email: str, password: str) -> None:
    """Create an unverified account for `email` and mail it a verification link.

    When `email` already has an account, mail its owner instead (allauth's "someone
    tried to sign up" notice, with a link to reset the password). Call it inside
    `allauth.core.context.request_context(request)`.
    """
    user = User(email=email)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            address = EmailAddress.objects.create(
                user=user, email=user.email, verified=False, primary=True
            )
    except IntegrityError:  # the address has an account (maybe since a moment ago)
        get_adapter().send_account_already_exists_mail(email)
        return
    address.send_confirmation(request, signup=True)
