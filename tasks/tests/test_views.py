"""The task pages: list (tabs, filters, pages), create, view, edit, delete, status."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import (
    assertContains,
    assertNotContains,
    assertRedirects,
    assertTemplateUsed,
)

from tasks.models import Tag, Task, TrashedTask
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

LIST_URL = "tasks:list"


def listed_titles(response) -> list[str]:
    return [task.title for task in response.context["object_list"]]


@pytest.fixture
def today():
    return timezone.localdate()


# Log-in and isolation -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["tasks:list", "tasks:create"])
def test_task_pages_require_log_in(client, name):
    url = reverse(name)

    response = client.get(url)

    assertRedirects(response, f"{reverse('accounts:login')}?next={url}")


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("tasks:detail", "get"),
        ("tasks:update", "get"),
        ("tasks:update", "post"),
        ("tasks:delete", "get"),
        ("tasks:delete", "post"),
        ("tasks:set_status", "post"),
    ],
)
def test_other_users_task_is_404_on_every_page_and_post(
    client_logged_in, other_user, name, method
):
    task = TaskFactory(user=other_user, title="Theirs")
    url = reverse(name, kwargs={"pk": task.pk})

    response = getattr(client_logged_in, method)(
        url, {"title": "Hijacked", "status": "completed"}
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    task.refresh_from_db()
    assert task.title == "Theirs"
    assert task.status == Task.Status.PENDING


def test_status_change_by_get_is_refused(client_logged_in, user):
    task = TaskFactory(user=user)

    response = client_logged_in.get(reverse("tasks:set_status", kwargs={"pk": task.pk}))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_other_users_status_change_by_get_is_refused_too(client_logged_in, other_user):
    task = TaskFactory(user=other_user)

    response = client_logged_in.get(reverse("tasks:set_status", kwargs={"pk": task.pk}))

    assert response.status_code in {HTTPStatus.METHOD_NOT_ALLOWED, HTTPStatus.NOT_FOUND}
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING


def test_list_shows_only_the_users_own_tasks(client_logged_in, user, other_user):
    TaskFactory(user=user, title="Mine")
    TaskFactory(user=other_user, title="Theirs")

    response = client_logged_in.get(reverse(LIST_URL))

    assert listed_titles(response) == ["Mine"]
    assertNotContains(response, "Theirs")


# List: tabs, search, filters, sort, pages ---------------------------------------------


def test_list_tabs_show_counts_per_status(client_logged_in, user):
    TaskFactory.create_batch(2, user=user, status=Task.Status.PENDING)
    TaskFactory(user=user, status=Task.Status.IN_PROGRESS)
    TaskFactory.create_batch(3, user=user, status=Task.Status.COMPLETED)

    response = client_logged_in.get(reverse(LIST_URL))

    assert response.context["counts"] == {
        "all": 6,
        "open": 3,
        "pending": 2,
        "in_progress": 1,
        "completed": 3,
    }
    assertContains(response, 'Completed <span class="count">3</span>', html=True)


def test_status_tab_lists_only_that_status(client_logged_in, user):
    TaskFactory(user=user, title="Doing", status=Task.Status.IN_PROGRESS)
    TaskFactory(user=user, title="Done", status=Task.Status.COMPLETED)

    response = client_logged_in.get(reverse(LIST_URL), {"status": "in_progress"})

    assert listed_titles(response) == ["Doing"]
    assert response.context["counts"]["all"] == 2


def test_search_matches_title_or_description_and_narrows_the_counts(
    client_logged_in, user
):
    TaskFactory(user=user, title="Pay rent")
    TaskFactory(user=user, title="Call", description="about the RENT increase")
    TaskFactory(user=user, title="Buy milk", status=Task.Status.COMPLETED)

    response = client_logged_in.get(reverse(LIST_URL), {"q": "rent"})

    assert sorted(listed_titles(response)) == ["Call", "Pay rent"]
    assert response.context["counts"]["all"] == 2
    assert response.context["counts"]["completed"] == 0
    assertContains(response, 'value="rent"')


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("overdue", ["late"]),
        ("today", ["today"]),
        ("week", ["today", "in three days"]),
        ("none", ["undated"]),
    ],
)
def test_due_filters(client_logged_in, user, today, due, expected):
    TaskFactory(user=user, title="late", due_date=today - timedelta(days=1))
    TaskFactory(
        user=user,
        title="late but done",
        due_date=today - timedelta(days=1),
        status=Task.Status.COMPLETED,
    )
    TaskFactory(user=user, title="today", due_date=today)
    TaskFactory(user=user, title="in three days", due_date=today + timedelta(days=3))
    TaskFactory(user=user, title="next month", due_date=today + timedelta(days=30))
    TaskFactory(user=user, title="undated")

    response = client_logged_in.get(reverse(LIST_URL), {"due": due})

    assert sorted(listed_titles(response)) == sorted(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["apple", "banana", "cherry"]),
        ("-title", ["cherry", "banana", "apple"]),
        ("due_date", ["banana", "cherry", "apple"]),
        ("-due_date", ["cherry", "banana", "apple"]),
        ("created_at", ["banana", "apple", "cherry"]),
        ("-created_at", ["cherry", "apple", "banana"]),
    ],
)
def test_sort_orders(client_logged_in, user, today, sort, expected):
    TaskFactory(user=user, title="banana", due_date=today)
    TaskFactory(user=user, title="apple")
    TaskFactory(user=user, title="cherry", due_date=today + timedelta(days=2))

    response = client_logged_in.get(reverse(LIST_URL), {"sort": sort})

    assert listed_titles(response) == expected


def test_sort_by_last_update_puts_the_recently_changed_task_first(
    client_logged_in, user
):
    first = TaskFactory(user=user, title="first")
    TaskFactory(user=user, title="second")
    first.set_status(Task.Status.IN_PROGRESS)

    response = client_logged_in.get(reverse(LIST_URL), {"sort": "-updated_at"})

    assert listed_titles(response) == ["first", "second"]


def test_list_escapes_titles_once(client_logged_in, user):
    """The page's values are escaped in Python (tasks/display.py), not again."""
    TaskFactory(user=user, title='Pay <b>rent</b> & "bills"')

    response = client_logged_in.get(reverse(LIST_URL))

    # The link and the hidden name of the check box.
    assertContains(
        response, "Pay &lt;b&gt;rent&lt;/b&gt; &amp; &quot;bills&quot;", count=2
    )
    assertNotContains(response, "&amp;lt;")
    assertNotContains(response, "<b>rent</b>")


