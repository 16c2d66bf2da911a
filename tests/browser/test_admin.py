"""The admin in a real browser, under the site's Content-Security-Policy.

The `page` fixture fails a test on any CSP violation, so these also prove that the
admin's scripts and styles (the owner autocomplete included) work under the policy.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "operator passphrase 42"


def test_operator_adds_a_task_for_a_user_picked_by_autocomplete(page: Page):
    User.objects.create_superuser("ops@example.com", PASSWORD)
    owner = User.objects.create_user("zed@example.com", "irrelevant pass 42")

    # The admin's log-in is the site's (allauth's, with two-factor when set up).
    page.goto(reverse("admin:login"))
    expect(page).to_have_title("Log in · Todo")
    page.get_by_label("Email").fill("ops@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("link", name="Todo administration")).to_be_visible()

    page.goto(reverse("admin:tasks_task_add"))
    page.locator(".select2-selection").click()
    page.keyboard.type("zed")
    page.get_by_role("option", name="zed@example.com").click()
    page.get_by_label("Title").fill("Call the bank")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("was added successfully")).to_be_visible()
    task = Task.objects.get()
    assert (task.user, task.title) == (owner, "Call the bank")

    page.get_by_role("checkbox", name="Select this object for an action").check()
    actions = page.locator("select[name=action]")
    actions.select_option(label="Mark selected as completed")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Marked 1 task(s) as completed.")).to_be_visible()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED


def test_operator_selects_every_task_on_the_page_and_runs_an_action(page: Page):
    """The select-all box and the counter (admin/js/actions.js) on the task list.

    The list renders its row checkboxes and action form without Django's widgets
    (tasks/admin.py, templates/admin/tasks/task/actions.html): the script must still
    find them.
    """
    User.objects.create_superuser("ops@example.com", PASSWORD)
    TaskFactory.create_batch(3)

    page.goto(reverse("admin:login"))
    page.get_by_label("Email").fill("ops@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("link", name="Todo administration")).to_be_visible()
    page.goto(reverse("admin:tasks_task_changelist"))

    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_have_text("3 of 3 selected")
    expect(page.locator("input.action-select:checked")).to_have_count(3)
    actions = page.locator("select[name=action]")
    actions.select_option(label="Mark selected as completed")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_text("Marked 3 task(s) as completed.")).to_be_visible()
    assert set(Task.objects.values_list("status", flat=True)) == {"completed"}
