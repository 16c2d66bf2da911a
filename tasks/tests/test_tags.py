"""Tags: each user's own, on the pages, in the API, the admin and the exports."""

from __future__ import annotations

import csv
import io
from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tasks.exports import user_data, write_tasks_csv
from tasks.models import Tag, Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

API_LIST = reverse("api:task-list")


def tagged(user, title: str, *names: str, **fields) -> Task:
    task = TaskFactory(user=user, title=title, **fields)
    task.set_tags(names)
    return task


def api_titles(response) -> list[str]:
    return sorted(task["title"] for task in response.json()["results"])


# The model ----------------------------------------------------------------------------


def test_set_tags_creates_the_owners_missing_tags_and_reuses_existing_ones(
    user, other_user
):
    tagged(other_user, "theirs", "work")
    first = tagged(user, "one", "work")

    second = tagged(user, "two", "Work", "home", "home ")

    assert second.tag_names() == ["home", "work"]
    assert first.tag_names() == ["work"]
    assert sorted(Tag.objects.for_user(user).values_list("name", flat=True)) == [
        "home",
        "work",
    ]
    assert Tag.objects.count() == 3  # bob's "work" is his own


@pytest.mark.parametrize(
    "names", [[" "], ["a;b"], ["a,b"], ["x" * 51], [f"t{n}" for n in range(21)]]
)
def test_set_tags_refuses_bad_names(user, names):
    from django.core.exceptions import ValidationError

    task = TaskFactory(user=user)

    with pytest.raises(ValidationError):
        task.set_tags(names)
    assert not Tag.objects.exists()


def test_renaming_or_deleting_a_tag_changes_every_task_that_has_it(user):
    one, two = tagged(user, "one", "work"), tagged(user, "two", "work", "home")
    tag = Tag.objects.get(name="work")

    tag.name = "job"
    tag.save()
    assert one.tag_names() == ["job"]
    assert two.tag_names() == ["home", "job"]

    tag.delete()
    assert one.tag_names() == []
    assert two.tag_names() == ["home"]
    assert Task.objects.count() == 2


# Pages --------------------------------------------------------------------------------