def test_overdue_tasks_are_marked_with_text(client_logged_in, user, today):
    TaskFactory(user=user, title="late", due_date=today - timedelta(days=2))
    TaskFactory(user=user, title="fine", due_date=today + timedelta(days=2))

    response = client_logged_in.get(reverse(LIST_URL))

    assertContains(response, "Overdue, due </span>", count=1)
    assertContains(response, "2 days overdue")


@pytest.mark.parametrize(
    "params",
    [
        {"status": "archived"},
        {"sort": "password"},
        {"due": "yesterday"},
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"q": "x" * 5000},
        {"status": ["pending", "bogus"], "sort": ["title", "x"]},
    ],
)
def test_bad_query_parameters_fall_back_gracefully(client_logged_in, user, params):
    TaskFactory.create_batch(3, user=user)

    response = client_logged_in.get(reverse(LIST_URL), params)

    assert response.status_code == HTTPStatus.OK


def test_unknown_status_falls_back_to_the_open_tasks(client_logged_in, user):
    TaskFactory.create_batch(2, user=user)
    TaskFactory(user=user, status=Task.Status.COMPLETED)

    response = client_logged_in.get(reverse(LIST_URL), {"status": "archived"})

    assert len(listed_titles(response)) == 2


def test_page_beyond_the_last_shows_the_last_page(client_logged_in, user):
    TaskFactory.create_batch(30, user=user)

    response = client_logged_in.get(reverse(LIST_URL), {"page": "99999"})

    assert response.context["page_obj"].number == 2
    assert len(listed_titles(response)) == 5


