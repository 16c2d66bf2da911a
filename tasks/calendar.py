"""The private calendar feed: a user's dated tasks as an iCalendar file (RFC 5545).

Calendar apps subscribe to /calendar/<secret>.ics without logging in, so the secret in
the URL is the only key: it is long and random, only its SHA-256 is stored (like API
tokens), and regenerating it on the settings page makes the old URL a 404 at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from tasks.models import Preferences, Task, calendar_secret_hash


def site_url(path: str) -> str:
    """Return the absolute URL of `path` on this site (SITE_URL), for use anywhere."""
    return settings.SITE_URL + path


def calendar_url(secret: str) -> str:
    """Return the address of the calendar feed with `secret`."""
    return site_url(reverse("calendar:feed", kwargs={"token": secret}))


def task_calendar(tasks: Iterable[Task], *, now: datetime) -> bytes:
    """Return `tasks` as an iCalendar document: one all-day event per due date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Todo//Tasks//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Todo")
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    for task in tasks:
        event = Event()
        # Stable across downloads, so calendar apps update the event in place.
        event.add("uid", f"task-{task.pk}@{host}")
        event.add("dtstamp", now)
        event.add("last-modified", task.updated_at)
        event.add("dtstart", task.due_date)
        event.add("dtend", task.due_date + timedelta(days=1))
        done = task.status == Task.Status.COMPLETED
        event.add("summary", f"✓ {task.title}" if done else task.title)
        status_line = f"Status: {task.get_status_display()}"
        event.add(
            "description",
            f"{status_line}\n\n{task.description}" if task.description else status_line,
        )
        event.add("url", site_url(task.get_absolute_url()))
        event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
        calendar.add_component(event)
    return calendar.to_ical()


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """Answer the calendar of the user whose feed secret is `token`, or 404."""
    preferences = (
        Preferences.objects.filter(calendar_secret_hash=calendar_secret_hash(token))
        .only("user_id")
        .first()
    )
    if preferences is None:
        raise Http404("No such calendar.")
    tasks = Task.objects.for_user(preferences.user_id).dated()
    response = HttpResponse(
        task_calendar(tasks, now=timezone.now()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="todo.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
