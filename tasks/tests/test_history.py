"""The history of every task: what the triggers record, whoever writes, and where it
is shown (task page, API)."""

from __future__ import annotations

import contextlib
from datetime import date
from http import HTTPStatus
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains

from tasks import trash
from tasks.api.etags import etag_of
from tasks.history import ActorMiddleware
from tasks.models import Task, TaskEvent, TrashedTask
from tasks.tests.factories import TaskFactory
from tasks.tests.queries import tag_name_queries

pytestmark = pytest.mark.django_db


def history_url(pk: int) -> str:
    return reverse("api:task-history", args=[pk])


def events(task: Task) -> list[tuple[str, dict, int | None]]:
    """Return the task's events oldest first: (action, changes, actor id)."""
    return [
        (event.action, event.changes, event.actor_id)
        for event in TaskEvent.objects.filter(task_id=task.pk).order_by("id")
    ]


# What is recorded ---------------------------------------------------------------------


def test_creation_records_every_field(user):
    task = TaskFactory(user=user, title="Pay rent", due_date=date(2026, 12, 31))

    assert events(task) == [
        (
            "created",
            {
                "title": [None, "Pay rent"],
                "description": [None, None],
                "status": [None, "pending"],
                "due_date": [None, "2026-12-31"],
                "repeat": [None, None],
                "last_completed_at": [None, None],
            },
            None,
        )
    ]


def test_a_save_records_only_the_fields_that_changed(user):
    task = TaskFactory(user=user, title="Old")

    task.title = "New"
    task.save()
    task.save()  # nothing changed but updated_at: no event

    assert events(task)[1:] == [("updated", {"title": ["Old", "New"]}, None)]


def test_queryset_update_is_recorded_for_every_row(user):
    tasks = TaskFactory.create_batch(2, user=user)

    Task.objects.filter(user=user).set_status(Task.Status.COMPLETED)

    for task in tasks:
        assert events(task)[-1] == (
            "updated",
            {"status": ["pending", "completed"]},
            None,
        )


def test_delete_and_restore_are_recorded(user):
    task = TaskFactory(user=user)

    trash.move_to_trash(tasks=Task.objects.filter(pk=task.pk), by=user)
    trash.restore(trashed=TrashedTask.objects.filter(pk=task.pk))

    assert [action for action, _, _ in events(task)] == [
        "created",
        "deleted",
        "restored",
    ]


