"""Task API: creating a task, and its JSON representation (SPEC §5)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from http import HTTPStatus

import pytest
from django.utils import timezone
from rest_framework import serializers

from api.renderers import OrjsonRenderer
from tasks.api.serializers import TaskSerializer, with_tag_names
from tasks.models import Task
from tasks.tests.api.helpers import LIST_URL, detail_url
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


# Representation and create ------------------------------------------------------------


def test_create_returns_201_with_location_etag_and_the_representation(
    api_client_logged_in, user
):
    response = api_client_logged_in.post(
        LIST_URL, {"title": "Pay rent", "due_date": "2026-12-31"}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    task = Task.objects.get()
    assert response["Location"] == f"http://testserver{detail_url(task.pk)}"
    assert response["ETag"].startswith('"')
    assert set(body) == {
        "id",
        "user_id",
        "title",
        "description",
        "status",
        "due_date",
        "repeat",
        "tags",
        "created_at",
        "updated_at",
    }
    assert body["id"] == task.pk
    assert body["user_id"] == user.pk
    assert body["title"] == "Pay rent"
    assert body["description"] is None
    assert body["status"] == "pending"
    assert body["due_date"] == "2026-12-31"
    assert body["created_at"] == body["updated_at"]


def test_read_only_fields_are_ignored_on_create(api_client_logged_in, user, other_user):
    response = api_client_logged_in.post(
        LIST_URL,
        {
            "title": "mine",
            "id": 999,
            "user_id": other_user.pk,
            "created_at": "2000-01-01T00:00:00Z",
        },
        format="json",
    )

    assert response.status_code == HTTPStatus.CREATED
    task = Task.objects.get()
    assert task.user == user
    assert task.pk != 999
    assert task.created_at.year != 2000


def test_blank_description_is_stored_as_null(api_client_logged_in):
    response = api_client_logged_in.post(
        LIST_URL, {"title": "t", "description": ""}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    assert Task.objects.get().description is None


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({}, "title", "This field is required."),
        ({"title": "   "}, "title", "This field may not be blank."),
        (
            {"title": "x" * 201},
            "title",
            "Ensure this field has no more than 200 characters.",
        ),
        ({"title": "a\x00b"}, "title", "Null characters are not allowed."),
        ({"title": 12}, "title", "Not a valid string."),
        ({"title": ["a"]}, "title", "Not a valid string."),
        ({"title": "t", "description": "a\x00"}, "description", "Null characters"),
        ({"title": "t", "status": "done"}, "status", '"done" is not a valid choice.'),
        ({"title": "t", "status": 1}, "status", '"1" is not a valid choice.'),
        ({"title": "t", "due_date": "31/12/2026"}, "due_date", "Date has wrong format"),
        ({"title": "t", "due_date": "2026-02-30"}, "due_date", "Date has wrong format"),
        ({"title": "t", "due_date": 20261231}, "due_date", "Date has wrong format"),
    ],
)
def test_invalid_task_is_400_with_a_message_for_the_field(
    api_client_logged_in, payload, field, message
):
    response = api_client_logged_in.post(LIST_URL, payload, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.json()[field][0]
    assert not Task.objects.exists()


def test_a_one_megabyte_title_is_400_and_a_ten_megabyte_body_is_413(
    api_client_logged_in,
):
    big = api_client_logged_in.post(LIST_URL, {"title": "x" * 1_000_000}, format="json")
    huge = api_client_logged_in.post(
        LIST_URL, {"title": "t", "description": "x" * 10_000_000}, format="json"
    )

    assert big.status_code == HTTPStatus.BAD_REQUEST
    assert huge.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert huge.json() == {"detail": "The request body is too large."}
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "\xff\xfe"}',  # not UTF-8
        b'{"title": "a"',  # truncated
        b'{"title": "\\ud800"}',  # a lone surrogate
        b"[" * 100_000 + b"]" * 100_000,  # nested beyond the recursion limit
        b'{"title": NaN}',
    ],
)
def test_malformed_json_is_400_json(api_client_logged_in, body):
    response = api_client_logged_in.post(
        LIST_URL, body, content_type="application/json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "JSON parse error" in response.json()["detail"]


def test_a_body_that_is_not_json_is_415(api_client_logged_in):
    response = api_client_logged_in.post(LIST_URL, {"title": "t"}, format="multipart")

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert "Unsupported media type" in response.json()["detail"]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris"])
def test_the_fast_representation_equals_drfs_field_by_field_one(user, zone):
    """TaskSerializer writes tasks out by hand for speed; DRF's fields must agree."""

    class FieldByField(TaskSerializer):
        to_representation = serializers.ModelSerializer.to_representation

    tasks = [
        TaskFactory(user=user, description=None, due_date=None),
        TaskFactory(
            user=user,
            description="Notes",
            status=Task.Status.IN_PROGRESS,
            due_date=date(2027, 1, 31),
            created_at=datetime(2026, 11, 27, 8, 0, 0, 123456, tzinfo=UTC),
            repeat="monthly",
        ),
    ]
    tasks[1].set_tags(["work", "Home"])
    tasks[1].refresh_from_db()

    with timezone.override(zone):
        for task in tasks:
            assert TaskSerializer(task).data == FieldByField(task).data
            # Lists represent values() rows instead of tasks.
            rows = Task.objects.values(*TaskSerializer.ROW_FIELDS).filter(pk=task.pk)
            [row] = with_tag_names(list(rows))
            assert TaskSerializer(row).data == FieldByField(task).data
        created = TaskSerializer(data={"title": "New", "tags": ["work", "new"]})
        created.is_valid(raise_exception=True)
        created.save(user=user)
        assert created.data == FieldByField(created.instance).data


@pytest.mark.postgres
def test_lists_read_by_postgresql_equal_the_serializers_representation(
    api_client_logged_in, user
):
    """On PostgreSQL a list's rows come from the database already as text
    (TaskSerializer.database_representation()); they must be what the serializer
    writes for the same tasks, byte for byte once rendered."""
    awkward = [
        # A creation on a whole second: Python writes no ".000000".
        TaskFactory(
            user=user,
            title='Quotes " and \\ backslash, tab\t, newline\n, \u2028 and ☃',
            description=None,
            due_date=None,
            created_at=datetime(2026, 11, 27, 8, 0, 0, tzinfo=UTC),
        ),
        # Microseconds with trailing zeros, a date, a repeat.
        TaskFactory(
            user=user,
            title="Ünïcödé title",
            description="Notes\x1f with a unit separator",
            status=Task.Status.IN_PROGRESS,
            due_date=date(1900, 1, 1),
            created_at=datetime(2026, 11, 27, 8, 0, 0, 120000, tzinfo=UTC),
            repeat="monthly",
        ),
        TaskFactory(user=user, due_date=date(2200, 12, 31)),
    ]
    awkward[1].set_tags(["work", "Home", "été"])
    Task.objects.filter(pk=awkward[2].pk).update(
        updated_at=datetime(2026, 11, 28, 23, 59, 59, 999999, tzinfo=UTC)
    )
    expected = [
        TaskSerializer(Task.objects.get(pk=task.pk)).data
        for task in sorted(awkward, key=lambda task: task.created_at, reverse=True)
    ]
    assert TaskSerializer.represented_by_database("default")

    response = api_client_logged_in.get(LIST_URL)

    assert response.json()["results"] == expected
    rendered = OrjsonRenderer().render({"results": expected})
    assert response.content.endswith(rendered[1:])
