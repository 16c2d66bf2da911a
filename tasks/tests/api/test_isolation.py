"""Task API: each user sees only their own tasks; staff need the admin's
permissions for anyone else's."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from accounts.models import User
from tasks.models import Task
from tasks.tests.api.helpers import LIST_URL, detail_url, titles, user_tasks_url
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


# Isolation ----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_users_task_is_404_on_every_method(
    api_client_logged_in, other_user, method
):
    task = TaskFactory(user=other_user, title="theirs")

    response = getattr(api_client_logged_in, method)(
        detail_url(task.pk), {"title": "hacked"}, format="json"
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "No Task matches the given query."}
    task.refresh_from_db()
    assert task.title == "theirs"


def test_another_users_tasks_never_appear_in_lists(
    api_client_logged_in, user, other_user
):
    TaskFactory(user=user, title="mine")
    TaskFactory(user=other_user, title="theirs")

    response = api_client_logged_in.get(LIST_URL, {"search": "theirs"})
    everything = api_client_logged_in.get(LIST_URL)

    assert response.json()["count"] == 0
    assert titles(everything) == ["mine"]


def test_a_task_cannot_be_moved_to_another_user(api_client_logged_in, user, other_user):
    task = TaskFactory(user=user)

    response = api_client_logged_in.patch(
        detail_url(task.pk), {"user_id": other_user.pk, "user": other_user.pk}
    )

    assert response.status_code == HTTPStatus.OK
    task.refresh_from_db()
    assert task.user == user


def test_user_task_list_is_for_that_user(api_client_logged_in, user, other_user):
    TaskFactory(user=user, title="mine")
    TaskFactory(user=other_user, title="theirs")

    response = api_client_logged_in.get(user_tasks_url(user.pk))

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == ["mine"]


def test_user_task_list_of_someone_else_is_404_for_get_and_post(
    api_client_logged_in, other_user
):
    TaskFactory(user=other_user, title="theirs")

    get = api_client_logged_in.get(user_tasks_url(other_user.pk))
    post = api_client_logged_in.post(
        user_tasks_url(other_user.pk), {"title": "planted"}, format="json"
    )

    assert get.status_code == HTTPStatus.NOT_FOUND
    assert post.status_code == HTTPStatus.NOT_FOUND
    assert list(Task.objects.values_list("title", flat=True)) == ["theirs"]


def test_posting_to_own_user_list_creates_for_the_caller(api_client_logged_in, user):
    response = api_client_logged_in.post(
        user_tasks_url(user.pk), {"title": "via original route"}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    assert response["Location"].endswith(detail_url(Task.objects.get().pk))
    assert Task.objects.get().user == user


def test_staff_with_task_permissions_can_read_and_add_to_any_users_list(
    api_client, other_user
):
    # Without the permissions it is a 404: tasks/tests/test_staff_permissions.py.
    staff = User.objects.create_superuser("root@example.com", "x")
    TaskFactory(user=other_user, title="theirs")
    api_client.force_authenticate(staff)

    get = api_client.get(user_tasks_url(other_user.pk))
    post = api_client.post(
        user_tasks_url(other_user.pk), {"title": "from support"}, format="json"
    )
    missing = api_client.get(user_tasks_url(10**12))

    assert titles(get) == ["theirs"]
    assert post.status_code == HTTPStatus.CREATED
    assert post.json()["user_id"] == other_user.pk
    assert missing.status_code == HTTPStatus.NOT_FOUND
