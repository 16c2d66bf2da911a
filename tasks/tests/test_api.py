"""The tasks resource of the REST API (SPEC §5)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from accounts.models import User
from tasks.api.serializers import TaskSerializer, with_tag_names
from tasks.api.views import TaskViewSet
from tasks.models import Tag, Task
from tasks.tests.factories import TaskFactory
from tasks.tests.queries import tag_name_queries

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:task-list")


def detail_url(pk: int) -> str:
    return reverse("api:task-detail", args=[pk])


def user_tasks_url(user_id: int) -> str:
    return reverse("api:user-tasks", args=[user_id])


def titles(response) -> list[str]:
    return [task["title"] for task in response.json()["results"]]


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


# Filters, ordering, pagination -------------------------------------------------------


@pytest.fixture
def dated_tasks(user):
    today = timezone.localdate()
    TaskFactory(user=user, title="past due", due_date=today - timedelta(days=2))
    TaskFactory(
        user=user,
        title="past done",
        due_date=today - timedelta(days=1),
        status=Task.Status.COMPLETED,
    )
    TaskFactory(
        user=user,
        title="today",
        due_date=today,
        status=Task.Status.IN_PROGRESS,
        description="call the bank",
    )
    TaskFactory(user=user, title="next week", due_date=today + timedelta(days=7))
    TaskFactory(user=user, title="undated")
    return today


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "completed"}, {"past done"}),
        ({"status": ["completed", "in_progress"]}, {"past done", "today"}),
        ({"status": "completed, in_progress"}, {"past done", "today"}),
        ({"overdue": "true"}, {"past due"}),
        ({"overdue": "false"}, {"past done", "today", "next week", "undated"}),
        ({"search": "BANK"}, {"today"}),
        ({"search": "past due"}, {"past due"}),
        ({"search": ""}, {"past due", "past done", "today", "next week", "undated"}),
        (
            {"unknown": "ignored"},
            {"past due", "past done", "today", "next week", "undated"},
        ),
    ],
)
def test_list_filters(api_client_logged_in, dated_tasks, params, expected):
    response = api_client_logged_in.get(LIST_URL, params)

    assert response.status_code == HTTPStatus.OK
    assert set(titles(response)) == expected


def test_due_before_and_after_are_inclusive(api_client_logged_in, dated_tasks):
    today = dated_tasks

    before = api_client_logged_in.get(LIST_URL, {"due_before": today.isoformat()})
    after = api_client_logged_in.get(LIST_URL, {"due_after": today.isoformat()})
    between = api_client_logged_in.get(
        LIST_URL,
        {
            "due_after": (today - timedelta(days=1)).isoformat(),
            "due_before": today.isoformat(),
        },
    )

    assert set(titles(before)) == {"past due", "past done", "today"}
    assert set(titles(after)) == {"today", "next week"}
    assert set(titles(between)) == {"past done", "today"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "done"}, "status"),
        ({"status": "pending,"}, "status"),
        ({"due_before": "tomorrow"}, "due_before"),
        ({"due_after": "2026-13-01"}, "due_after"),
        ({"due_after": ""}, "due_after"),
        ({"overdue": "maybe"}, "overdue"),
        ({"ordering": "password"}, "ordering"),
        ({"ordering": "-user__email"}, "ordering"),
        ({"search": "a\x00b"}, "search"),
        ({"search": "x" * 201}, "search"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_invalid_query_parameters_are_400(api_client_logged_in, params, field):
    response = api_client_logged_in.get(LIST_URL, params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert field in response.json()


@pytest.fixture
def ordering_tasks(user):
    """Tasks whose order differs by every sortable field.

    created_at order: a, b, c; updated_at order: c, a, b; title order: b, c, a;
    due date: c, a, (b undated, last both ways); status: b (completed), c (in
    progress), a (pending).
    """
    base = datetime(2026, 1, 1, tzinfo=UTC)
    specs = [
        ("a", 0, 2, "zeta", date(2026, 5, 2), Task.Status.PENDING),
        ("b", 1, 3, "alpha", None, Task.Status.COMPLETED),
        ("c", 2, 1, "mu", date(2026, 5, 1), Task.Status.IN_PROGRESS),
    ]
    for _key, created, updated, title, due, status in specs:
        task = TaskFactory(
            user=user,
            title=title,
            due_date=due,
            status=status,
            created_at=base + timedelta(hours=created),
        )
        Task.objects.filter(pk=task.pk).update(
            updated_at=base + timedelta(days=1, hours=updated)
        )


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (None, ["mu", "alpha", "zeta"]),
        ("created_at", ["zeta", "alpha", "mu"]),
        ("-created_at", ["mu", "alpha", "zeta"]),
        ("updated_at", ["mu", "zeta", "alpha"]),
        ("-updated_at", ["alpha", "zeta", "mu"]),
        ("title", ["alpha", "mu", "zeta"]),
        ("-title", ["zeta", "mu", "alpha"]),
        ("due_date", ["mu", "zeta", "alpha"]),
        ("-due_date", ["zeta", "mu", "alpha"]),
        ("status", ["alpha", "mu", "zeta"]),
        ("-status", ["zeta", "mu", "alpha"]),
    ],
)
def test_ordering(api_client_logged_in, ordering_tasks, ordering, expected):
    params = {"ordering": ordering} if ordering else {}

    response = api_client_logged_in.get(LIST_URL, params)

    assert titles(response) == expected


def test_title_ordering_ignores_case_and_accents_as_the_list_page_does(
    api_client_logged_in, client_logged_in, user
):
    for title in ["Zebra", "éclair", "apple", "Eclipse"]:
        TaskFactory(user=user, title=title)

    response = api_client_logged_in.get(LIST_URL, {"ordering": "title"})
    page = client_logged_in.get(
        reverse("tasks:list"), {"sort": "title", "status": "all"}
    )

    assert titles(response) == ["apple", "éclair", "Eclipse", "Zebra"]
    assert [task.title for task in page.context["object_list"]] == titles(response)


def test_default_order_is_stable_for_equal_creation_times(api_client_logged_in, user):
    moment = timezone.now()
    tasks = [TaskFactory(user=user, created_at=moment) for _ in range(3)]

    response = api_client_logged_in.get(LIST_URL)

    assert [t["id"] for t in response.json()["results"]] == [
        t.pk for t in reversed(tasks)
    ]


def test_pagination_defaults_to_50_and_caps_page_size_at_200(
    api_client_logged_in, user
):
    TaskFactory.create_batch(201, user=user)

    default = api_client_logged_in.get(LIST_URL)
    capped = api_client_logged_in.get(LIST_URL, {"page_size": "1000"})
    second = api_client_logged_in.get(LIST_URL, {"page_size": "200", "page": "2"})

    assert default.json()["count"] == 201
    assert len(default.json()["results"]) == 50
    assert default.json()["previous"] is None
    assert "page=2" in default.json()["next"]
    assert len(capped.json()["results"]) == 200
    assert len(second.json()["results"]) == 1


@pytest.mark.parametrize("count", [0, 4, 5, 6])
@pytest.mark.parametrize("page", [None, "1", "last"])
def test_a_first_page_says_the_same_whether_or_not_the_list_fits_it(
    api_client_logged_in, user, count, page
):
    """The first page reads one task more than it shows and counts without a query
    when the list fits: the count and links are those of a counted list."""
    TaskFactory.create_batch(count, user=user)
    params = {"page_size": 5} | ({"page": page} if page else {})

    body = api_client_logged_in.get(LIST_URL, params).json()
    second = api_client_logged_in.get(LIST_URL, {"page_size": 5, "page": 2})

    assert body["count"] == count
    assert body["previous"] is None or page == "last"
    if page == "last" and count > 5:
        assert [t["id"] for t in body["results"]] == [
            t["id"] for t in second.json()["results"]
        ]
    else:
        assert len(body["results"]) == min(count, 5)
        assert (body["next"] is not None) == (count > 5)
        assert second.status_code == (
            HTTPStatus.OK if count > 5 else HTTPStatus.NOT_FOUND
        )


@pytest.mark.parametrize("page", ["2", "0", "-1", "abc", "", "99999999999999999999"])
def test_page_out_of_range_is_404_json(api_client_logged_in, user, page):
    TaskFactory(user=user)

    response = api_client_logged_in.get(LIST_URL, {"page": page})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "Invalid page."}


# Query counts -------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "counting"), [(5, 0), (60, 1)])
def test_list_query_count_does_not_grow_with_tasks_or_tags(
    api_client_logged_in, user, django_assert_num_queries, count, counting
):
    """A page costs the rate counter and the page itself, whatever the number of tasks
    and tags. The first page reads one row more than it shows: a list that fits on it
    needs no COUNT, a longer one one COUNT. The page's tag names come with its rows on
    PostgreSQL, in one more query elsewhere.

    user_id is a column of the task: no per-task query for the owner.
    """
    tags = [Tag.objects.create(user=user, name=f"tag {n}") for n in range(count)]
    for n, task in enumerate(TaskFactory.create_batch(count, user=user)):
        task.tags.set(tags[n : n + 3])

    with django_assert_num_queries(2 + counting + tag_name_queries()):
        response = api_client_logged_in.get(LIST_URL, {"status": "pending"})

    assert response.json()["count"] == count
    assert sum(len(task["tags"]) for task in response.json()["results"]) > min(
        count, 50
    )


@pytest.mark.parametrize(("count", "counting"), [(5, 0), (60, 1)])
def test_list_without_filters_query_count(
    api_client_logged_in, user, django_assert_num_queries, count, counting
):
    """Only `page_size` (no filter): the same queries, with no filter set built."""
    TaskFactory.create_batch(count, user=user)

    with django_assert_num_queries(2 + counting + tag_name_queries()):
        response = api_client_logged_in.get(LIST_URL, {"page_size": 50})

    assert response.json()["count"] == count
    assert len(response.json()["results"]) == min(count, 50)


def test_detail_query_count(api_client_logged_in, user, django_assert_num_queries):
    """Reading one task is two queries besides the rate counter: the row and its
    tags (the ETag is computed from them)."""
    task = TaskFactory(user=user)

    with django_assert_num_queries(3):
        response = api_client_logged_in.get(detail_url(task.pk))

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(("count", "counting"), [(5, 0), (60, 1)])
def test_token_authenticated_list_query_count(
    api_client, user, django_assert_num_queries, count, counting
):
    """With a token, authentication adds one query (knox's token with its user):
    still constant in the task count (COUNT only for a list longer than its page)."""
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=user)
    TaskFactory.create_batch(count, user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    with django_assert_num_queries(3 + counting + tag_name_queries()):
        response = api_client.get(LIST_URL)

    assert response.json()["count"] == count


# Errors are JSON ----------------------------------------------------------------------


def test_unauthenticated_is_401_with_www_authenticate(api_client):
    response = api_client.get(LIST_URL)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "detail": "Authentication credentials were not provided."
    }


def test_an_invalid_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get(LIST_URL)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"detail": "Invalid token."}


def test_a_session_write_without_csrf_token_is_403(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    read = client.get(LIST_URL)
    write = client.post(LIST_URL, {"title": "t"}, format="json")

    assert read.status_code == HTTPStatus.OK
    assert write.status_code == HTTPStatus.FORBIDDEN
    assert "CSRF" in write.json()["detail"]
    assert not Task.objects.exists()


def test_unsupported_method_is_405_json_with_allow(api_client_logged_in):
    response = api_client_logged_in.delete(LIST_URL)

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tasks/99999999999999999999/",
        "/api/v1/tasks/2147483648/",
        "/api/v1/tasks/abc/",
        "/api/v1/users/99999999999999999999/tasks/",
        "/api/v1/no-such-endpoint/",
        "/api/nothing-here",
    ],
)
def test_unknown_urls_under_api_are_404_json(api_client_logged_in, path):
    response = api_client_logged_in.get(path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_an_unexpected_error_is_a_json_500(api_client_logged_in, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(TaskViewSet, "list", explode)
    api_client_logged_in.raise_request_exception = False

    response = api_client_logged_in.get(LIST_URL)

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.json() == {"detail": "Internal Server Error."}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "expected"),
    [
        ("post", LIST_URL, {"content_type": "application/json; charset=nope"}, 400),
        ("post", LIST_URL, {"content_type": "application/json; charset=utf-16"}, 400),
        ("post", LIST_URL, {"content_type": "text/plain"}, 415),
        ("get", LIST_URL, {"HTTP_ACCEPT": "text/csv"}, 406),
        ("get", LIST_URL, {"QUERY_STRING": "status=%00&page=%ff"}, 400),
        ("get", LIST_URL, {"QUERY_STRING": "ordering=%ED%A0%80"}, 400),
        ("get", "/api/v1/tasks/%ED%A0%80/", {}, 404),
        ("get", "/api/v1/tasks/1%00/", {}, 404),
        (
            "patch",
            "/api/v1/tasks/1/",
            {"HTTP_IF_MATCH": '"\x00", W/', "content_type": "application/json"},
            404,
        ),
    ],
)
def test_odd_requests_get_a_json_4xx_never_a_500(
    api_client_logged_in, method, path, kwargs, expected
):
    kwargs.setdefault("data", b"\xff\xfe{")
    if method == "get":
        kwargs.pop("data")

    response = getattr(api_client_logged_in, method)(path, **kwargs)

    assert response.status_code == expected
    if expected != HTTPStatus.NOT_ACCEPTABLE:
        assert "detail" in response.json() or response.json()


def test_pages_keep_their_html_errors(client):
    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not response["Content-Type"].startswith("application/json")


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


# Schema and docs ----------------------------------------------------------------------


def test_schema_describes_every_route(api_client):
    response = api_client.get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == HTTPStatus.OK
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/auth/tokens/",
        "/api/v1/me/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{id}/",
        "/api/v1/users/{user_id}/tasks/",
    }
    list_params = {
        p["name"] for p in schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]
    }
    assert list_params >= {
        "page",
        "page_size",
        "status",
        "due_before",
        "due_after",
        "overdue",
        "search",
        "ordering",
    }
    patch = schema["paths"]["/api/v1/tasks/{id}/"]["patch"]
    assert {"200", "400", "401", "404", "412", "429"} <= set(patch["responses"])


def test_docs_page_loads_only_local_files_and_no_inline_code(client):
    response = client.get(reverse("api:docs"))
    html = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<style" not in html
    # Swagger UI's bundle and preset from the sidecar, then the start-up script.
    sources = [part.split('"')[1] for part in html.split("<script")[1:]]
    assert len(sources) == 3
    assert all(source.startswith("/") for source in sources), sources
    assert sources[0].startswith("/static/drf_spectacular_sidecar/")
    assert sources[2].startswith(reverse("api:docs"))
    assert "<script>" not in html
    assert "//cdn" not in html and "https://" not in html

    script = client.get(sources[2])
    assert script.status_code == HTTPStatus.OK
    assert "SwaggerUIBundle" in script.content.decode()


# CORS ---------------------------------------------------------------------------------


@pytest.fixture
def cors(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]


def test_cors_preflight_from_an_allowed_origin_is_answered(client, cors):
    response = client.options(
        LIST_URL,
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, if-match",
    )

    assert response.status_code == HTTPStatus.OK
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    assert "if-match" in response["Access-Control-Allow-Headers"]


def test_cors_exposes_etag_and_location_to_allowed_origins(api_client_logged_in, cors):
    response = api_client_logged_in.get(LIST_URL, HTTP_ORIGIN="https://app.example.com")

    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "etag" in response["Access-Control-Expose-Headers"]


def test_cors_refuses_other_origins(client, cors):
    response = client.options(
        LIST_URL,
        HTTP_ORIGIN="https://evil.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_pages_and_admin_never_send_cors_headers(client, cors, path):
    response = client.get(path, HTTP_ORIGIN="https://app.example.com")
    preflight = client.options(
        path,
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight


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
