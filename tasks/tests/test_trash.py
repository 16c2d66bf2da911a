"""The trash, in every interface: pages, API, admin, the purge command, accounts."""

from __future__ import annotations

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tasks import trash
from tasks.api.etags import etag_of
from tasks.models import Task, TaskEvent, TrashedTask
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

TRASH_PAGE = reverse("tasks:trash")
API_TRASH = reverse("api:trash-list")


def api_task(pk: int) -> str:
    return reverse("api:task-detail", args=[pk])


def api_trashed(pk: int) -> str:
    return reverse("api:trash-detail", args=[pk])


def api_restore(pk: int) -> str:
    return reverse("api:trash-restore", args=[pk])


def trashed_task(user, **fields) -> Task:
    """Return a task of `user` that has just been moved to the trash."""
    task = TaskFactory(user=user, **fields)
    trash.move_to_trash(tasks=Task.objects.filter(pk=task.pk), by=user)
    return task


def columns(task: Task) -> dict:
    return {name: getattr(task, name) for name in trash.TASK_COLUMNS}


# The trash itself ---------------------------------------------------------------------


def test_restore_brings_back_the_same_id_and_every_field(user):
    task = TaskFactory(
        user=user,
        title="Pay rent",
        description="Before the 5th",
        status=Task.Status.IN_PROGRESS,
        due_date=date(2026, 12, 31),
    )
    before = columns(Task.objects.get(pk=task.pk))

    trash.move_to_trash(tasks=Task.objects.filter(pk=task.pk), by=user)
    assert not Task.objects.filter(pk=task.pk).exists()
    trash.restore(trashed=TrashedTask.objects.filter(pk=task.pk))

    assert columns(Task.objects.get(pk=task.pk)) == before
    assert not TrashedTask.objects.exists()


def test_a_task_created_after_a_restore_gets_a_new_id(user):
    first = trashed_task(user)
    trash.restore(trashed=TrashedTask.objects.all())

    later = TaskFactory(user=user)

    assert later.pk > first.pk


def test_a_task_created_while_another_is_in_the_trash_never_takes_its_id(user):
    newest = trashed_task(user)

    later = TaskFactory(user=user)
    trash.restore(trashed=TrashedTask.objects.all())

    assert later.pk != newest.pk
    assert Task.objects.count() == 2


def test_trashed_tasks_are_in_no_list_count_or_search(client_logged_in, user):
    trashed_task(user, title="Gone shopping")
    TaskFactory(user=user, title="Still here")

    searched = client_logged_in.get(reverse("tasks:list"), {"q": "shopping"})
    listed = client_logged_in.get(reverse("tasks:list"))

    assertNotContains(searched, "Gone shopping")
    assertNotContains(listed, "Gone shopping")
    assert listed.context["counts"]["all"] == 1


def test_purge_trash_deletes_only_what_is_older_than_the_days(user):
    old = trashed_task(user, title="old")
    recent = trashed_task(user, title="recent")
    TrashedTask.objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - timedelta(days=31)
    )

    call_command("purge_trash", "--days", "30")

    assert list(TrashedTask.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not TaskEvent.objects.filter(task_id=old.pk).exists()
    assert TaskEvent.objects.filter(task_id=recent.pk).exists()


def test_deleting_an_account_deletes_its_trash_and_history(user, other_user):
    trashed_task(user)
    TaskFactory(user=user)
    kept = trashed_task(other_user)

    user.delete()

    assert list(TrashedTask.objects.values_list("pk", flat=True)) == [kept.pk]
    assert set(TaskEvent.objects.values_list("user_id", flat=True)) == {other_user.pk}


@pytest.mark.postgres
def test_raw_delete_of_an_account_deletes_its_trash_and_history(user):
    trashed_task(user)
    TaskFactory(user=user)

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [user.pk])

    assert not TrashedTask.objects.exists()
    assert not TaskEvent.objects.exists()
    assert not Task.objects.exists()


# Pages --------------------------------------------------------------------------------


def test_delete_page_offers_undo_which_restores_the_task(client_logged_in, user):
    task = TaskFactory(user=user, title="Pay rent")

    response = client_logged_in.post(
        reverse("tasks:delete", args=[task.pk]), follow=True
    )
    assertContains(
        response, f'action="{reverse("tasks:restore", args=[task.pk])}"', count=1
    )
    assertContains(response, "Undo</button>")

    response = client_logged_in.post(
        reverse("tasks:restore", args=[task.pk]), follow=True
    )

    assertRedirects(response, task.get_absolute_url())
    assertContains(response, "Task “Pay rent” was restored.")
    assert Task.objects.filter(pk=task.pk, user=user).exists()


