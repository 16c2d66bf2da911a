"""The site in a real browser: what a person does with it, on a desktop and a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from tasks.models import Task
from tasks.tests.factories import TaskFactory
from tests.browser.test_accounts import fill_sign_up_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 740}


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Your tasks")).to_be_visible()


def has_horizontal_scroll(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_sign_up_then_create_edit_complete_find_and_delete_a_task(page: Page):
    page.goto(reverse("home"))
    page.get_by_role("link", name="Create a free account").click()
    # The address is verified by the emailed link before the account is used.
    fill_sign_up_form(page, "New.Person@Example.com")
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body)
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("You have no tasks yet.")).to_be_visible()

    page.get_by_role("link", name="Add your first task").click()
    page.get_by_label("Title").fill("Pay the rent")
    page.get_by_label("Description").fill("Transfer to the landlord")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Due date").fill(yesterday.isoformat())
    page.get_by_role("button", name="Create task").click()

    expect(page.get_by_text("Task “Pay the rent” was created.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay the rent")
    expect(page.locator(".badge--overdue")).to_have_text(re.compile("Overdue"))

    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Title")).to_have_value("Pay the rent")
    page.get_by_label("Title").fill("Pay the December rent")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your changes to “Pay the December rent” were saved."))

    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("is now in progress.")).to_be_visible()
    expect(page.locator(".badge--in_progress")).to_have_text("In progress")

    page.get_by_role("link", name="All tasks").click()
    page.get_by_role("link", name=re.compile("^In progress")).click()
    expect(page.get_by_role("link", name="Pay the December rent")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Completed")).click()
    expect(page.get_by_text("No tasks match these filters.")).to_be_visible()
    page.get_by_role("link", name=re.compile("^All")).click()
    page.get_by_label("Search").fill("landlord")
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_role("link", name="Pay the December rent")).to_be_visible()
    page.get_by_label("Search").fill("groceries")
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_text("No tasks match these filters.")).to_be_visible()
    page.get_by_role("link", name="Clear").click()

    page.get_by_role("button", name=re.compile("^Complete")).click()
    expect(page.get_by_text("is now completed.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Your tasks")).to_be_visible()

    page.get_by_role("link", name="Pay the December rent").click()
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete this task?")).to_be_visible()
    page.get_by_role("button", name="Delete task").click()

    expect(
        page.get_by_text("Task “Pay the December rent” was moved to the trash.")
    ).to_be_visible()
    assert not Task.objects.exists()
    assert User.objects.get().email == "new.person@example.com"


def test_log_out_then_log_in_with_the_email_in_other_letter_case(page: Page):
    User.objects.create_user("ann@example.com", PASSWORD)
    log_in(page, "ann@example.com")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your tasks, sorted.")

    log_in(page, "ANN@Example.COM")
    expect(page.locator(".site-footer")).to_contain_text("Signed in as ann@example.com")


def test_a_second_user_cannot_open_the_first_users_task(page: Page):
    owner = User.objects.create_user("ann@example.com", PASSWORD)
    task = TaskFactory(user=owner, title="Ann's secret plan")
    User.objects.create_user("bob@example.com", PASSWORD)
    log_in(page, "bob@example.com")

    expect(page.get_by_text("Ann's secret plan")).to_have_count(0)
    for url in (
        task.get_absolute_url(),
        reverse("tasks:update", kwargs={"pk": task.pk}),
        reverse("tasks:delete", kwargs={"pk": task.pk}),
    ):
        response = page.goto(url)
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_text("Ann's secret plan")).to_have_count(0)


def test_password_reset_through_the_emailed_link(page: Page):
    User.objects.create_user("ann@example.com", PASSWORD)
    mail.outbox.clear()

    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("Ann@Example.com")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_text("We have sent you an email.")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/password/reset/key/\S+/", mail.outbox[0].body)
    page.goto(link.group(0))
    new_password = "a brand new passphrase"
    page.get_by_label("New Password", exact=True).fill(new_password)
    page.get_by_label("New Password (again)").fill(new_password)
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()

    log_in(page, "ann@example.com", new_password)


def test_phone_sized_screen_shows_the_pages_without_horizontal_scrolling(new_page):
    user = User.objects.create_user("ann@example.com", PASSWORD)
    today = timezone.localdate()
    TaskFactory(
        user=user,
        title="A rather long task title that goes on and on about many things "
        "Supercalifragilisticexpialidocious-without-any-spaces-at-all",
        description="Notes",
        due_date=today - timedelta(days=3),
    )
    TaskFactory.create_batch(30, user=user, due_date=today)
    page = new_page(viewport=PHONE)

    page.goto(reverse("home"))
    assert not has_horizontal_scroll(page)
    log_in(page, "ann@example.com")
    for url in (
        reverse("tasks:list"),
        reverse("tasks:list") + "?page=2",
        Task.objects.order_by("id").first().get_absolute_url(),
        reverse("tasks:create"),
        reverse("accounts:settings"),
    ):
        page.goto(url)
        assert not has_horizontal_scroll(page), url


def test_keyboard_users_can_skip_to_the_content(page: Page):
    page.goto(reverse("home"))

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
