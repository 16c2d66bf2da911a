"""Repeat rules of tasks: when a repeating task is due next.

Only the due date is stored. A monthly task due on the 31st moves to the last day of a
shorter month (31 Jan → 28 Feb) and from there keeps that day (28 Feb → 28 Mar): the
date the user sees is the whole state, so moving a due date by hand moves the series.
A yearly task due on 29 February moves to 28 February in common years.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import models


class Repeat(models.TextChoices):
    DAILY = "daily", "Every day"
    WEEKDAYS = "weekdays", "Every weekday (Monday to Friday)"
    WEEKLY = "weekly", "Every week"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Every month"
    YEARLY = "yearly", "Every year"


#: Saturday and Sunday, as date.weekday() numbers them.
WEEKEND = (5, 6)


def add_months(day: date, months: int) -> date:
    """Return `day` moved by `months` months, on the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due_date(rule: str, due: date) -> date:
    """Return the first due date after `due` under repeat `rule` (a Repeat value)."""
    rule = Repeat(rule)  # ValueError for anything else
    if rule == Repeat.DAILY:
        return due + timedelta(days=1)
    if rule == Repeat.WEEKDAYS:
        following = due + timedelta(days=1)
        while following.weekday() in WEEKEND:
            following += timedelta(days=1)
        return following
    if rule == Repeat.WEEKLY:
        return due + timedelta(weeks=1)
    if rule == Repeat.BIWEEKLY:
        return due + timedelta(weeks=2)
    if rule == Repeat.MONTHLY:
        return add_months(due, 1)
    return add_months(due, 12)
