"""The Undo button of the message shown after a task is moved to the trash."""

from __future__ import annotations

from django import template
from django.contrib.messages.storage.base import Message

register = template.Library()

UNDO_PREFIX = "undo-task-"


def undo_tag(task_id: int) -> str:
    """Return the message tag that offers to restore the task `task_id`."""
    return f"{UNDO_PREFIX}{task_id}"


@register.filter
def undo_task_id(message: Message) -> int | None:
    """Return the id of the task the message offers to restore, if any."""
    for tag in message.extra_tags.split():
        if tag.startswith(UNDO_PREFIX) and tag[len(UNDO_PREFIX) :].isdigit():
            return int(tag[len(UNDO_PREFIX) :])
    return None
