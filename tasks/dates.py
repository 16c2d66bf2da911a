"""Due dates as people say them: "Today", "Tomorrow", "Friday", "3 days overdue"."""

from __future__ import annotations

from datetime import date

# English names (the product is English-only), whatever the process locale. Formatting
# by hand costs the list page less than Django's dateformat, twice per task.
WEEKDAYS = (
    *("Monday", "Tuesday", "Wednesday", "Thursday"),
    *("Friday", "Saturday", "Sunday"),
)
MONTHS = (
    "",
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
SHORT_MONTHS = tuple(month[:3] for month in MONTHS)


def exact_date(day: date) -> str:
    """Return `day` in full, for a tooltip: "Monday 7 December 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month]} {day.year}"


def short_date(day: date, today: date) -> str:
    """Return `day` briefly, with its year only when it is not this year's."""
    text = f"{day.day} {SHORT_MONTHS[day.month]}"
    return text if day.year == today.year else f"{text} {day.year}"


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
        return WEEKDAYS[due.weekday()]
    if days < -1 and not done:
        return f"{-days} days overdue"
    return short_date(due, today)
