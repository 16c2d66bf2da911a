"""The task admin, as an operator uses it."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import (
    assertContains,
    assertInHTML,
    assertNotContains,
)

from accounts.models import User
from tasks.admin import EstimatedCountPaginator
from tasks.models import Task
from tasks.tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tasks_task_changelist")


def change_url(task: Task) -> str:
    return reverse("admin:tasks_task_change", args=[task.pk])


def run_action(client, action: str, tasks: list[Task]):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [task.pk for task in tasks]},
    )


@pytest.fixture
def viewer(db) -> User:
    """A staff member who may only view tasks."""
    user = User.objects.create_user("viewer@example.com", "pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_task"))
    return user


def test_changelist_shows_every_users_tasks_with_owner_and_status(admin_client):
    mine = TaskFactory(title="Pay rent", user__email="ann@example.com")
    theirs = TaskFactory(
        title="Walk dog", user__email="bob@example.com", status="completed"
    )

    response = admin_client.get(CHANGELIST)

    assertContains(response, mine.title)
    assertContains(response, theirs.title)
    assertContains(response, "ann@example.com")
    assertContains(response, "bob@example.com")
    assertContains(response, "Completed")


@pytest.mark.parametrize("rows", [2, 30])
def test_changelist_runs_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, rows
):
    """Owner emails come with the tasks (list_select_related), not a query per row.

    Session, operator, count and the page of rows with their owners: the same four
    with 2 rows as with a full page.
    """
    TaskFactory.create_batch(rows, due_date=timezone.localdate())

    with django_assert_num_queries(4):
        response = admin_client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.OK


def test_changelist_shows_twenty_five_tasks_a_page_newest_first(admin_client):
    tasks = TaskFactory.create_batch(26)

    first = admin_client.get(CHANGELIST)
    second = admin_client.get(CHANGELIST, {"p": "2"})

    assert list(first.context["cl"].result_list) == tasks[:0:-1]
    assert list(second.context["cl"].result_list) == [tasks[0]]


@pytest.mark.postgres
def test_changelist_counts_a_large_table_from_statistics_and_filters_exactly(
    admin_client, monkeypatch
):
    """Counting a million tasks exactly would scan them all on every page.

    Unfiltered, the count shown is PostgreSQL's estimate (here: the 3 rows ANALYZE saw,
    not the 5 there are); filtered, it is exact.
    """
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 1)
    TaskFactory.create_batch(3, status=Task.Status.PENDING)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tasks")
    TaskFactory.create_batch(2, status=Task.Status.COMPLETED)

    unfiltered = admin_client.get(CHANGELIST)
    filtered = admin_client.get(CHANGELIST, {"status__exact": "completed"})

    assert unfiltered.context["cl"].result_count == 3
    assert filtered.context["cl"].result_count == 2


def test_changelist_rows_link_to_their_change_page_with_a_checkbox(admin_client):
    task = TaskFactory(title="Pay rent")

    response = admin_client.get(CHANGELIST)
    filtered = admin_client.get(CHANGELIST, {"status__exact": "pending"})

    assertContains(response, 'id="action-toggle"')
    assertContains(
        response,
        f'<input type="checkbox" name="_selected_action" value="{task.pk}" '
        'class="action-select" aria-label="Select this object for an action - '
        'Pay rent">',
        html=True,
    )
    assertContains(response, f'<a href="{change_url(task)}">Pay rent</a>', html=True)
    # From a filtered list, the link keeps the filters for the way back.
    assertContains(
        filtered,
        f'<a href="{change_url(task)}?_changelist_filters=status__exact%3Dpending">'
        "Pay rent</a>",
        html=True,
    )


def test_columns_sort_by_owner_and_due_date(admin_client):
    """Sorting by a column ("o" counts the checkbox column as 0)."""
    anns = TaskFactory(user__email="ann@example.com", due_date=date(2026, 5, 1))
    bobs = TaskFactory(user__email="bob@example.com", due_date=date(2026, 1, 1))

    newest_first = admin_client.get(CHANGELIST)
    by_owner = admin_client.get(CHANGELIST, {"o": "2"})
    by_due_date_descending = admin_client.get(CHANGELIST, {"o": "-4"})

    assert list(newest_first.context["cl"].result_list) == [bobs, anns]
    assert list(by_owner.context["cl"].result_list) == [anns, bobs]
    assert list(by_due_date_descending.context["cl"].result_list) == [anns, bobs]


def test_dates_are_listed_as_iso_8601_in_the_current_time_zone(admin_client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    task = TaskFactory(due_date=date(2026, 12, 31))
    Task.objects.filter(pk=task.pk).update(
        updated_at=datetime(2026, 11, 27, 7, 5, tzinfo=UTC)
    )
    undated = TaskFactory(due_date=None)

    response = admin_client.get(CHANGELIST)

    assertInHTML('<td class="field-due">2026-12-31</td>', response.content.decode())
    assertInHTML(
        '<td class="field-updated">2026-11-27 08:05</td>', response.content.decode()
    )
    row = re.search(rf'value="{undated.pk}".*?</tr>', response.content.decode(), re.S)
    assert '<td class="field-due">-</td>' in row.group(0)


def test_search_finds_tasks_by_title_description_and_owner_email(admin_client):
    by_title = TaskFactory(title="Quarterly taxes")
    by_description = TaskFactory(description="call the quarterly accountant")
    by_owner = TaskFactory(user__email="quarterly@example.com")
    other = TaskFactory(title="Unrelated")

    response = admin_client.get(CHANGELIST, {"q": "quarterly"})

    found = set(response.context["cl"].result_list)
    assert found == {by_title, by_description, by_owner}
    assert other not in found


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("next7", ["today", "in six days"]),
        ("overdue", ["late"]),
        ("none", ["undated"]),
        (
            None,
            ["late", "late but done", "today", "in six days", "next week", "undated"],
        ),
    ],
)
def test_due_filter_offers_next_seven_days_overdue_and_no_due_date(
    admin_client, due, expected
):
    today = timezone.localdate()
    TaskFactory(title="late", due_date=today - timedelta(days=1))
    TaskFactory(
        title="late but done",
        due_date=today - timedelta(days=1),
        status=Task.Status.COMPLETED,
    )
    TaskFactory(title="today", due_date=today)
    TaskFactory(title="in six days", due_date=today + timedelta(days=6))
    TaskFactory(title="next week", due_date=today + timedelta(days=7))
    TaskFactory(title="undated", due_date=None)

    response = admin_client.get(CHANGELIST, {"due": due} if due else {})

    found = [task.title for task in response.context["cl"].result_list]
    assert sorted(found) == sorted(expected)
    for label in ("Next 7 days", "Overdue", "No due date"):
        assertContains(response, f">{label}</a>")
    assertNotContains(response, "Past 7 days")


def test_task_change_page_has_no_view_on_site_link(admin_client):
    """The task's page is its owner's only: for the operator it would be a 404."""
    task = TaskFactory()

    response = admin_client.get(change_url(task))

    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, "View on site")
    assertNotContains(response, task.get_absolute_url())


def test_users_list_shows_the_join_date_briefly_and_the_task_count(admin_client):
    owner = UserFactory()
    TaskFactory.create_batch(2, user=owner)

    response = admin_client.get(
        reverse("admin:accounts_user_changelist"), {"q": owner.email}
    )

    assertContains(response, timezone.localtime(owner.created_at).strftime("%Y-%m-%d"))
    assertContains(response, '<td class="field-task_count">2</td>', html=True)


def test_status_filter(admin_client):
    TaskFactory(status=Task.Status.PENDING)
    done = TaskFactory(status=Task.Status.COMPLETED)

    response = admin_client.get(CHANGELIST, {"status__exact": "completed"})

    assert list(response.context["cl"].result_list) == [done]


@pytest.mark.parametrize("status", Task.Status.values)
def test_status_actions_move_status_and_updated_at(admin_client, status):
    long_ago = timezone.now() - timedelta(days=3)
    tasks = TaskFactory.create_batch(2, status=Task.Status.PENDING)
    untouched = TaskFactory(status=Task.Status.PENDING)
    Task.objects.update(updated_at=long_ago)

    response = run_action(admin_client, f"mark_{status}", tasks)

    assert response.status_code == HTTPStatus.FOUND
    for task in tasks:
        task.refresh_from_db()
        assert task.status == status
        assert task.updated_at > long_ago
    untouched.refresh_from_db()
    assert (untouched.status, untouched.updated_at) == ("pending", long_ago)


def test_export_action_downloads_the_selected_tasks_as_csv(admin_client):
    chosen = TaskFactory(title="=cmd()", user__email="ann@example.com")
    TaskFactory(title="Not selected")

    response = run_action(admin_client, "export_csv", [chosen])

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["id"] == str(chosen.pk)
    assert rows[0]["title"] == "'=cmd()"
    assert rows[0]["owner_email"] == "ann@example.com"


def test_add_task_with_owner_and_timestamps_set_by_the_system(admin_client):
    owner = UserFactory(email="ann@example.com")

    response = admin_client.post(
        reverse("admin:tasks_task_add"),
        {"user": owner.pk, "title": "From admin", "status": "in_progress"},
    )

    assert response.status_code == HTTPStatus.FOUND
    task = Task.objects.get()
    assert (task.user, task.title, task.status) == (owner, "From admin", "in_progress")


def test_blank_title_is_refused_with_a_message(admin_client):
    owner = UserFactory()

    response = admin_client.post(
        reverse("admin:tasks_task_add"),
        {"user": owner.pk, "title": "   ", "status": "pending"},
    )

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "This field is required.")
    assert not Task.objects.exists()


def test_timestamps_are_read_only_on_the_change_page(admin_client):
    task = TaskFactory()
    created = task.created_at

    response = admin_client.get(change_url(task))
    assertContains(response, "Created")
    assertContains(response, "Updated")
    assertNotContains(response, 'name="created_at"')

    admin_client.post(
        change_url(task),
        {
            "user": task.user_id,
            "title": "Renamed",
            "status": "pending",
            "created_at": "2000-01-01 00:00:00",
        },
    )
    task.refresh_from_db()
    assert task.title == "Renamed"
    assert task.created_at == created
    assert task.updated_at > created


def test_owner_is_chosen_with_autocomplete_by_email(admin_client):
    UserFactory(email="zed@example.com")
    UserFactory(email="amy@example.com")

    page = admin_client.get(reverse("admin:tasks_task_add"))
    assertContains(page, "admin-autocomplete")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "tasks",
            "model_name": "task",
            "field_name": "user",
            "term": "zed",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["zed@example.com"]


def test_view_only_staff_can_view_but_not_change_tasks(client, viewer):
    task = TaskFactory(title="Look but do not touch")
    client.force_login(viewer)

    assertContains(client.get(CHANGELIST), task.title)
    page = client.get(change_url(task))
    assertContains(page, task.title)
    assertNotContains(page, 'name="_save"')

    post = client.post(
        change_url(task),
        {"user": task.user_id, "title": "Changed", "status": "completed"},
    )
    assert post.status_code == HTTPStatus.FORBIDDEN
    assert client.get(reverse("admin:tasks_task_add")).status_code == 403
    assert client.get(
        reverse("admin:tasks_task_delete", args=[task.pk])
    ).status_code == (HTTPStatus.FORBIDDEN)
    run_action(client, "mark_completed", [task])
    task.refresh_from_db()
    assert (task.title, task.status) == ("Look but do not touch", "pending")


def hierarchy_links(response) -> list[str]:
    """Return the titles of the date hierarchy's drill-down links on a changelist."""
    html = response.content.decode()
    start = html.index('<nav class="toplinks">')
    section = html[start : html.index("</nav>", start)]
    return re.findall(r'<a href="[^"]*due_date__[^"]*">([^<]+)</a>', section)