@pytest.mark.parametrize(
    ("params", "count", "pages"),
    [
        ({}, 30, 2),
        ({"status": "all"}, 34, 2),
        ({"status": "pending"}, 30, 2),
        ({"status": "completed"}, 4, 1),
        ({"status": "pending", "q": "rent"}, 27, 2),
        ({"status": "completed", "q": "rent"}, 1, 1),
        ({"status": "archived", "q": "rent"}, 27, 2),
        ({"status": "all", "q": "rent"}, 28, 2),
    ],
)
def test_pages_count_the_listed_tasks_under_every_filter(
    client_logged_in, user, other_user, params, count, pages
):
    """The paginator takes its count from the status counts: it must be the list's."""
    TaskFactory.create_batch(27, user=user, title="Pay rent")
    TaskFactory.create_batch(3, user=user, title="Call")
    TaskFactory(user=user, title="Pay rent", status=Task.Status.COMPLETED)
    TaskFactory.create_batch(3, user=user, status=Task.Status.COMPLETED)
    TaskFactory.create_batch(5, user=other_user)

    response = client_logged_in.get(reverse(LIST_URL), params)

    paginator = response.context["paginator"]
    assert paginator.count == len(response.context["filter"].qs) == count
    assert paginator.num_pages == pages


def test_pagination_links_keep_the_filters(client_logged_in, user):
    TaskFactory.create_batch(30, user=user, title="Pay bill", status="in_progress")

    response = client_logged_in.get(
        reverse(LIST_URL), {"status": "in_progress", "q": "bill", "sort": "title"}
    )

    assert len(listed_titles(response)) == 25
    assertContains(response, "?status=in_progress&amp;q=bill&amp;sort=title&amp;page=2")


@pytest.mark.parametrize(
    "params",
    [{}, {"due": "week", "sort": "title"}, {"due": "yesterday", "sort": "password"}],
)
def test_filter_selects_are_what_the_forms_widgets_render(
    client_logged_in, user, params
):
    """The page writes its <select> elements itself, cheaper than the widgets, alike."""
    TaskFactory(user=user)

    response = client_logged_in.get(reverse(LIST_URL), params)

    form = response.context["filter"].form
    for name in ("due", "sort"):
        assertContains(response, str(form[name]), html=True)


@pytest.mark.parametrize("task_count", [5, 60])
def test_list_page_query_count_does_not_grow_with_tasks_or_tags(
    client_logged_in, user, django_assert_num_queries, task_count
):
    """The list page runs a fixed number of queries however many tasks and tags a
    user has.

    Session, user, the status counts (one aggregate, which the paginator takes its
    count from), the page of tasks, their tags and the user's tag names for the
    filter: six. A template that touched a relation per task (N+1) would make the
    60-task run, which fills a whole page, cost more than the 5-task one.
    """
    tags = [Tag.objects.create(user=user, name=f"tag {n}") for n in range(task_count)]
    for n, task in enumerate(TaskFactory.create_batch(task_count, user=user)):
        task.tags.set(tags[n : n + 3])

    with django_assert_num_queries(6):
        response = client_logged_in.get(
            reverse(LIST_URL), {"q": "Task", "sort": "title"}
        )

    assert response.status_code == HTTPStatus.OK


def test_empty_list_invites_the_first_task(client_logged_in):
    response = client_logged_in.get(reverse(LIST_URL))

    assertContains(response, "You have no tasks yet.")


# Create, view, edit, delete -----------------------------------------------------------


def test_create_task_saves_it_for_the_user_and_confirms(client_logged_in, user):
    response = client_logged_in.post(
        reverse("tasks:create"),
        {
            "title": "  Pay rent ",
            "description": "",
            "status": "pending",
            "due_date": "2026-12-31",
        },
        follow=True,
    )

    task = Task.objects.get()
    assertRedirects(response, task.get_absolute_url())
    assertContains(response, "Task “Pay rent” was created.")
    assert task.user == user
    assert task.title == "Pay rent"
    assert task.description is None
    assert str(task.due_date) == "2026-12-31"


def test_create_task_form_labels_every_field(client_logged_in):
    response = client_logged_in.get(reverse("tasks:create"))

    for field in ("title", "description", "status", "due_date"):
        assertContains(response, f'<label for="id_{field}"')


def test_create_task_with_blank_title_shows_the_error_and_keeps_the_input(
    client_logged_in,
):
    response = client_logged_in.post(
        reverse("tasks:create"),
        {"title": "   ", "description": "keep me", "status": "pending", "due_date": ""},
    )

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "This field is required.")
    assertContains(response, "keep me")
    assert not Task.objects.exists()