@pytest.mark.postgres
def test_a_raw_sql_update_is_recorded():
    task = TaskFactory(title="Old")

    with connection.cursor() as cursor:
        cursor.execute("UPDATE tasks SET title = 'Raw' WHERE id = %s", [task.pk])

    assert events(task)[-1] == ("updated", {"title": ["Old", "Raw"]}, None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_actor_setting_does_not_outlive_the_request_transaction(
    client_logged_in, user
):
    """The actor is a transaction-local setting: a later write on the same
    connection, outside any request, is nobody's (as through a pooler)."""
    task = TaskFactory(user=user, title="Old")
    client_logged_in.post(
        reverse("tasks:update", args=[task.pk]),
        {"title": "By Ann", "status": "pending"},
    )

    Task.objects.filter(pk=task.pk).update(title="By nobody")

    assert [actor for _, _, actor in events(task)[-2:]] == [user.pk, None]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('todo.actor_id', true)")
        assert cursor.fetchone()[0] in (None, "")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_api_create_names_the_actor_in_the_same_round_trip(api_client, user):
    """Outside a transaction block the setting and the INSERT go to the server in one
    pipeline: one implicit transaction, which commits both, and leaves no setting."""
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    psycopg_connection = type(connection.connection)
    with mock.patch.object(
        psycopg_connection,
        "pipeline",
        autospec=True,
        side_effect=psycopg_connection.pipeline,
    ) as pipeline:
        response = api_client.post(
            reverse("api:task-list"), {"title": "Pay rent"}, format="json"
        )

    assert response.status_code == HTTPStatus.CREATED
    assert pipeline.call_count == 1
    task = Task.objects.get(pk=response.json()["id"])
    assert events(task)[0][2] == user.pk
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('todo.actor_id', true)")
        assert cursor.fetchone()[0] in (None, "")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_block", [False, True])
def test_a_refused_write_is_djangos_error_and_names_nobody_afterwards(user, in_block):
    """A write the database refuses in the pipeline raises Django's IntegrityError,
    records nothing, and leaves the connection usable, with no actor set."""
    task = TaskFactory(user=user, title="Old")
    request = RequestFactory().post("/")
    request.user = user
    middleware = ActorMiddleware(lambda request: None)

    def write(request):
        outer = transaction.atomic() if in_block else contextlib.nullcontext()
        with pytest.raises(IntegrityError), outer:
            Task.objects.filter(pk=task.pk).update(due_date=date(1800, 1, 1))

    middleware.get_response = write
    middleware(request)

    assert [action for action, _, _ in events(task)] == ["created"]
    Task.objects.filter(pk=task.pk).update(title="By nobody")
    assert events(task)[-1] == ("updated", {"title": ["Old", "By nobody"]}, None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_batch_of_writes_names_the_actor_for_every_row(user):
    """executemany() joins the pipeline: its statements share the setting's implicit
    transaction (psycopg queues them behind it rather than syncing first)."""
    tasks = TaskFactory.create_batch(3, user=user, title="Old")
    request = RequestFactory().post("/")
    request.user = user

    def write(request):
        with connection.cursor() as cursor:
            cursor.executemany(
                'UPDATE "tasks" SET "title" = %s WHERE "id" = %s',
                [(f"New {task.pk}", task.pk) for task in tasks],
            )

    ActorMiddleware(write)(request)

    for task in tasks:
        assert events(task)[-1] == (
            "updated",
            {"title": ["Old", f"New {task.pk}"]},
            user.pk,
        )


# Who did it, in each interface --------------------------------------------------------


def test_page_edits_name_the_user(client_logged_in, user):
    task = TaskFactory(user=user, title="Old")

    client_logged_in.post(
        reverse("tasks:update", args=[task.pk]),
        {"title": "New", "status": "in_progress"},
    )

    assert events(task)[-1] == (
        "updated",
        {"title": ["Old", "New"], "status": ["pending", "in_progress"]},
        user.pk,
    )


def test_page_status_change_and_delete_name_the_user(client_logged_in, user):
    task = TaskFactory(user=user)

    client_logged_in.post(
        reverse("tasks:set_status", args=[task.pk]), {"status": "completed"}
    )
    client_logged_in.post(reverse("tasks:delete", args=[task.pk]))
    client_logged_in.post(reverse("tasks:restore", args=[task.pk]))

    assert [(action, actor) for action, _, actor in events(task)[1:]] == [
        ("updated", user.pk),
        ("deleted", user.pk),
        ("restored", user.pk),
    ]


def test_api_writes_name_the_user(api_client_logged_in, user):
    response = api_client_logged_in.post(
        reverse("api:task-list"), {"title": "Pay rent"}, format="json"
    )
    task = Task.objects.get(pk=response.json()["id"])
    api_client_logged_in.patch(
        reverse("api:task-detail", args=[task.pk]),
        {"status": "completed"},
        format="json",
    )

    assert [(action, actor) for action, _, actor in events(task)] == [
        ("created", user.pk),
        ("updated", user.pk),
    ]


def test_token_authenticated_api_writes_name_the_user(api_client, user):
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api_client.post(
        reverse("api:task-list"), {"title": "Pay rent"}, format="json"
    )

    task = Task.objects.get(pk=response.json()["id"])
    assert events(task)[0][2] == user.pk


def test_admin_bulk_action_names_the_operator(admin_client, admin_user, user):
    tasks = TaskFactory.create_batch(2, user=user)

    admin_client.post(
        reverse("admin:tasks_task_changelist"),
        {
            "action": "mark_completed",
            "_selected_action": [task.pk for task in tasks],
        },
    )

    for task in tasks:
        assert events(task)[-1] == (
            "updated",
            {"status": ["pending", "completed"]},
            admin_user.pk,
        )


def test_admin_edit_names_the_operator(admin_client, admin_user, user):
    task = TaskFactory(user=user, title="Old")

    admin_client.post(
        reverse("admin:tasks_task_change", args=[task.pk]),
        {"user": user.pk, "title": "Fixed", "status": "pending"},
    )

    assert events(task)[-1] == ("updated", {"title": ["Old", "Fixed"]}, admin_user.pk)


# The task page ------------------------------------------------------------------------


def test_task_page_shows_the_history(client_logged_in, user):
    task = TaskFactory(user=user, title="Old")
    client_logged_in.post(
        reverse("tasks:update", args=[task.pk]), {"title": "New", "status": "pending"}
    )

    response = client_logged_in.get(task.get_absolute_url())

    assertContains(response, '<h2 id="history-heading">History</h2>', html=True)
    assertContains(response, "Updated by ann@example.com")
    assertContains(response, "title: Old → New")
    assertContains(response, "Created by the system")


# The API ------------------------------------------------------------------------------


def test_api_history_is_newest_first_with_actor_and_changes(api_client_logged_in, user):
    task = TaskFactory(user=user, title="Old")
    api_client_logged_in.patch(
        reverse("api:task-detail", args=[task.pk]), {"title": "New"}, format="json"
    )

    response = api_client_logged_in.get(history_url(task.pk))

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["count"] == 2
    newest, oldest = body["results"]
    assert newest["action"] == "updated"
    assert newest["actor"] == {"id": user.pk, "email": "ann@example.com"}
    assert newest["changes"] == {"title": ["Old", "New"]}
    assert set(newest) == {"at", "actor", "action", "changes"}
    assert oldest["action"] == "created"
    assert oldest["actor"] is None


def test_api_history_of_another_users_task_is_404(api_client_logged_in, other_user):
    task = TaskFactory(user=other_user)

    response = api_client_logged_in.get(history_url(task.pk))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_api_history_of_a_trashed_task_is_404(api_client_logged_in, user):
    task = TaskFactory(user=user)
    trash.move_to_trash(tasks=Task.objects.filter(pk=task.pk), by=user)

    assert api_client_logged_in.get(history_url(task.pk)).status_code == 404


def test_history_leaves_the_etag_alone(api_client_logged_in, user):
    task = TaskFactory(user=user)
    before = api_client_logged_in.get(reverse("api:task-detail", args=[task.pk]))

    api_client_logged_in.get(history_url(task.pk))
    after = api_client_logged_in.get(reverse("api:task-detail", args=[task.pk]))

    assert before["ETag"] == after["ETag"] == etag_of(after.json())


@pytest.mark.parametrize(("changes", "counting"), [(1, 0), (60, 1)])
def test_api_history_query_count_does_not_grow_with_events(
    api_client_logged_in, user, django_assert_num_queries, changes, counting
):
    """Rate counter, the task, the page (actors joined): constant. The first page
    reads one event more than it shows; only a history longer than the page needs a
    COUNT."""
    task = TaskFactory(user=user)
    for number in range(changes):
        Task.objects.filter(pk=task.pk).update(title=f"Title {number}")

    with django_assert_num_queries(3 + counting):
        response = api_client_logged_in.get(history_url(task.pk))

    assert response.json()["count"] == changes + 1


@pytest.mark.parametrize(("count", "counting"), [(5, 0), (60, 1)])
def test_history_adds_no_query_to_the_api_list(
    api_client_logged_in, user, django_assert_num_queries, count, counting
):
    """Rate counter, page, COUNT when the list is longer than the page, the page's
    tags where they need a query: the history is never read by a list."""
    TaskFactory.create_batch(count, user=user)

    with django_assert_num_queries(2 + counting + tag_name_queries()):
        api_client_logged_in.get(reverse("api:task-list"))


def test_api_create_query_count(api_client_logged_in, django_assert_num_queries):
    """Rate counter and the INSERT; on PostgreSQL one more statement names the actor
    (set_config) in the INSERT's transaction. The history row is the trigger's."""
    expected = 3 if connection.vendor == "postgresql" else 2

    with django_assert_num_queries(expected):
        response = api_client_logged_in.post(
            reverse("api:task-list"), {"title": "Pay rent"}, format="json"
        )

    assert response.status_code == HTTPStatus.CREATED
