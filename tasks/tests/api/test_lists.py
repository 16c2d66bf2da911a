"""Task API lists: filters, ordering, pagination, and their query counts."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from tasks.models import Tag, Task
from tasks.tests.api.helpers import LIST_URL, detail_url, titles
from tasks.tests.factories import TaskFactory
from tasks.tests.queries import tag_name_queries

pytestmark = pytest.mark.django_db


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
    still constant in the task count (COUNT only for a list longer than its page).
    The token's first use in a while is written once (accounts.tokens.record_use),
    not on every request."""
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=user)
    TaskFactory.create_batch(count, user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    queries = 3 + counting + tag_name_queries()

    with django_assert_num_queries(queries + 1):  # and the token's use
        first = api_client.get(LIST_URL)
    with django_assert_num_queries(queries):
        response = api_client.get(LIST_URL)

    assert first.json()["count"] == response.json()["count"] == count


# The unfiltered list: one statement compiled per thread ---------------------------


@pytest.mark.postgres
def test_unfiltered_list_compiles_no_sql_after_its_first_request(
    api_client, user, other_user
):
    """The list without filters runs a statement compiled once (OwnerTaskRows): the
    next request, another user's included, builds no SQL, and each user still gets
    only their own tasks."""
    TaskFactory.create_batch(3, user=user)
    TaskFactory.create_batch(2, user=other_user)
    api_client.force_authenticate(user)
    api_client.get(LIST_URL)

    api_client.force_authenticate(other_user)
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as compile_sql:
        response = api_client.get(LIST_URL)

    compile_sql.assert_not_called()
    assert {task["user_id"] for task in response.json()["results"]} == {other_user.pk}
    assert response.json()["count"] == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_unfiltered_list_answers_from_every_thread_of_a_threaded_worker():
    """Threaded workers (GUNICORN_WORKER_CLASS=gthread) serve requests from several
    threads of one process: the list's statement, compiled by the first, answers
    the others too, each with the caller's own tasks."""
    owner = User.objects.create_user("threads@example.com", "pw")
    TaskFactory.create_batch(3, user=owner)
    TaskFactory.create_batch(2, user=User.objects.create_user("other@example.com"))
    answers: list[tuple[int, int]] = []
    lock = threading.Lock()

    def list_tasks() -> None:
        client = APIClient()
        client.force_authenticate(owner)
        try:
            response = client.get(LIST_URL)
            with lock:
                answers.append((response.status_code, response.json()["count"]))
        finally:
            connection.close()  # each thread has its own connection

    list_tasks()  # this thread first, as a worker's first request
    threads = [threading.Thread(target=list_tasks) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert answers == [(HTTPStatus.OK, 3)] * 4


@pytest.mark.parametrize(("page", "page_size"), [(1, 50), (1, 7), (2, 7), (4, 7)])
def test_unfiltered_list_is_the_filtered_lists_answer(
    api_client_logged_in, user, other_user, page, page_size
):
    """Same tasks, order, representation, count and links as a list through the
    filters (a filter that keeps every task), page by page."""
    tag = Tag.objects.create(user=user, name="home")
    for task in TaskFactory.create_batch(25, user=user):
        if task.pk % 3 == 0:
            task.tags.set([tag])
    TaskFactory.create_batch(3, user=other_user)
    every_status = [choice for choice, _ in Task.Status.choices]
    query = {"page": page, "page_size": page_size}

    unfiltered = api_client_logged_in.get(LIST_URL, query)
    filtered = api_client_logged_in.get(LIST_URL, {**query, "status": every_status})

    assert unfiltered.status_code == HTTPStatus.OK
    body, expected = unfiltered.json(), filtered.json()
    assert body["results"] == expected["results"]
    assert body["count"] == expected["count"] == 25
    assert [without_status(body["next"]), without_status(body["previous"])] == [
        without_status(expected["next"]),
        without_status(expected["previous"]),
    ]


def without_status(link: str | None) -> tuple | None:
    """A page link's path and query parameters, leaving out `status`."""
    if link is None:
        return None
    url = urlsplit(link)
    return url.path, sorted((k, v) for k, v in parse_qsl(url.query) if k != "status")


def test_unfiltered_list_page_past_the_end_is_404(api_client_logged_in, user):
    TaskFactory.create_batch(3, user=user)

    response = api_client_logged_in.get(LIST_URL, {"page": 2})

    assert response.status_code == HTTPStatus.NOT_FOUND
