"""Whose task list a caller of the API may use."""

from __future__ import annotations

from django.contrib.auth import get_permission_codename
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from tasks.models import Task

#: What staff need, as in the admin, to use someone else's list: "view" to read it,
#: "add" to create a task in it.
READ, CREATE = "view", "add"


def task_permission(action: str) -> str:
    """Return Django's permission name for `action` on tasks ("tasks.view_task")."""
    opts = Task._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def owner_visible_to(user: User, owner_id: int, *, action: str = READ) -> User:
    """Return the user `owner_id` if `user` may `action` their list.

    A user may always use their own list. Someone else's needs staff status and the
    admin's permission for `action` (superusers have them all). Anybody else gets a
    404, as for an account that does not exist.
    """
    if user.pk == owner_id:
        return user
    if not (user.is_staff and user.has_perm(task_permission(action))):
        raise Http404
    return get_object_or_404(User, pk=owner_id)