def test_create_task_with_bad_date_and_status_shows_both_errors(client_logged_in):
    response = client_logged_in.post(
        reverse("tasks:create"),
        {"title": "Keep", "status": "archived", "due_date": "31/31/2026"},
    )

    assertContains(response, "Enter a valid date.")
    assertContains(response, "Select a valid choice.")
    assertContains(response, 'value="Keep"')
    assert not Task.objects.exists()


def test_create_task_with_overlong_title_is_refused(client_logged_in):
    response = client_logged_in.post(
        reverse("tasks:create"), {"title": "x" * 201, "status": "pending"}
    )

    assertContains(response, "Ensure this value has at most 200 characters")
    assert not Task.objects.exists()


def test_detail_page_shows_the_task(client_logged_in, user, today):
    task = TaskFactory(
        user=user,
        title="Pay rent",
        description="Landlord <b>Bob</b>",
        due_date=today - timedelta(days=1),
    )

    response = client_logged_in.get(task.get_absolute_url())

    assertContains(response, "<h1>Pay rent</h1>", html=True)
    assertContains(response, "Landlord &lt;b&gt;Bob&lt;/b&gt;")
    assertContains(response, "Overdue")
    assertContains(response, reverse("tasks:update", kwargs={"pk": task.pk}))
    assertContains(response, reverse("tasks:delete", kwargs={"pk": task.pk}))