def test_trash_page_lists_only_the_users_trash_newest_first(
    client_logged_in, user, other_user
):
    trashed_task(user, title="first")
    trashed_task(user, title="second")
    trashed_task(other_user, title="not mine")

    response = client_logged_in.get(TRASH_PAGE)

    assert [task.title for task in response.context["trashed_tasks"]] == [
        "second",
        "first",
    ]
    assertNotContains(response, "not mine")
    assertContains(response, "Delete forever")


def test_trash_page_of_an_empty_trash_says_so(client_logged_in):
    assertContains(client_logged_in.get(TRASH_PAGE), "The trash is empty.")


def test_trash_page_restore_returns_to_the_trash(client_logged_in, user):
    task = trashed_task(user, title="Pay rent")

    response = client_logged_in.post(
        reverse("tasks:restore", args=[task.pk]), {"next": TRASH_PAGE}, follow=True
    )

    assertRedirects(response, TRASH_PAGE)
    assertContains(response, "Task “Pay rent” was restored.")
    assert Task.objects.filter(pk=task.pk).exists()


def test_delete_forever_from_the_trash_page(client_logged_in, user):
    task = trashed_task(user, title="Pay rent")

    response = client_logged_in.post(
        reverse("tasks:delete_forever", args=[task.pk]), follow=True
    )

    assertRedirects(response, TRASH_PAGE)
    assertContains(response, "Task “Pay rent” was deleted for good.")
    assert not TrashedTask.objects.exists()
    assert not Task.objects.exists()