def test_the_form_sets_tags_from_comma_separated_names(client_logged_in, user):
    response = client_logged_in.post(
        reverse("tasks:create"),
        {"title": "Buy milk", "status": "pending", "tags": "errands, Home,,errands"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Task.objects.get().tag_names() == ["errands", "Home"]
    edit = client_logged_in.get(reverse("tasks:update", args=[Task.objects.get().pk]))
    assertContains(edit, 'value="errands, Home"')


def test_the_list_shows_chips_and_filters_by_tag_with_status_and_search(
    client_logged_in, user
):
    tagged(user, "Write report", "work")
    tagged(user, "Write card", "home")
    tagged(user, "Read report", "work", status=Task.Status.COMPLETED)

    everything = client_logged_in.get(reverse("tasks:list"), {"status": "all"})
    filtered = client_logged_in.get(
        reverse("tasks:list"), {"tag": "WORK", "status": "pending", "q": "report"}
    )

    assertContains(everything, '<a class="tag" href="/tasks/?tag=work">work</a>', 2)
    assertContains(everything, '<option value="home">home</option>', html=True)
    assert [d["title"] for d in filtered.context["task_displays"]] == ["Write report"]
    # The status tabs count under the tag filter too.
    assert filtered.context["counts"]["all"] == 2


def test_the_list_never_shows_another_users_tags(client_logged_in, user, other_user):
    tagged(other_user, "theirs", "secret-project")
    tagged(user, "mine", "work")

    response = client_logged_in.get(reverse("tasks:list"))
    by_their_tag = client_logged_in.get(
        reverse("tasks:list"), {"tag": "secret-project"}
    )

    assertNotContains(response, "secret-project")
    assert by_their_tag.context["task_displays"] == []


def test_tag_pages_list_rename_and_delete_only_the_users_own_tags(
    client_logged_in, user, other_user
):
    tagged(user, "mine", "work", "home")
    theirs = tagged(other_user, "theirs", "confidential").tags.get()
    work = Tag.objects.get(user=user, name="work")

    listing = client_logged_in.get(reverse("tasks:tags"))
    assertContains(listing, "work")
    assertNotContains(listing, "confidential")
    for name in ("tasks:tag_update", "tasks:tag_delete"):
        assert (
            client_logged_in.get(reverse(name, args=[theirs.pk])).status_code
            == HTTPStatus.NOT_FOUND
        )
    assert (
        client_logged_in.post(reverse("tasks:tag_delete", args=[theirs.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )

    taken = client_logged_in.post(
        reverse("tasks:tag_update", args=[work.pk]), {"name": "HOME"}
    )
    assertContains(taken, "You already have a tag with this name.")
    renamed = client_logged_in.post(
        reverse("tasks:tag_update", args=[work.pk]), {"name": "job"}, follow=True
    )
    assertContains(renamed, "is now called “job” on all its tasks")
    client_logged_in.post(reverse("tasks:tag_delete", args=[work.pk]))

    assert Task.objects.get(title="mine").tag_names() == ["home"]
    assert Task.objects.get(title="theirs").tag_names() == ["confidential"]


# API ----------------------------------------------------------------------------------


def test_the_api_sets_tags_on_create_and_replaces_them_on_update(
    api_client_logged_in, user
):
    created = api_client_logged_in.post(
        API_LIST, {"title": "Report", "tags": ["work", "urgent"]}, format="json"
    )
    url = reverse("api:task-detail", args=[created.json()["id"]])
    patched = api_client_logged_in.patch(url, {"tags": ["home"]}, format="json")
    untouched = api_client_logged_in.patch(url, {"title": "Report 2"}, format="json")

    assert created.status_code == HTTPStatus.CREATED
    assert created.json()["tags"] == ["urgent", "work"]
    assert patched.json()["tags"] == ["home"]
    assert untouched.json()["tags"] == ["home"]
    assert api_client_logged_in.get(API_LIST).json()["results"][0]["tags"] == ["home"]


@pytest.mark.parametrize(
    "tags", [["a;b"], [""], "work", [1], ["x" * 51], [f"t{n}" for n in range(21)]]
)
def test_the_api_refuses_bad_tags_with_a_field_error(api_client_logged_in, tags):
    response = api_client_logged_in.post(
        API_LIST, {"title": "x", "tags": tags}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    errors = response.json()["tags"]
    assert isinstance(errors, list)
    assert all(isinstance(message, str) for message in errors)
    assert not Task.objects.exists()


def test_tag_errors_name_the_position_of_each_bad_tag(api_client_logged_in):
    response = api_client_logged_in.post(
        API_LIST, {"title": "x", "tags": ["ok", 3, None]}, format="json"
    )

    assert response.json() == {
        "tags": ["Tag 2: Not a valid string.", "Tag 3: This field may not be null."]
    }


def test_the_api_filters_by_tag_combined_with_status_and_search(
    api_client_logged_in, user
):
    tagged(user, "Write report", "work")
    tagged(user, "Write card", "home")
    tagged(user, "Read report", "Work", status=Task.Status.COMPLETED)

    response = api_client_logged_in.get(
        API_LIST, {"tag": "work", "status": "pending", "search": "report"}
    )
    by_tag = api_client_logged_in.get(API_LIST, {"tag": "WORK"})

    assert api_titles(response) == ["Write report"]
    assert api_titles(by_tag) == ["Read report", "Write report"]


def test_the_api_never_shows_or_uses_another_users_tags(
    api_client_logged_in, user, other_user
):
    theirs = tagged(other_user, "theirs", "secret")
    tagged(user, "mine", "work")

    by_their_tag = api_client_logged_in.get(API_LIST, {"tag": "secret"})
    created = api_client_logged_in.post(
        API_LIST, {"title": "new", "tags": ["secret"]}, format="json"
    )
    their_task = api_client_logged_in.get(reverse("api:task-detail", args=[theirs.pk]))

    assert by_their_tag.json()["results"] == []
    assert created.json()["tags"] == ["secret"]
    new_tag = Task.objects.get(title="new").tags.get()
    assert new_tag.user == user
    assert new_tag != theirs.tags.get()
    assert their_task.status_code == HTTPStatus.NOT_FOUND


def test_the_schema_documents_tags_and_the_tag_filter_without_any_names(
    api_client, user
):
    tagged(user, "mine", "secret-tag-name")

    schema = api_client.get(reverse("api:schema"), {"format": "json"}).json()

    task = schema["components"]["schemas"]["Task"]["properties"]
    assert task["tags"]["type"] == "array"
    assert "RepeatEnum" in str(task["repeat"])
    params = schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]
    assert "tag" in [param["name"] for param in params]
    assert "secret-tag-name" not in str(schema)


# Admin --------------------------------------------------------------------------------


def test_the_admin_lists_tags_with_their_owners_and_renames_one_owners_tag(
    admin_client, user, other_user
):
    mine = tagged(user, "mine", "work")
    theirs = tagged(other_user, "theirs", "work")
    tag = mine.tags.get()

    listing = admin_client.get(reverse("admin:tasks_tag_changelist"))
    admin_client.post(reverse("admin:tasks_tag_change", args=[tag.pk]), {"name": "job"})
    task_page = admin_client.get(reverse("admin:tasks_task_change", args=[mine.pk]))

    assertContains(listing, "ann@example.com")
    assertContains(listing, "bob@example.com")
    assert mine.tag_names() == ["job"]
    assert theirs.tag_names() == ["work"]
    assertContains(task_page, "job")


def test_the_admin_refuses_a_second_tag_of_the_same_name_for_one_owner(
    admin_client, user, other_user
):
    tagged(user, "mine", "work")
    url = reverse("admin:tasks_tag_add")

    refused = admin_client.post(url, {"user": user.pk, "name": "Work"})
    accepted = admin_client.post(url, {"user": other_user.pk, "name": "Work"})

    assertContains(refused, "You already have a tag with this name.")
    assert accepted.status_code == HTTPStatus.FOUND
    assert Tag.objects.count() == 2


# Exports ------------------------------------------------------------------------------


def test_exports_carry_tags_and_repeat(user):
    from datetime import date

    tagged(user, "Rent", "home", "money", due_date=date(2027, 1, 1), repeat="monthly")
    stream = io.StringIO()

    data = user_data(user=user)
    write_tasks_csv(Task.objects.for_user(user).with_tags(), stream)

    assert data["tasks"][0]["tags"] == ["home", "money"]
    assert data["tasks"][0]["repeat"] == "monthly"
    [row] = csv.DictReader(io.StringIO(stream.getvalue()))
    assert row["tags"] == "home; money"
    assert row["repeat"] == "monthly"