def test_missing_task_is_404(client_logged_in):
    response = client_logged_in.get(reverse("tasks:detail", kwargs={"pk": 999999}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_edit_task_saves_changes_and_confirms(client_logged_in, user):
    task = TaskFactory(user=user, title="Old")
    before = task.updated_at

    response = client_logged_in.post(
        reverse("tasks:update", kwargs={"pk": task.pk}),
        {"title": "New", "description": "now with notes", "status": "in_progress"},
        follow=True,
    )

    assertRedirects(response, task.get_absolute_url())
    assertContains(response, "Your changes to “New” were saved.")
    task.refresh_from_db()
    assert (task.title, task.description, task.status) == (
        "New",
        "now with notes",
        "in_progress",
    )
    assert task.updated_at > before


def test_edit_form_is_filled_with_the_task(client_logged_in, user):
    task = TaskFactory(user=user, title="Old", due_date="2026-12-31")

    response = client_logged_in.get(reverse("tasks:update", kwargs={"pk": task.pk}))

    assertContains(response, 'value="Old"')
    assertContains(response, 'value="2026-12-31"')


def test_edit_with_errors_keeps_the_task_unchanged(client_logged_in, user):
    task = TaskFactory(user=user, title="Old")

    response = client_logged_in.post(
        reverse("tasks:update", kwargs={"pk": task.pk}),
        {"title": "", "description": "typed", "status": "pending"},
    )

    assertContains(response, "This field is required.")
    assertContains(response, "typed")
    task.refresh_from_db()
    assert task.title == "Old"


def test_delete_asks_for_confirmation_first(client_logged_in, user):
    task = TaskFactory(user=user, title="Pay rent")

    response = client_logged_in.get(reverse("tasks:delete", kwargs={"pk": task.pk}))

    assertContains(response, "Delete this task?")
    assert Task.objects.filter(pk=task.pk).exists()


def test_delete_moves_the_task_to_the_trash_and_confirms(client_logged_in, user):
    task = TaskFactory(user=user, title="Pay rent")

    response = client_logged_in.post(
        reverse("tasks:delete", kwargs={"pk": task.pk}), follow=True
    )

    assertRedirects(response, reverse(LIST_URL))
    assertContains(response, "Task “Pay rent” was moved to the trash.")
    assert not Task.objects.filter(pk=task.pk).exists()
    assert TrashedTask.objects.filter(pk=task.pk, user=user).exists()


# Status change ------------------------------------------------------------------------


def test_status_change_moves_the_task_and_returns_to_the_list_with_filters(
    client_logged_in, user
):
    task = TaskFactory(user=user, title="Pay rent")
    before = task.updated_at
    back = reverse(LIST_URL) + "?status=pending&q=rent"

    response = client_logged_in.post(
        reverse("tasks:set_status", kwargs={"pk": task.pk}),
        {"status": "completed", "next": back},
        follow=True,
    )

    assertRedirects(response, f"{back}#task-{task.pk}")
    assertContains(response, "“Pay rent” is now completed.")
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert task.updated_at > before


def test_status_change_without_next_returns_to_the_task(client_logged_in, user):
    task = TaskFactory(user=user)

    response = client_logged_in.post(
        reverse("tasks:set_status", kwargs={"pk": task.pk}), {"status": "in_progress"}
    )

    assertRedirects(response, task.get_absolute_url())


def test_status_change_never_redirects_to_another_site(client_logged_in, user):
    task = TaskFactory(user=user)

    response = client_logged_in.post(
        reverse("tasks:set_status", kwargs={"pk": task.pk}),
        {"status": "in_progress", "next": "https://evil.example/"},
    )

    assertRedirects(response, task.get_absolute_url())


def test_status_change_to_an_unknown_status_changes_nothing(client_logged_in, user):
    task = TaskFactory(user=user)

    response = client_logged_in.post(
        reverse("tasks:set_status", kwargs={"pk": task.pk}),
        {"status": "archived"},
        follow=True,
    )

    assertContains(response, "That status does not exist")
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING


def test_list_and_detail_offer_one_post_status_buttons(client_logged_in, user):
    task = TaskFactory(user=user, title="Pay rent")
    action = reverse("tasks:set_status", kwargs={"pk": task.pk})

    for url in (reverse(LIST_URL), task.get_absolute_url()):
        response = client_logged_in.get(url)
        assertContains(response, f'action="{action}"')
        assertContains(response, 'name="status" value="completed"')
        assertNotContains(response, 'name="status" value="pending"')


# Default view, quick add, complete in place, Undo, htmx -------------------------------


def test_default_view_lists_open_tasks_overdue_first_and_undated_last(
    client_logged_in, user, today
):
    TaskFactory(user=user, title="undated")
    TaskFactory(user=user, title="next week", due_date=today + timedelta(days=7))
    TaskFactory(user=user, title="late", due_date=today - timedelta(days=3))
    TaskFactory(user=user, title="done", status=Task.Status.COMPLETED, due_date=today)

    response = client_logged_in.get(reverse(LIST_URL))

    assert listed_titles(response) == ["late", "next week", "undated"]
    assertContains(response, 'Open <span class="count">3</span>', html=True)
    assertContains(response, f'<time datetime="{today - timedelta(days=3)}"')
    assertContains(response, "3 days overdue")


def test_completed_and_all_tabs_are_bookmarkable_urls(client_logged_in, user):
    TaskFactory(user=user, title="todo")
    TaskFactory(user=user, title="done", status=Task.Status.COMPLETED)

    completed = client_logged_in.get(reverse(LIST_URL), {"status": "completed"})
    everything = client_logged_in.get(reverse(LIST_URL), {"status": "all"})

    assert listed_titles(completed) == ["done"]
    assert listed_titles(everything) == ["todo", "done"]


def test_empty_list_shows_no_tabs_or_filters(client_logged_in):
    response = client_logged_in.get(reverse(LIST_URL))

    assertNotContains(response, 'class="tabs"')
    assertNotContains(response, 'role="search"')
    assertContains(response, 'action="{}"'.format(reverse("tasks:quick_add")))


def test_quick_add_creates_a_pending_task_and_returns_to_the_same_list(
    client_logged_in, user, today
):
    back = reverse(LIST_URL) + "?q=milk&sort=title"

    response = client_logged_in.post(
        reverse("tasks:quick_add"),
        {"title": "Buy milk", "due_date": today.isoformat(), "next": back},
    )

    task = Task.objects.get()
    assertRedirects(response, f"{back}#task-{task.pk}", fetch_redirect_response=False)
    assert (task.user, task.title, task.status, task.due_date) == (
        user,
        "Buy milk",
        Task.Status.PENDING,
        today,
    )
    page = client_logged_in.get(back)
    assertContains(page, "Task “Buy milk” was added.")
    assertContains(page, f'id="task-{task.pk}"')


def test_quick_add_without_a_title_adds_nothing_and_says_why(client_logged_in):
    back = reverse(LIST_URL) + "?status=pending"

    response = client_logged_in.post(
        reverse("tasks:quick_add"), {"title": "   ", "next": back}, follow=True
    )

    assertRedirects(response, back)
    assertContains(response, "The task was not added: This field")
    assert not Task.objects.exists()


def test_quick_add_never_redirects_to_another_site(client_logged_in):
    response = client_logged_in.post(
        reverse("tasks:quick_add"),
        {"title": "Buy milk", "next": "https://evil.example/"},
    )

    task = Task.objects.get()
    assert response["Location"] == reverse(LIST_URL) + f"#task-{task.pk}"


def test_quick_add_requires_log_in(client):
    response = client.post(reverse("tasks:quick_add"), {"title": "Buy milk"})

    assert response.status_code == HTTPStatus.FOUND
    assert not Task.objects.exists()


def test_completing_offers_undo_once_and_undo_restores_the_status(
    client_logged_in, user
):
    task = TaskFactory(user=user, title="Pay rent", status=Task.Status.IN_PROGRESS)
    action = reverse("tasks:set_status", kwargs={"pk": task.pk})
    back = reverse(LIST_URL)

    page = client_logged_in.post(
        action, {"status": "completed", "next": back}, follow=True
    )

    assertContains(page, "“Pay rent” is now completed.")
    assertContains(page, f'<form method="post" action="{action}"', count=1)
    assertContains(page, '<input type="hidden" name="status" value="in_progress">')
    assertContains(page, "Undo: move “Pay rent” back to in progress")
    assertNotContains(client_logged_in.get(back), "Undo")

    undone = client_logged_in.post(
        action, {"status": "in_progress", "next": back}, follow=True
    )

    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    assertContains(undone, "“Pay rent” is now in progress.")
    assertContains(undone, f'id="task-{task.pk}"')


def test_list_rows_complete_in_one_post_with_a_labelled_check_box(
    client_logged_in, user
):
    todo = TaskFactory(user=user, title="Pay rent")
    TaskFactory(user=user, title="Call", status=Task.Status.COMPLETED)

    response = client_logged_in.get(reverse(LIST_URL), {"status": "all"})

    assertContains(response, f'<li id="task-{todo.pk}"')
    assertContains(response, "Complete “Pay rent”")
    assertContains(response, "Mark “Call” as not done")
    assertContains(response, 'name="status" value="completed" class="check"')
    assertContains(response, 'name="status" value="pending" class="check"')


def test_htmx_gets_only_the_task_region_and_the_messages(client_logged_in, user):
    TaskFactory(user=user, title="Pay rent")

    response = client_logged_in.get(
        reverse(LIST_URL),
        {"q": "rent"},
        headers={"HX-Request": "true", "HX-Target": "task-region"},
    )

    assertTemplateUsed(response, "tasks/task_list_region.html")
    assertNotContains(response, "<html")
    assertContains(response, 'id="task-region"')
    assertContains(response, 'id="messages" class="messages" role="status" hx-swap-oob')
    assertContains(response, "Pay rent")
    assert "HX-Request" in response["Vary"]


def test_plain_request_gets_the_whole_page(client_logged_in, user):
    response = client_logged_in.get(reverse(LIST_URL))

    assertTemplateUsed(response, "tasks/task_list.html")
    assertContains(response, "<html")


@pytest.mark.parametrize("task_count", [3, 40])
@pytest.mark.parametrize("htmx", [False, True])
def test_default_list_query_count_does_not_grow_with_tasks(
    client_logged_in, user, django_assert_num_queries, task_count, htmx, today
):
    """The default view (open tasks by due date) and its htmx part: six queries.

    Session, user, status counts, the user's tags (filter), the page of tasks and
    their tags, whether 3 or 40 tasks.
    """
    TaskFactory.create_batch(task_count, user=user, due_date=today)
    TaskFactory.create_batch(task_count, user=user, status=Task.Status.COMPLETED)
    headers = {"HX-Request": "true", "HX-Target": "task-region"} if htmx else {}

    with django_assert_num_queries(6):
        response = client_logged_in.get(reverse(LIST_URL), headers=headers)

    assert response.status_code == HTTPStatus.OK
