"""The daily digest: one mail per user and local day with their tasks that are due.

`python manage.py send_digests` runs this (a scheduler calls it, e.g. hourly). Each
opted-in user whose local day has a digest to give (overdue tasks, tasks due today or
tomorrow) gets one mail that day, in their own time zone, from DIGEST_HOUR on. The
local date is recorded only after the mail went out, inside a transaction that holds
the user's preferences row: a run that fails to send leaves nothing recorded, so the
next run tries again, and two runs at once never both send (the second skips the
locked row).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from tasks.calendar import site_url
from tasks.models import Preferences, Task

logger = logging.getLogger(__name__)

#: Makes unsubscribe links good for that one purpose only.
UNSUBSCRIBE_SALT = "tasks.digests.unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    """Return the signed token of the digest's unsubscribe link for user `user_id`."""
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user_id(token: str) -> int | None:
    """Return the user id that `token` unsubscribes, or None if it is not genuine."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return user_id if isinstance(user_id, int) else None


def unsubscribe_url(user_id: int) -> str:
    """Return the absolute one-click unsubscribe link of user `user_id`."""
    return site_url(
        reverse("tasks:unsubscribe", kwargs={"token": unsubscribe_token(user_id)})
    )


@dataclass
class Digest:
    """What one user's mail of one day lists."""

    today: date
    overdue: list[Task] = field(default_factory=list)
    due_today: list[Task] = field(default_factory=list)
    due_tomorrow: list[Task] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_today or self.due_tomorrow)

    def subject(self) -> str:
        """Return the mail's subject line: how many tasks in each group."""
        parts = [
            f"{len(tasks)} {label}"
            for tasks, label in (
                (self.overdue, "overdue"),
                (self.due_today, "due today"),
                (self.due_tomorrow, "due tomorrow"),
            )
            if tasks
        ]
        day = f"{self.today:%A} {self.today.day} {self.today:%B}"
        return f"Your tasks for {day}: {', '.join(parts)}"


def digest_for(preferences: Preferences, today: date) -> Digest:
    """Return the digest of `preferences`' user on their local day `today`."""
    digest = Digest(today=today)
    tomorrow = today + timedelta(days=1)
    for task in Task.objects.for_user(preferences.user_id).due_by(tomorrow):
        if task.due_date < today:
            digest.overdue.append(task)
        elif task.due_date == today:
            digest.due_today.append(task)
        else:
            digest.due_tomorrow.append(task)
    return digest


def digest_message(preferences: Preferences, digest: Digest) -> EmailMultiAlternatives:
    """Return the mail of `digest` to `preferences`' user: text, HTML, unsubscribe."""
    unsubscribe = unsubscribe_url(preferences.user_id)
    context = {
        "digest": digest,
        "groups": [
            ("Overdue", digest.overdue),
            ("Due today", digest.due_today),
            ("Due tomorrow", digest.due_tomorrow),
        ],
        "site_url": settings.SITE_URL,
        "tasks_url": site_url(reverse("tasks:list")),
        "settings_url": site_url(reverse("accounts:settings")),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMultiAlternatives(
        subject=digest.subject(),
        body=render_to_string("tasks/email/digest.txt", context),
        to=[preferences.user.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs offer a one-click unsubscribe.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("tasks/email/digest.html", context), "text/html"
    )
    return message


@dataclass
class DigestRun:
    """What one run of send_digests() did."""

    sent: int = 0
    failed: int = 0


def send_digests(*, now: datetime) -> DigestRun:
    """Send each opted-in user their digest of their local day, unless already sent."""
    run = DigestRun()
    user_ids = (
        Preferences.objects.filter(digest_enabled=True, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    for user_id in list(user_ids):
        try:
            if _send_digest(user_id, now=now):
                run.sent += 1
        except Exception:
            # Nothing was recorded for this user: the next run tries again.
            logger.exception("The digest of user %s was not sent.", user_id)
            run.failed += 1
    return run


@transaction.atomic
def _send_digest(user_id: int, *, now: datetime) -> bool:
    """Send user `user_id` their digest of today if due; return True if sent."""
    preferences = (
        Preferences.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .filter(user_id=user_id, digest_enabled=True, user__is_active=True)
        .first()
    )
    if preferences is None:  # opted out meanwhile, or another run holds it
        return False
    local_now = now.astimezone(preferences.zone())
    if local_now.hour < settings.DIGEST_HOUR:
        return False
    today = local_now.date()
    last_sent = preferences.digest_last_sent_on
    if last_sent is not None and last_sent >= today:
        return False
    digest = digest_for(preferences, today)
    if not digest:
        return False
    digest_message(preferences, digest).send()
    preferences.digest_last_sent_on = today
    preferences.save(update_fields=["digest_last_sent_on"])
    return True
