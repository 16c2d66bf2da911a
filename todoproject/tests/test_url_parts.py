"""url_parts: one reverse() for the links of a whole list."""

from django.urls import reverse

from todoproject.url_parts import url_parts


def test_the_parts_around_an_id_make_the_url_reverse_gives():
    before, after = url_parts("tasks:detail", kwarg="pk")
    admin_before, admin_after = url_parts("admin:tasks_task_change")

    for pk in (1, 42, 987654321, 10**12):
        assert f"{before}{pk}{after}" == reverse("tasks:detail", kwargs={"pk": pk})
        assert f"{admin_before}{pk}{admin_after}" == reverse(
            "admin:tasks_task_change", args=[pk]
        )


def test_the_script_prefix_is_part_of_the_url(settings):
    from django.urls import set_script_prefix

    set_script_prefix("/todo/")
    try:
        before, after = url_parts("tasks:set_status", kwarg="pk")
    finally:
        set_script_prefix("/")

    assert (before, after) == ("/todo/tasks/", "/status/")
