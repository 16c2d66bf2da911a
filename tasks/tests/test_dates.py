"""Due dates as people say them (tasks/dates.py), around a fixed Monday."""

from datetime import date, timedelta

import pytest

from tasks.dates import exact_date, human_due

TODAY = date(2026, 12, 7)  # a Monday


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "Today"),
        (1, "Tomorrow"),
        (-1, "Yesterday"),
        (2, "Wednesday"),
        (6, "Sunday"),
        (7, "14 Dec"),
        (-2, "2 days overdue"),
        (-30, "30 days overdue"),
        (24, "31 Dec"),
        (25, "1 Jan 2027"),
    ],
)
def test_human_due_names_near_days_and_counts_overdue_ones(days, expected):
    assert human_due(TODAY + timedelta(days=days), TODAY) == expected


def test_a_done_tasks_past_date_is_a_date_not_overdue():
    assert human_due(TODAY - timedelta(days=3), TODAY, done=True) == "4 Dec"
    assert human_due(TODAY - timedelta(days=1), TODAY, done=True) == "Yesterday"


def test_a_date_of_another_year_shows_the_year_either_way():
    assert human_due(date(2025, 12, 1), TODAY, done=True) == "1 Dec 2025"
    assert human_due(date(2027, 12, 1), TODAY) == "1 Dec 2027"


def test_exact_date_is_the_full_date():
    assert exact_date(TODAY) == "Monday 7 December 2026"
