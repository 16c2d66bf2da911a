"""Due dates as people say them: "Today", "Tomorrow", "Friday", "3 days overdue"."""

from __future__ import annotations

from datetime import date

from django.utils import dateformat


def exact_date(day: date) -> str:
    """Return `day` in full, for a tooltip: "Monday 7 December 2026"."""
    return dateformat.format(day, "l j F Y")


def short_date(day: date, today: date) -> str:
    """Return `day` briefly, with its year only when it is not this year's."""
    return dateformat.format(day, "j M" if day.year == today.year else "j M Y")


def human_due(due: date, today: date, *, done: bool = False) -> str:
    """Return when a task is due, relative to `today`.

    Today, Tomorrow and Yesterday by name, the next days of the coming week by their
    weekday, an open task's older due date as "N days overdue"; anything else (or a
    done task's past date) as a short date, with the year only when it is not this one.
    """
    days = (due - today).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Tomorrow"
    if days == -1:
        return "Yesterday"
    if 1 < days < 7:
        return dateformat.format(due, "l")
    if days < -1 and not done:
        return f"{-days} days overdue"
    return short_date(due, today)
