"""An "Undo" button in the message area, offered after an action that can be reversed.

A view that has just done something reversible calls `offer_undo()` with the form
that reverses it (where it posts and its hidden fields); the next page rendered shows
that form next to the messages, once. Completing a task offers its previous status;
a delete that moves tasks to a trash can offer the restore the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from django.http import HttpRequest

SESSION_KEY = "undo_offer"


class UndoOffer(TypedDict):
    """A form that reverses the last action: it posts `fields` to `action`."""

    action: str
    fields: dict[str, str]
    label: str  # what the button says, e.g. "Undo"
    description: str  # what it undoes, for screen readers: "Undo completing “Rent”"


def offer_undo(
    request: HttpRequest,
    *,
    action: str,
    fields: dict[str, str],
    description: str,
    label: str = "Undo",
) -> None:
    """Show an Undo form on the next page: posting `fields` to `action` reverses."""
    request.session[SESSION_KEY] = UndoOffer(
        action=action, fields=fields, label=label, description=description
    )


def undo_offer(request: HttpRequest) -> dict[str, Callable[[], UndoOffer | None]]:
    """Context processor: `undo_offer`, taken from the session when a page shows it."""

    def pop() -> UndoOffer | None:
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return None
        return session.pop(SESSION_KEY)

    return {"undo_offer": pop}