@pytest.mark.parametrize("name", ["tasks:restore", "tasks:delete_forever"])
def test_another_users_trashed_task_is_404_on_the_pages(
    client_logged_in, other_user, name
):
    task = trashed_task(other_user)

    response = client_logged_in.post(reverse(name, args=[task.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert TrashedTask.objects.filter(pk=task.pk).exists()


@pytest.mark.parametrize("name", ["tasks:restore", "tasks:delete_forever"])
def test_trash_actions_refuse_get(client_logged_in, user, name):
    task = trashed_task(user)

    response = client_logged_in.get(reverse(name, args=[task.pk]))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert TrashedTask.objects.filter(pk=task.pk).exists()


def test_trash_actions_need_the_csrf_token(user):
    from django.test import Client

    task = trashed_task(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("tasks:restore", args=[task.pk]))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert TrashedTask.objects.filter(pk=task.pk).exists()


def test_a_trashed_tasks_pages_are_404(client_logged_in, user):
    task = trashed_task(user)

    for name in ("tasks:detail", "tasks:update", "tasks:delete"):
        response = client_logged_in.get(reverse(name, args=[task.pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND


def test_trash_page_needs_a_sign_in(client):
    response = client.get(TRASH_PAGE)

    assert response.status_code == HTTPStatus.FOUND
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("count", [3, 30])
def test_trash_page_query_count_does_not_grow_with_the_trash(
    client_logged_in, user, django_assert_num_queries, count
):
    """Session, user, count, page: constant in the number of trashed tasks."""
    for _ in range(count):
        trashed_task(user)

    with django_assert_num_queries(4):
        client_logged_in.get(TRASH_PAGE)


# API ----------------------------------------------------------------------------------


def test_api_delete_moves_the_task_to_the_trash(api_client_logged_in, user):
    task = TaskFactory(user=user)

    response = api_client_logged_in.delete(api_task(task.pk))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert TrashedTask.objects.filter(pk=task.pk, deleted_by=user).exists()
    assert api_client_logged_in.get(api_task(task.pk)).status_code == 404


def test_api_delete_with_a_stale_if_match_is_412_and_trashes_nothing(
    api_client_logged_in, user
):
    task = TaskFactory(user=user)

    response = api_client_logged_in.delete(api_task(task.pk), HTTP_IF_MATCH='"stale"')

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert Task.objects.filter(pk=task.pk).exists()
    assert not TrashedTask.objects.exists()


def test_api_trash_lists_the_task_with_deleted_at_newest_deletion_first(
    api_client_logged_in, user, other_user
):
    first = trashed_task(user, title="first")
    second = trashed_task(user, title="second")
    trashed_task(other_user, title="not mine")

    response = api_client_logged_in.get(API_TRASH)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["count"] == 2
    assert [task["id"] for task in body["results"]] == [second.pk, first.pk]
    assert set(body["results"][0]) == {*Task.REPRESENTED_FIELDS, "deleted_at"}
    assert body["results"][0]["title"] == "second"


def test_api_restore_answers_the_task_with_its_etag(api_client_logged_in, user):
    task = trashed_task(user, title="Pay rent")

    response = api_client_logged_in.post(api_restore(task.pk))

    assert response.status_code == HTTPStatus.OK
    assert response.json()["id"] == task.pk
    assert response.json()["title"] == "Pay rent"
    assert response["ETag"] == etag_of(response.json())
    fetched = api_client_logged_in.get(api_task(task.pk))
    assert fetched["ETag"] == response["ETag"]


def test_api_delete_from_the_trash_is_for_good(api_client_logged_in, user):
    task = trashed_task(user)

    response = api_client_logged_in.delete(api_trashed(task.pk))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not TrashedTask.objects.exists()
    assert not TaskEvent.objects.filter(task_id=task.pk).exists()


@pytest.mark.parametrize("method", ["restore", "delete"])
def test_api_another_users_trash_is_404(api_client_logged_in, other_user, method):
    task = trashed_task(other_user)

    if method == "restore":
        response = api_client_logged_in.post(api_restore(task.pk))
    else:
        response = api_client_logged_in.delete(api_trashed(task.pk))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert TrashedTask.objects.filter(pk=task.pk).exists()


def test_api_restore_of_a_live_task_is_404(api_client_logged_in, user):
    task = TaskFactory(user=user)

    response = api_client_logged_in.post(api_restore(task.pk))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_api_trash_needs_credentials(api_client):
    assert api_client.get(API_TRASH).status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize(("count", "counting"), [(3, 0), (60, 1)])
def test_api_trash_query_count_does_not_grow_with_the_trash(
    api_client_logged_in, user, django_assert_num_queries, count, counting
):
    """Rate counter and page, constant in the number of trashed tasks; the first page
    reads one row more than it shows, so only a trash longer than it needs a COUNT."""
    for _ in range(count):
        trashed_task(user)

    with django_assert_num_queries(2 + counting):
        response = api_client_logged_in.get(API_TRASH)

    assert response.json()["count"] == count


# Admin --------------------------------------------------------------------------------


def test_admin_delete_moves_the_task_to_the_trash(admin_client, admin_user, user):
    task = TaskFactory(user=user)

    response = admin_client.post(
        reverse("admin:tasks_task_delete", args=[task.pk]), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert TrashedTask.objects.filter(pk=task.pk, deleted_by=admin_user).exists()


def test_admin_bulk_delete_moves_the_tasks_to_the_trash(admin_client, user):
    tasks = TaskFactory.create_batch(3, user=user)

    admin_client.post(
        reverse("admin:tasks_task_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [task.pk for task in tasks],
            "post": "yes",
        },
    )

    assert not Task.objects.exists()
    assert TrashedTask.objects.count() == 3


def test_admin_trash_lists_every_users_trash_and_restores(admin_client, user):
    task = trashed_task(user, title="Pay rent")
    changelist = reverse("admin:tasks_trashedtask_changelist")

    assertContains(admin_client.get(changelist), "Pay rent")
    response = admin_client.post(
        changelist, {"action": "restore_tasks", "_selected_action": [task.pk]}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Task.objects.filter(pk=task.pk, user=user).exists()
    assert not TrashedTask.objects.exists()


def test_admin_trash_cannot_be_added_to_or_edited(admin_client, user):
    task = trashed_task(user)

    add = admin_client.get(reverse("admin:tasks_trashedtask_add"))
    change = admin_client.post(
        reverse("admin:tasks_trashedtask_change", args=[task.pk]), {"title": "x"}
    )

    assert add.status_code == HTTPStatus.FORBIDDEN
    assert TrashedTask.objects.get(pk=task.pk).title == task.title
    assert change.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN)


def test_restore_gives_back_the_repeat_rule_and_the_tags(user):
    task = TaskFactory(user=user, due_date=date(2026, 12, 31), repeat="weekly")
    task.set_tags(["work", "Home"])

    trash.move_to_trash(tasks=Task.objects.filter(pk=task.pk), by=user)
    assert TrashedTask.objects.get(pk=task.pk).tag_names == ["Home", "work"]
    [restored] = trash.restore(trashed=TrashedTask.objects.filter(pk=task.pk))

    restored = Task.objects.get(pk=task.pk)
    assert restored.repeat == "weekly"
    assert restored.tag_names() == ["Home", "work"]
