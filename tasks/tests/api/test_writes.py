"""Task API: reading, replacing, updating and deleting a task; ETags, If-Match."""

from __future__ import annotations

import threading
from datetime import date
from http import HTTPStatus

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from tasks.models import Task
from tasks.tests.api.helpers import detail_url
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


# Retrieve, replace, update, delete ----------------------------------------------------


def test_retrieve_carries_an_etag_and_if_none_match_gives_304(
    api_client_logged_in, user
):
    task = TaskFactory(user=user, title="mine")

    first = api_client_logged_in.get(detail_url(task.pk))
    again = api_client_logged_in.get(
        detail_url(task.pk), HTTP_IF_NONE_MATCH=first["ETag"]
    )
    weak = api_client_logged_in.get(
        detail_url(task.pk), HTTP_IF_NONE_MATCH=f"W/{first['ETag']}"
    )

    assert first.status_code == HTTPStatus.OK
    assert first.json()["title"] == "mine"
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert weak.status_code == HTTPStatus.NOT_MODIFIED


def test_the_etag_changes_when_the_task_changes(api_client_logged_in, user):
    task = TaskFactory(user=user)
    before = api_client_logged_in.get(detail_url(task.pk))["ETag"]

    task.set_status(Task.Status.COMPLETED)
    response = api_client_logged_in.get(detail_url(task.pk), HTTP_IF_NONE_MATCH=before)

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] != before


def test_put_replaces_and_patch_updates(api_client_logged_in, user):
    task = TaskFactory(user=user, title="old", description="d")

    put = api_client_logged_in.put(
        detail_url(task.pk),
        {"title": "new", "status": "in_progress", "description": None},
        format="json",
    )
    patch = api_client_logged_in.patch(
        detail_url(task.pk), {"due_date": "2027-01-02"}, format="json"
    )

    assert put.status_code == HTTPStatus.OK
    assert patch.status_code == HTTPStatus.OK
    assert patch["ETag"] != put["ETag"]
    task.refresh_from_db()
    assert (task.title, task.status, task.description, task.due_date) == (
        "new",
        "in_progress",
        None,
        date(2027, 1, 2),
    )
    assert task.updated_at > task.created_at


def test_put_without_title_is_400(api_client_logged_in, user):
    task = TaskFactory(user=user, title="keep")

    response = api_client_logged_in.put(
        detail_url(task.pk), {"status": "completed"}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"title": ["This field is required."]}


def test_delete_is_204(api_client_logged_in, user):
    task = TaskFactory(user=user)

    response = api_client_logged_in.delete(detail_url(task.pk))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not Task.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_stale_if_match_is_412_and_changes_nothing(api_client_logged_in, user, method):
    task = TaskFactory(user=user, title="v1")
    etag = api_client_logged_in.get(detail_url(task.pk))["ETag"]
    task.title = "v2 from another client"
    task.save()

    response = getattr(api_client_logged_in, method)(
        detail_url(task.pk), {"title": "v3"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert "changed" in response.json()["detail"]
    task.refresh_from_db()
    assert task.title == "v2 from another client"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_current_if_match_lets_the_write_through(api_client_logged_in, user, method):
    task = TaskFactory(user=user, title="v1")
    etag = api_client_logged_in.get(detail_url(task.pk))["ETag"]

    response = getattr(api_client_logged_in, method)(
        detail_url(task.pk), {"title": "v2"}, format="json", HTTP_IF_MATCH=f"W/{etag}"
    )

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.NO_CONTENT}


def test_if_match_star_matches_any_version(api_client_logged_in, user):
    task = TaskFactory(user=user)

    response = api_client_logged_in.patch(
        detail_url(task.pk), {"title": "x"}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == HTTPStatus.OK


# Concurrency --------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_concurrent_writers_with_the_same_etag_exactly_one_wins():
    """Writers that read the same version race with If-Match: one gets 200, the others
    412, because the row is locked between the comparison and the write."""
    owner = User.objects.create_user("racer@example.com", "pw")
    task = TaskFactory(user=owner, title="v0")
    reader = APIClient()
    reader.force_authenticate(owner)
    etag = reader.get(detail_url(task.pk))["ETag"]
    writers = 6
    barrier = threading.Barrier(writers)
    statuses: list[int] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        client = APIClient()
        client.force_authenticate(owner)
        try:
            barrier.wait(timeout=30)
            response = client.patch(
                detail_url(task.pk),
                {"title": f"writer {n}"},
                format="json",
                HTTP_IF_MATCH=etag,
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200] + [412] * (writers - 1)
    task.refresh_from_db()
    assert task.title.startswith("writer ")
