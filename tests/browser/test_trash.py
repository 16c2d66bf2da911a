"""The trash in a real browser: delete, Undo, restore and delete forever."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from tasks import trash
from tasks.models import Task, TrashedTask
from tasks.tests.factories import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def log_in(page: Page, email: str) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Your tasks")).to_be_visible()


def test_delete_then_undo_puts_the_task_back_in_place(page: Page):
    user = User.objects.create_user("ann@example.com", PASSWORD)
    TaskFactory(user=user, title="Older task")
    task = TaskFactory(user=user, title="Pay the December rent")
    TaskFactory(user=user, title="Newer task")
    log_in(page, "ann@example.com")
    titles = page.locator(".task-list .task__title")
    before = titles.all_inner_texts()

    page.get_by_role("link", name="Pay the December rent").click()
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete task").click()
    expect(
        page.get_by_text("Task “Pay the December rent” was moved to the trash.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Pay the December rent")).to_have_count(0)

    page.get_by_role("button", name="Undo").click()
    expect(
        page.get_by_text("Task “Pay the December rent” was restored.")
    ).to_be_visible()
    # Back on the list the delete came from, the task in its place again.
    expect(titles).to_have_text(before)
    assert Task.objects.filter(pk=task.pk, title="Pay the December rent").exists()
    assert not TrashedTask.objects.exists()


def test_trash_page_restores_and_deletes_forever(page: Page):
    user = User.objects.create_user("ann@example.com", PASSWORD)
    for title in ("Keep me", "Forget me"):
        task = TaskFactory(user=user, title=title)
        trash.move_to_trash(tasks=Task.objects.filter(pk=task.pk), by=user)
    log_in(page, "ann@example.com")

    page.get_by_role("link", name="Trash").click()
    expect(page.get_by_role("heading", level=1, name="Trash")).to_be_visible()
    page.get_by_role("button", name="Restore “Keep me”").click()
    expect(page.get_by_text("Task “Keep me” was restored.")).to_be_visible()
    page.get_by_role("button", name="Delete forever: “Forget me”").click()
    expect(page.get_by_text("Task “Forget me” was deleted for good.")).to_be_visible()
    expect(page.get_by_text("The trash is empty.")).to_be_visible()

    assert list(Task.objects.values_list("title", flat=True)) == ["Keep me"]
    assert not TrashedTask.objects.exists()
