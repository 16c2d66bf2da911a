"""The private calendar feed, and the reminder settings around it."""

from __future__ import annotations

from datetime import date
from http import HTTPStatus

import pytest
from django.urls import reverse
from icalendar import Calendar
from pytest_django.asserts import assertContains

from tasks.models import Preferences, Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def feed_path(client) -> str:
    """Create a calendar address on the settings page; return its path."""
    client.post(reverse("tasks:calendar_regenerate"))
    settings_page = client.get(reverse("accounts:settings"))
    url = settings_page.context["new_url"]
    assert url.startswith("https://todo.example.com/calendar/")
    return url.removeprefix("https://todo.example.com")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://todo.example.com"


def test_the_feed_holds_exactly_the_owners_dated_tasks(
    client, client_logged_in, user, other_user
):
    pay = TaskFactory(user=user, title="Pay rent", due_date=date(2027, 1, 31))
    TaskFactory(
        user=user,
        title="Filed",
        due_date=date(2027, 1, 2),
        status=Task.Status.COMPLETED,
        description="Notes",
    )
    TaskFactory(user=user, title="Someday")
    TaskFactory(user=other_user, title="Not mine", due_date=date(2027, 1, 31))
    path = feed_path(client_logged_in)
    client_logged_in.logout()

    response = client.get(path)  # calendar apps have no session

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Pay rent", "✓ Filed"}
    rent = events["Pay rent"]
    assert rent.decoded("dtstart") == date(2027, 1, 31)
    assert rent.decoded("dtend") == date(2027, 2, 1)
    assert str(rent["uid"]) == f"task-{pay.pk}@todo.example.com"
    assert str(rent["url"]) == f"https://todo.example.com/tasks/{pay.pk}/"
    assert "Status: Pending" in str(rent["description"])
    assert "Status: Completed\n\nNotes" in str(events["✓ Filed"]["description"])


def test_the_uid_of_a_task_stays_the_same_across_downloads(client_logged_in, user):
    TaskFactory(user=user, due_date=date(2027, 1, 31))
    path = feed_path(client_logged_in)

    uids = [
        [
            str(e["uid"])
            for e in Calendar.from_ical(client_logged_in.get(path).content).walk(
                "VEVENT"
            )
        ]
        for _ in range(2)
    ]

    assert uids[0] == uids[1]


def test_regenerating_makes_the_old_address_404_at_once(client, client_logged_in, user):
    TaskFactory(user=user, due_date=date(2027, 1, 31))
    old = feed_path(client_logged_in)
    new = feed_path(client_logged_in)

    assert old != new
    assert client.get(old).status_code == HTTPStatus.NOT_FOUND
    assert client.get(new).status_code == HTTPStatus.OK


def test_turning_the_feed_off_makes_its_address_404(client, client_logged_in, user):
    path = feed_path(client_logged_in)

    client_logged_in.post(reverse("tasks:calendar_stop"))

    assert client.get(path).status_code == HTTPStatus.NOT_FOUND
    assert Preferences.objects.get(user=user).calendar_secret_hash is None


def test_each_secret_shows_only_its_owners_tasks(client, user, other_user):
    from django.test import Client

    TaskFactory(user=user, title="Ann's", due_date=date(2027, 1, 1))
    TaskFactory(user=other_user, title="Bob's", due_date=date(2027, 1, 1))
    ann, bob = Client(), Client()
    ann.force_login(user)
    bob.force_login(other_user)

    ann_feed = client.get(feed_path(ann))
    bob_feed = client.get(feed_path(bob))

    assert [
        str(e["summary"]) for e in Calendar.from_ical(ann_feed.content).walk("VEVENT")
    ] == ["Ann's"]
    assert [
        str(e["summary"]) for e in Calendar.from_ical(bob_feed.content).walk("VEVENT")
    ] == ["Bob's"]


@pytest.mark.parametrize(
    "path", ["/calendar/guess.ics", "/calendar/.ics", "/calendar/" + "a" * 43 + ".ics"]
)
def test_unknown_secrets_are_404(client, user, path):
    Preferences.objects.create(user=user)  # a row without a feed (NULL hash)

    assert client.get(path).status_code == HTTPStatus.NOT_FOUND


def test_only_a_hash_of_the_secret_is_stored(client_logged_in, user):
    path = feed_path(client_logged_in)
    secret = path.removeprefix("/calendar/").removesuffix(".ics")

    stored = Preferences.objects.get(user=user).calendar_secret_hash

    assert secret not in stored
    assert len(stored) == 64


def test_calendar_changes_need_a_logged_in_post(client, user):
    for name in ("tasks:calendar_regenerate", "tasks:calendar_stop"):
        assert client.post(reverse(name)).status_code == HTTPStatus.FOUND  # to log-in
        assert not Preferences.objects.exists()


def test_the_settings_page_shows_the_new_address_once(client_logged_in):
    client_logged_in.post(reverse("tasks:calendar_regenerate"))

    first = client_logged_in.get(reverse("accounts:settings"))
    second = client_logged_in.get(reverse("accounts:settings"))

    assertContains(first, "https://todo.example.com/calendar/")
    assert "/calendar/" not in second.content.decode().replace(
        "/calendar/regenerate/", ""
    ).replace("/calendar/stop/", "")


def test_the_settings_page_saves_digest_and_time_zone(client_logged_in, user):
    page = client_logged_in.get(reverse("accounts:settings"))
    assertContains(
        page, '<option value="Europe/Paris">Europe/Paris</option>', html=True
    )

    response = client_logged_in.post(
        reverse("tasks:preferences"),
        {"digest_enabled": "on", "time_zone": "Europe/Paris"},
        follow=True,
    )

    assertContains(response, "Your reminder settings were saved.")
    preferences = Preferences.objects.get(user=user)
    assert (preferences.digest_enabled, preferences.time_zone) == (True, "Europe/Paris")


def test_an_unknown_time_zone_is_refused(client_logged_in, user):
    response = client_logged_in.post(
        reverse("tasks:preferences"), {"time_zone": "Mars/Olympus"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "time_zone" in response.context["form"].errors
    assert not Preferences.objects.exists()
