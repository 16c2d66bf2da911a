"""Who may see and change whose tasks, in every interface (issue 13, item 1).

Staff use someone else's list in the API only with the admin's permissions: "view
task" to read it, "add task" to create in it. Pages and the task URLs of the API are
their owner's only, staff or not. The admin follows Django's model permissions.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import User
from tasks.models import Task
from tasks.tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_FOUND, OK, CREATED = HTTPStatus.NOT_FOUND, HTTPStatus.OK, HTTPStatus.CREATED
FORBIDDEN, FOUND = HTTPStatus.FORBIDDEN, HTTPStatus.FOUND

#: Who asks: the owner, a plain user, and staff with no, view-only or every task
#: permission, and a superuser (every permission without any being assigned).
ROLES = ("owner", "plain", "staff_none", "staff_view", "staff_full", "superuser")
STAFF_PERMISSIONS = {
    "staff_none": (),
    "staff_view": ("view_task",),
    "staff_full": ("view_task", "add_task", "change_task", "delete_task"),
}


@pytest.fixture
def owner() -> User:
    return UserFactory(email="owner@example.com")


@pytest.fixture
def task(owner: User) -> Task:
    return TaskFactory(user=owner, title="owner's secret")


def caller(role: str, owner: User) -> User:
    """Return the account acting as `role`."""
    if role == "owner":
        return owner
    if role == "superuser":
        return User.objects.create_superuser("root@example.com", "x")
    user = UserFactory(email=f"{role}@example.com", is_staff=role.startswith("staff"))
    codenames = STAFF_PERMISSIONS.get(role, ())
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # no cached permissions


def token_client(user: User) -> APIClient:
    """Return an API client authenticated as an integration would be, by a token."""
    _, key = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def user_tasks_url(user: User) -> str:
    return reverse("api:user-tasks", args=[user.pk])


# API: /api/v1/users/<id>/tasks/ ------------------------------------------------------

READ_EXPECTED = {
    "owner": OK,
    "plain": NOT_FOUND,
    "staff_none": NOT_FOUND,
    "staff_view": OK,
    "staff_full": OK,
    "superuser": OK,
}
CREATE_EXPECTED = {**READ_EXPECTED, "staff_view": NOT_FOUND, "owner": CREATED}
CREATE_EXPECTED.update(staff_full=CREATED, superuser=CREATED)


@pytest.mark.parametrize("role", ROLES)
def test_reading_someone_elses_list_in_the_api_needs_the_view_permission(
    role, owner, task
):
    client = token_client(caller(role, owner))

    response = client.get(user_tasks_url(owner))

    assert response.status_code == READ_EXPECTED[role]
    if response.status_code == OK:
        assert [t["title"] for t in response.json()["results"]] == [task.title]
    else:
        assert task.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_creating_in_someone_elses_list_in_the_api_needs_the_add_permission(
    role, owner
):
    client = token_client(caller(role, owner))

    response = client.post(user_tasks_url(owner), {"title": "planted"}, format="json")

    assert response.status_code == CREATE_EXPECTED[role]
    planted = Task.objects.filter(title="planted")
    if response.status_code == CREATED:
        assert planted.get().user == owner
    else:
        assert not planted.exists()


def test_a_staff_list_of_a_user_that_does_not_exist_is_404(owner):
    client = token_client(caller("staff_full", owner))

    assert client.get(reverse("api:user-tasks", args=[10**9])).status_code == NOT_FOUND


def test_the_location_of_a_created_task_is_one_its_creator_can_follow(owner):
    staff = caller("staff_full", owner)
    as_owner, as_staff = token_client(owner), token_client(staff)

    own = as_owner.post(user_tasks_url(owner), {"title": "mine"}, format="json")
    planted = as_staff.post(user_tasks_url(owner), {"title": "from support"})

    # The owner follows the Location to the task.
    assert as_owner.get(own["Location"]).json()["title"] == "mine"
    # Staff get the task in the body, and no URL that would answer them 404.
    assert planted.status_code == CREATED
    assert planted.json()["user_id"] == owner.pk
    assert "Location" not in planted
    assert as_staff.get(user_tasks_url(owner)).status_code == OK


# API: /api/v1/tasks/<id>/ is the owner's only ----------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_task_url_of_the_api_answers_its_owner_only(role, owner, task):
    client = token_client(caller(role, owner))
    url = reverse("api:task-detail", args=[task.pk])

    read = client.get(url)
    changed = client.patch(url, {"title": "changed"}, format="json")
    deleted = client.delete(url)

    if role == "owner":
        assert (read.status_code, changed.status_code) == (OK, OK)
        assert deleted.status_code == HTTPStatus.NO_CONTENT
    else:
        assert {read.status_code, changed.status_code, deleted.status_code} == {
            NOT_FOUND
        }
        task.refresh_from_db()
        assert task.title == "owner's secret"


# Pages: a task's pages are the owner's only ------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_tasks_pages_answer_its_owner_only(role, owner, task):
    client = Client()
    client.force_login(caller(role, owner))

    pages = [
        client.get(reverse(name, args=[task.pk]))
        for name in ("tasks:detail", "tasks:update", "tasks:delete")
    ]
    status_change = client.post(
        reverse("tasks:set_status", args=[task.pk]), {"status": "completed"}
    )
    listed = client.get(reverse("tasks:list"))

    expected = OK if role == "owner" else NOT_FOUND
    assert [page.status_code for page in pages] == [expected] * 3
    task.refresh_from_db()
    if role == "owner":
        assert task.status == Task.Status.COMPLETED
    else:
        assert status_change.status_code == NOT_FOUND
        assert task.status == Task.Status.PENDING
        assert task.title not in listed.content.decode()


# Admin: Django's model permissions ----------------------------------------------------

ADMIN_EXPECTED = {
    # role: (changelist, change page, add page)
    "plain": (FOUND, FOUND, FOUND),  # to the admin's log-in page
    "staff_none": (FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "staff_view": (OK, OK, FORBIDDEN),
    "staff_full": (OK, OK, OK),
    "superuser": (OK, OK, OK),
}


@pytest.mark.parametrize("role", ADMIN_EXPECTED)
def test_the_task_admin_follows_djangos_model_permissions(role, owner, task):
    client = Client()
    client.force_login(caller(role, owner))

    statuses = tuple(
        client.get(url).status_code
        for url in (
            reverse("admin:tasks_task_changelist"),
            reverse("admin:tasks_task_change", args=[task.pk]),
            reverse("admin:tasks_task_add"),
        )
    )

    assert statuses == ADMIN_EXPECTED[role]


def test_view_only_staff_cannot_change_a_task_in_the_admin(owner, task):
    client = Client()
    client.force_login(caller("staff_view", owner))

    response = client.post(
        reverse("admin:tasks_task_change", args=[task.pk]),
        {"user": owner.pk, "title": "changed", "status": "pending"},
    )

    assert response.status_code == FORBIDDEN
    task.refresh_from_db()
    assert task.title == "owner's secret"
