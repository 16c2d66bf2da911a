"""Import of exported files (JSON and CSV): the page, the API, and the round trip."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from tasks import imports
from tasks.exports import user_data, write_tasks_csv
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

API_IMPORT = reverse("api:import")
PAGE_IMPORT = reverse("tasks:import")

#: What the round trip must keep of each task.
KEPT = (
    "title",
    "description",
    "status",
    "due_date",
    "repeat",
    "created_at",
    "updated_at",
)


def some_tasks(user) -> None:
    rent = TaskFactory(
        user=user, title="Pay rent", due_date=date(2026, 12, 31), repeat="monthly"
    )
    rent.set_tags(["home", "Money"])
    TaskFactory(
        user=user,
        title='=HYPERLINK("http://evil")',
        description='+1 and "quotes",\nnew line',
        status=Task.Status.COMPLETED,
    )
    TaskFactory(user=user, title="'quoted", description="-minus", status="in_progress")
    TaskFactory(user=user, title="Émile’s café ☕", description="@mention\ttab")


def csv_export(user) -> bytes:
    stream = io.StringIO()
    write_tasks_csv(Task.objects.for_user(user).newest_first(), stream)
    return stream.getvalue().encode()


def json_export(user) -> bytes:
    return json.dumps(user_data(user=user)).encode()


def kept(user) -> list[tuple]:
    return list(Task.objects.for_user(user).order_by("created_at").values_list(*KEPT))


def upload(content: bytes, name: str = "export.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# The round trip -----------------------------------------------------------------------


@pytest.mark.parametrize("export", [json_export, csv_export])
def test_export_delete_all_import_export_gives_the_same_tasks(user, export):
    some_tasks(user)
    before = kept(user)
    first = user_data(user=user)["tasks"]
    content = export(user)

    Task.objects.for_user(user).delete()
    result = imports.import_tasks(user=user, rows=imports.read_file(content))

    assert result == imports.ImportResult(created=4, skipped=0)
    assert kept(user) == before
    again = user_data(user=user)["tasks"]
    without_ids = [{k: v for k, v in task.items() if k != "id"} for task in first]
    assert [{k: v for k, v in t.items() if k != "id"} for t in again] == without_ids


@pytest.mark.parametrize("export", [json_export, csv_export])
def test_importing_the_same_file_twice_creates_no_duplicates(user, export):
    some_tasks(user)
    content = export(user)

    result = imports.import_tasks(user=user, rows=imports.read_file(content))

    assert result == imports.ImportResult(created=0, skipped=4)
    assert Task.objects.for_user(user).count() == 4


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(user):
    rows = [
        {"title": "fine"},
        {"title": "   "},
        {"title": "ok", "status": "done"},
        {"title": "ok", "due_date": "31/12/2026"},
        "not an object",
    ]

    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_tasks(user=user, rows=rows)

    messages = failure.value.messages
    assert [message.split(":")[0] for message in messages] == [
        "Row 2",
        "Row 3",
        "Row 4",
        "Row 5",
    ]
    assert "title: This field may not be blank." in messages[0]
    assert 'status: "done" is not a valid choice.' in messages[1]
    assert "due_date:" in messages[2]
    assert not Task.objects.exists()


def test_a_row_longer_than_the_model_allows_is_refused(user):
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_tasks(user=user, rows=[{"title": "x" * 201}])

    assert failure.value.messages == [
        "Row 1: title: Ensure this field has no more than 200 characters."
    ]


def test_a_row_with_a_nul_character_is_refused_as_by_the_api(user):
    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_tasks(user=user, rows=[{"title": "a\x00b"}])

    assert failure.value.messages == ["Row 1: title: Null characters are not allowed."]


def test_a_time_out_of_range_is_refused(user):
    row = {"title": "t", "created_at": "9999-12-31T23:59:59-01:00"}

    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_tasks(user=user, rows=[row])

    assert failure.value.messages == ["Row 1: created_at: Datetime value out of range."]


def test_json_rows_are_read_as_the_api_reads_them(user):
    """Empty strings mean "no value" only in CSV, which has no null."""
    rows = [{"title": "t", "updated_at": ""}, {"title": "t", "due_date": None}]

    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_tasks(user=user, rows=rows)

    assert failure.value.messages[0].startswith("Row 1: updated_at: Datetime has")
    assert len(failure.value.messages) == 1


def test_a_short_csv_row_gets_the_defaults(user):
    imports.import_tasks(
        user=user, rows=imports.read_file(b"title,status,due_date\nPay rent\n")
    )

    assert Task.objects.get().status == "pending"


def test_too_many_rows_are_refused_with_the_cap(user):
    rows = [{"title": f"t{n}"} for n in range(imports.MAX_IMPORT_ROWS + 1)]

    with pytest.raises(imports.ImportFailed) as failure:
        imports.import_tasks(user=user, rows=rows)

    assert failure.value.messages == [
        f"Too many tasks: at most {imports.MAX_IMPORT_ROWS} can be imported at once."
    ]


def test_a_file_too_large_is_refused_with_the_cap():
    with pytest.raises(imports.ImportFailed) as failure:
        imports.read_file(b" " * (imports.MAX_IMPORT_BYTES + 1))

    assert failure.value.messages == ["The file is too large: at most 2 MB."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe", "The file is not UTF-8 text."),
        (b"{not json", "The file is not valid JSON."),
        (b'{"account": {}}', 'Expected the export\'s JSON: an object with "tasks".'),
        (b"name,when\nx,y\n", 'Expected the export\'s CSV: a header with "title".'),
    ],
)
def test_files_that_are_not_an_export_are_refused(content, message):
    with pytest.raises(imports.ImportFailed) as failure:
        imports.read_file(content)

    assert failure.value.messages == [message]


def test_a_csv_without_times_or_status_gets_the_defaults(user):
    rows = imports.read_file(b"title,description\nPay rent,\n")

    imports.import_tasks(user=user, rows=rows)

    task = Task.objects.get()
    assert (task.title, task.description, task.status) == ("Pay rent", None, "pending")
    assert task.updated_at == task.created_at


# The page -----------------------------------------------------------------------------


def test_import_page_imports_and_says_how_many(client_logged_in, user, other_user):
    some_tasks(other_user)
    content = json_export(other_user)

    response = client_logged_in.post(
        PAGE_IMPORT, {"file": upload(content)}, follow=True
    )

    assertRedirects(response, reverse("tasks:list"))
    assertContains(response, "Imported 4 task(s); 0 already there were skipped.")
    assert Task.objects.for_user(user).count() == 4
    assert Task.objects.for_user(other_user).count() == 4


def test_import_page_shows_every_bad_row(client_logged_in):
    content = json.dumps({"tasks": [{"title": ""}, {"title": "ok", "status": "x"}]})

    response = client_logged_in.post(PAGE_IMPORT, {"file": upload(content.encode())})

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Row 1: title: This field may not be blank.")
    assertContains(response, "Row 2: status: &quot;x&quot; is not a valid choice.")
    assert not Task.objects.exists()


def test_import_page_without_a_file_says_so(client_logged_in):
    response = client_logged_in.post(PAGE_IMPORT, {})

    assertContains(response, "This field is required.")


def test_settings_page_has_the_import_form(client_logged_in):
    response = client_logged_in.get(reverse("accounts:settings"))

    assertContains(response, f'action="{PAGE_IMPORT}"')
    assertContains(response, 'enctype="multipart/form-data"')


def test_import_page_needs_a_sign_in(client):
    response = client.post(PAGE_IMPORT, {"file": upload(b'{"tasks": []}')})

    assert response.status_code == HTTPStatus.FOUND
    assert not Task.objects.exists()


# The API ------------------------------------------------------------------------------


def test_api_import_takes_a_multipart_file(api_client_logged_in, user):
    stream = io.StringIO()
    write_tasks_csv([TaskFactory.build(user=user, title="From CSV")], stream)

    response = api_client_logged_in.post(
        API_IMPORT,
        {"file": upload(stream.getvalue().encode(), "export.csv")},
        format="multipart",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"created": 1, "skipped": 0}
    assert Task.objects.for_user(user).get().title == "From CSV"


def test_api_import_takes_the_json_export_as_the_body(
    api_client_logged_in, user, other_user
):
    some_tasks(other_user)

    response = api_client_logged_in.post(
        API_IMPORT, user_data(user=other_user), format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"created": 4, "skipped": 0}
    assert Task.objects.for_user(user).count() == 4


def test_api_import_of_bad_rows_is_400_with_every_row(api_client_logged_in):
    response = api_client_logged_in.post(
        API_IMPORT, {"tasks": [{"title": "ok"}, {"title": ""}]}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"file": ["Row 2: title: This field may not be blank."]}
    assert not Task.objects.exists()


def test_api_import_of_a_multipart_body_without_file_is_400(api_client_logged_in):
    response = api_client_logged_in.post(API_IMPORT, {"other": "x"}, format="multipart")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"file": ["No file was submitted."]}


def test_api_import_of_a_json_body_that_is_not_an_export_is_400(api_client_logged_in):
    response = api_client_logged_in.post(API_IMPORT, [1, 2], format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Row 1" in response.json()["file"][0]


def test_api_import_never_touches_another_users_tasks(api_client_logged_in, other_user):
    theirs = TaskFactory(user=other_user, title="Theirs")
    row = {"id": theirs.pk, "title": "Mine now", "status": "completed"}

    api_client_logged_in.post(API_IMPORT, {"tasks": [row]}, format="json")

    theirs.refresh_from_db()
    assert (theirs.title, theirs.status, theirs.user) == (
        "Theirs",
        "pending",
        other_user,
    )


def test_api_import_needs_credentials(api_client):
    response = api_client.post(API_IMPORT, {"tasks": []}, format="json")

    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_api_import_refuses_other_media_types(api_client_logged_in):
    response = api_client_logged_in.post(
        API_IMPORT, "title\nx\n", content_type="text/csv"
    )

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE


@pytest.mark.parametrize("extension", ["json", "csv"])
def test_round_trip_through_the_pages_and_the_api(
    client_logged_in, api_client_logged_in, user, extension
):
    """Download the export, delete every task, upload the file, download again: the
    same tasks (new ids: a task in the trash still holds its old one)."""
    some_tasks(user)
    before = kept(user)
    first = client_logged_in.get(reverse(f"tasks:export_{extension}"))
    content = b"".join(first.streaming_content) if first.streaming else first.content

    for task in Task.objects.for_user(user):
        api_client_logged_in.delete(reverse("api:task-detail", args=[task.pk]))
    assert not Task.objects.for_user(user).exists()
    response = client_logged_in.post(
        PAGE_IMPORT, {"file": upload(content, f"export.{extension}")}
    )
    again = client_logged_in.get(reverse(f"tasks:export_{extension}"))

    assert response.status_code == HTTPStatus.FOUND
    assert kept(user) == before
    if extension == "json":
        strip = lambda data: [  # noqa: E731
            {k: v for k, v in task.items() if k != "id"} for task in data["tasks"]
        ]
        assert strip(json.loads(again.content)) == strip(json.loads(content))
    else:

        def without_ids(text: str) -> list[list[str]]:
            return [row[1:] for row in csv.reader(io.StringIO(text))]

        assert without_ids(again.content.decode()) == without_ids(content.decode())


def test_a_blank_repeat_rule_is_a_bad_row_not_a_server_error(api_client_logged_in):
    rows = [{"title": "Rent", "due_date": "2026-12-31", "repeat": ""}]

    response = api_client_logged_in.post(
        reverse("api:import"), {"tasks": rows}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Row 1: repeat:" in response.json()["file"][0]
    assert not Task.objects.exists()
