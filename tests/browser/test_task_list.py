"""The task list as people use it every day, with JavaScript (htmx) and without.

Screenshots of the list at desktop and phone width, in the light and dark themes, go
to tests/browser/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.tokens import create_token
from tasks.models import Task
from tasks.tests.factories import TaskFactory
from tests.browser.test_accessibility import serious_violations, signed_in_pages
from tests.browser.test_pages import PASSWORD, has_horizontal_scroll, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 375, "height": 740}
ANN = "ann@example.com"
SCREENSHOTS = Path(__file__).parent / "screenshots"
# 60 characters: the address that used to push the settings page sideways.
LONG_EMAIL = "ann.elizabeth.montgomery-smithson.household@example-mail.com"


def titles_in_viewport(page: Page) -> int:
    return page.evaluate(
        """() => [...document.querySelectorAll('.task__title')].filter(el => {
            const box = el.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }).length"""
    )


@pytest.fixture
def ann(db) -> User:
    return User.objects.create_user(ANN, PASSWORD)


def some_tasks(user: User, count: int = 25) -> None:
    today = timezone.localdate()
    TaskFactory(user=user, title="Renew the passport", due_date=today - timedelta(3))
    TaskFactory(user=user, title="Call the plumber", due_date=today)
    TaskFactory(
        user=user,
        title="Write the quarterly report for the board, with charts",
        due_date=today + timedelta(1),
        status=Task.Status.IN_PROGRESS,
    )
    TaskFactory(user=user, title="Book flights", due_date=today + timedelta(4))
    TaskFactory(user=user, title="Water the plants")
    TaskFactory(user=user, title="Pay the rent", status=Task.Status.COMPLETED)
    for number in range(count - 6):
        TaskFactory(user=user, title=f"Errand number {number + 1}")


# Quick add --------------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False])
def test_quick_add_by_enter_keeps_the_list_and_shows_the_task(
    new_page, ann, javascript
):
    TaskFactory(user=ann, title="Water the plants")
    page = new_page(java_script_enabled=javascript)
    log_in(page, ANN)
    page.goto(reverse("tasks:list") + "?q=milk&sort=title")
    list_url = page.url

    field = page.get_by_role("textbox", name="New task")
    if javascript:
        expect(field).to_be_focused()
    field.fill("Buy milk")
    field.press("Enter")

    expect(page.get_by_text("Task “Buy milk” was added.")).to_be_visible()
    expect(page.get_by_role("link", name="Buy milk")).to_be_visible()
    assert page.url.split("#")[0] == list_url
    expect(page.get_by_role("textbox", name="New task")).to_have_value("")
    task = Task.objects.get(title="Buy milk")
    assert (task.user, task.status) == (ann, Task.Status.PENDING)


def test_n_focuses_quick_add_and_slash_focuses_search(new_page, ann):
    some_tasks(ann, 6)
    page = new_page()
    log_in(page, ANN)
    page.locator("body").click(position={"x": 5, "y": 300})

    page.keyboard.press("/")
    expect(page.get_by_label("Search")).to_be_focused()
    page.keyboard.press("Escape")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(page.get_by_role("textbox", name="New task")).to_be_focused()
    expect(page.get_by_role("textbox", name="New task")).to_have_value("")


def test_filters_apply_as_they_change_and_the_url_follows(new_page, ann):
    some_tasks(ann, 8)
    page = new_page()
    log_in(page, ANN)

    page.get_by_text("Filter", exact=True).click()
    page.get_by_label("Due", exact=True).select_option("overdue")

    expect(page.get_by_role("link", name="Renew the passport")).to_be_visible()
    expect(page.get_by_role("link", name="Book flights")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"due=overdue"))

    page.get_by_label("Search").fill("nothing like this")
    expect(page.get_by_text("No tasks match these filters.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=nothing"))


def test_quick_date_buttons_fill_the_due_date(new_page, ann):
    page = new_page()
    log_in(page, ANN)
    page.goto(reverse("tasks:create"))
    expect(page.get_by_label("Title")).to_be_focused()

    page.get_by_role("button", name="Tomorrow").click()

    tomorrow = timezone.localdate() + timedelta(days=1)
    expect(page.get_by_label("Due date")).to_have_value(tomorrow.isoformat())


# Complete in one click, Undo ----------------------------------------------------------


def test_completing_keeps_the_scroll_position_and_undo_restores(new_page, ann):
    some_tasks(ann, 25)
    page = new_page(viewport=PHONE)
    log_in(page, ANN)
    task = Task.objects.get(title="Errand number 15")
    row = page.locator(f"#task-{task.pk}")
    page.evaluate("window.scrollTo(0, 400)")
    expect(row).to_be_in_viewport()
    scrolled = page.evaluate("window.scrollY")
    assert scrolled == 400

    row.get_by_role("button", name="Complete “Errand number 15”").click()

    expect(page.get_by_text("“Errand number 15” is now completed.")).to_be_attached()
    expect(page.locator(f"#task-{task.pk}")).to_have_count(0)
    assert abs(page.evaluate("window.scrollY") - scrolled) < 60
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED

    page.get_by_role("button", name=re.compile("^Undo")).click()

    expect(page.get_by_text("“Errand number 15” is now pending.")).to_be_attached()
    expect(page.locator(f"#task-{task.pk}")).to_be_visible()
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING


def test_without_javascript_completing_lands_at_the_row_and_undo_restores(
    new_page, ann
):
    some_tasks(ann, 25)
    page = new_page(viewport=PHONE, java_script_enabled=False)
    log_in(page, ANN)
    page.goto(reverse("tasks:list") + "?status=all")
    task = Task.objects.get(title="Errand number 15")

    page.get_by_role("button", name="Complete “Errand number 15”").click()

    expect(page).to_have_url(re.compile(rf"\?status=all#task-{task.pk}$"))
    expect(page.locator(f"#task-{task.pk}")).to_be_in_viewport()
    expect(page.get_by_text("“Errand number 15” is now completed.")).to_be_attached()
    page.get_by_role("button", name=re.compile("^Undo")).click()
    expect(page.get_by_text("“Errand number 15” is now pending.")).to_be_attached()
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING


# Phone layout, overflow, screenshots, accessibility ----------------------------------


def test_a_phone_shows_at_least_six_tasks_above_the_fold(new_page, ann):
    some_tasks(ann, 26)  # 25 open tasks
    page = new_page(viewport=PHONE)
    log_in(page, ANN)

    assert page.locator(".task").count() == 25
    assert titles_in_viewport(page) >= 6
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 60  # one row


def test_no_page_scrolls_sideways_at_375_pixels(new_page):
    user = User.objects.create_user(LONG_EMAIL, PASSWORD)
    assert len(user.email) == 60
    some_tasks(user, 30)
    TaskFactory(
        user=user,
        title="Supercalifragilisticexpialidocious-without-any-spaces-at-all-" * 3,
        description="Notes-" * 40,
    )
    create_token(user, prefix="phone")
    create_token(user, prefix="laptop")
    task = Task.objects.filter(user=user).first()
    page = new_page(viewport=NARROW_PHONE)
    log_in(page, LONG_EMAIL)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_text("Your new token.")).to_be_visible()
    assert not has_horizontal_scroll(page), "settings with a new token"
    page.screenshot(path=SCREENSHOTS / "settings-375-light.png", full_page=True)

    for url in (
        reverse("home"),
        reverse("tasks:list"),
        reverse("tasks:list") + "?status=all&page=2",
        reverse("tasks:list") + "?due=overdue&sort=title",
        *signed_in_pages(task),
    ):
        page.goto(url)
        assert not has_horizontal_scroll(page), url


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_list_in_both_themes_at_both_widths_is_accessible_and_photographed(
    new_page, axe_script, ann, scheme, viewport
):
    some_tasks(ann, 25)
    create_token(ann, prefix="laptop")
    # axe is injected as an inline script, which the page's CSP forbids.
    page = new_page(viewport=viewport, color_scheme=scheme, bypass_csp=True)
    log_in(page, ANN)
    task = Task.objects.get(title="Call the plumber")
    page.get_by_role("button", name="Complete “Book flights”").click()
    expect(page.get_by_role("button", name=re.compile("^Undo"))).to_be_visible()
    width = viewport["width"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"list-{width}-{scheme}.png")
    assert serious_violations(page, axe_script) == [], "list with a message"

    for name, url in (
        ("all", reverse("tasks:list") + "?status=all&due=week"),
        ("detail", task.get_absolute_url()),
        ("form", reverse("tasks:create")),
        ("settings", reverse("accounts:settings")),
    ):
        page.goto(url)
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}-{scheme}.png")
        assert serious_violations(page, axe_script) == [], url


def test_admin_users_list_shows_every_column_at_1280_pixels(new_page):
    User.objects.create_superuser("admin@example.com", PASSWORD)
    owner = User.objects.create_user(LONG_EMAIL, PASSWORD)
    TaskFactory.create_batch(3, user=owner)
    page = new_page(viewport=DESKTOP)
    page.goto(reverse("admin:login"))
    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(reverse("admin:accounts_user_changelist"))

    expect(page.locator("th.column-task_count")).to_be_in_viewport(ratio=1)
    expect(page.locator("td.field-task_count").first).to_be_in_viewport(ratio=1)
    page.screenshot(path=SCREENSHOTS / "admin-users-1280.png")
