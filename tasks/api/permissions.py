"""Whose task list a caller of the API may use."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User


def owner_visible_to(user: User, owner_id: int) -> User:
    """Return the user `owner_id` if `user` may see their list (themselves, or staff).

    Anybody else gets a 404, as for an account that does not exist.
    """
    if user.pk == owner_id:
        return user
    if not user.is_staff:
        raise Http404
    return get_object_or_404(User, pk=owner_id)
