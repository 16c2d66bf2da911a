"""The daily digest mail: who gets what, once per local day, and unsubscribing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from tasks.digests import unsubscribe_token
from tasks.models import Preferences, Task
from tasks.tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


class Clock:
    """A frozen django.utils.timezone.now() that a test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch, settings) -> Clock:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://todo.example.com"
    settings.DIGEST_HOUR = 7
    frozen = Clock(datetime(2027, 3, 10, 8, 0, tzinfo=UTC))  # a Wednesday
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


def opted_in(user, time_zone: str = "UTC") -> Preferences:
    return Preferences.objects.create(
        user=user, digest_enabled=True, time_zone=time_zone
    )


def send() -> None:
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_digest_lists_overdue_today_and_tomorrow_of_its_recipient_only(
    clock, user, other_user
):
    opted_in(user)
    opted_in(other_user)
    late = TaskFactory(user=user, title="Late report", due_date=date(2027, 3, 8))
    TaskFactory(user=user, title="Call Bea", due_date=date(2027, 3, 10))
    TaskFactory(user=user, title="Buy cake", due_date=date(2027, 3, 11))
    TaskFactory(user=user, title="Next week", due_date=date(2027, 3, 17))
    TaskFactory(
        user=user, title="Done", due_date=date(2027, 3, 9), status=Task.Status.COMPLETED
    )
    TaskFactory(user=other_user, title="Bob's errand", due_date=date(2027, 3, 10))

    send()

    assert len(mail.outbox) == 2
    [ann] = [m for m in mail.outbox if m.to == ["ann@example.com"]]
    assert ann.subject == (
        "Your tasks for Wednesday 10 March: 1 overdue, 1 due today, 1 due tomorrow"
    )
    for body in (ann.body, ann.alternatives[0].content):
        assert "Late report" in body
        assert "Call Bea" in body
        assert "Buy cake" in body
        assert "Next week" not in body
        assert "Done" not in body
        assert "Bob" not in body
        assert f"https://todo.example.com/tasks/{late.pk}/" in body
    assert ann.alternatives[0].mimetype == "text/html"


def test_one_mail_per_local_day_across_runs(clock, user):
    opted_in(user, "Pacific/Auckland")  # UTC+13 in March
    TaskFactory(user=user, due_date=date(2027, 3, 11))

    send()  # 08:00 UTC = 21:00 on 10 March in Auckland: due tomorrow
    send()
    clock.now = datetime(2027, 3, 10, 10, 30, tzinfo=UTC)  # 23:30, the same day there
    send()
    clock.now = datetime(2027, 3, 10, 17, 30, tzinfo=UTC)  # 06:30 on 11 March there
    send()
    clock.now = datetime(2027, 3, 10, 18, 0, tzinfo=UTC)  # 07:00 on 11 March there
    send()
    send()

    assert len(mail.outbox) == 2
    assert "1 due tomorrow" in mail.outbox[0].subject
    assert "1 due today" in mail.outbox[1].subject
    assert Preferences.objects.get(user=user).digest_last_sent_on == date(2027, 3, 11)


def test_the_local_day_decides_what_is_due_today(clock, user, other_user):
    opted_in(user, "America/Los_Angeles")  # 00:00 on 10 March there: too early
    opted_in(other_user, "Pacific/Auckland")  # 21:00 on 10 March there
    TaskFactory(user=user, due_date=date(2027, 3, 10))
    TaskFactory(user=other_user, due_date=date(2027, 3, 10))

    send()
    clock.now = datetime(2027, 3, 10, 20, 0, tzinfo=UTC)  # 12:00 in Los Angeles
    send()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["bob@example.com"], "Your tasks for Wednesday 10 March: 1 due today"),
        # By now it is 11 March in Auckland: Bob's task is overdue, a new digest.
        (["ann@example.com"], "Your tasks for Wednesday 10 March: 1 due today"),
        (["bob@example.com"], "Your tasks for Thursday 11 March: 1 overdue"),
    ]


def test_nothing_is_sent_before_the_digest_hour(clock, user):
    opted_in(user)
    TaskFactory(user=user, due_date=date(2027, 3, 10))
    clock.now = datetime(2027, 3, 10, 6, 59, tzinfo=UTC)

    send()
    assert mail.outbox == []
    clock.now = datetime(2027, 3, 10, 7, 0, tzinfo=UTC)
    send()
    assert len(mail.outbox) == 1


def test_nothing_for_users_with_nothing_due_or_opted_out(clock, user, other_user):
    opted_in(user)
    TaskFactory(user=user, due_date=date(2027, 3, 20))
    TaskFactory(user=user)  # no due date
    Preferences.objects.create(user=other_user, digest_enabled=False)
    TaskFactory(user=other_user, due_date=date(2027, 3, 10))
    never_set = UserFactory()
    TaskFactory(user=never_set, due_date=date(2027, 3, 10))

    send()

    assert mail.outbox == []
    assert Preferences.objects.get(user=user).digest_last_sent_on is None


def test_a_failed_send_is_retried_once_by_the_next_run(clock, user, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    opted_in(user)
    TaskFactory(user=user, due_date=date(2027, 3, 10))
    real_send = EmailBackend.send_messages

    def broken(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    with pytest.raises(CommandError, match="1 digest"):
        send()
    assert Preferences.objects.get(user=user).digest_last_sent_on is None

    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    send()
    send()

    assert len(mail.outbox) == 1


def test_the_mail_carries_one_click_unsubscribe_headers(clock, user):
    opted_in(user)
    TaskFactory(user=user, due_date=date(2027, 3, 10))

    send()

    [message] = mail.outbox
    link = f"https://todo.example.com/tasks/digest/unsubscribe/{unsubscribe_token(user.pk)}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert link in message.body
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in str(message.message())


def test_the_unsubscribe_link_works_without_logging_in(clock, user):
    opted_in(user)
    url = reverse("tasks:unsubscribe", args=[unsubscribe_token(user.pk)])
    client = Client(enforce_csrf_checks=True)

    confirm = client.get(url)
    assert Preferences.objects.get(user=user).digest_enabled
    done = client.post(url, {"List-Unsubscribe": "One-Click"})

    assertContains(confirm, "Unsubscribe from the daily digest?")
    assertContains(done, "You are unsubscribed")
    assert not Preferences.objects.get(user=user).digest_enabled
    TaskFactory(user=user, due_date=date(2027, 3, 10))
    send()
    assert mail.outbox == []


@pytest.mark.parametrize("forge", ["garbage", "tampered", "other purpose"])
def test_a_forged_or_foreign_unsubscribe_token_is_404(client, user, forge):
    from django.core import signing

    opted_in(user)
    token = {
        "garbage": "garbage",
        "tampered": unsubscribe_token(user.pk)[:-2] + "xx",
        # Signed by this site, for this user, but for another purpose.
        "other purpose": signing.dumps(user.pk),
    }[forge]

    response = client.post(reverse("tasks:unsubscribe", args=[token]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Preferences.objects.get(user=user).digest_enabled


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_skips_a_user_whose_digest_another_run_is_sending(clock, user):
    """Two runs at once: the second skips the row the first holds (no double send)."""
    import threading

    from django.db import connection, transaction

    opted_in(user)
    TaskFactory(user=user, due_date=date(2027, 3, 10))
    locked, release = threading.Event(), threading.Event()

    def other_run() -> None:
        try:
            with transaction.atomic():
                Preferences.objects.select_for_update().get(user=user)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    locked.wait(10)
    try:
        send()
        assert mail.outbox == []
    finally:
        release.set()
        thread.join()
    send()
    assert len(mail.outbox) == 1
