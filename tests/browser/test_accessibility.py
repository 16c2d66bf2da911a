"""axe-core, injected into the main pages: no serious or critical violations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tasks import trash
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def signed_in_pages(task: Task) -> list[str]:
    """Return the signed-in pages beyond the list, around one of the tasks."""
    return [
        task.get_absolute_url(),
        reverse("tasks:create"),
        reverse("tasks:update", kwargs={"pk": task.pk}),
        reverse("tasks:delete", kwargs={"pk": task.pk}),
        reverse("accounts:settings"),
        reverse("tasks:list") + "?tag=work",
        reverse("tasks:tags"),
        reverse("tasks:preferences"),
        reverse("tasks:trash"),
        reverse("tasks:import"),
        reverse("accounts:password_change"),
        reverse("accounts:delete"),
    ]


def serious_violations(page, axe_script) -> list[str]:
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate("axe.run(document)")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']]}"
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 375, "height": 740}]
)
def test_main_pages_have_no_serious_accessibility_violations(
    new_page, axe_script, viewport
):
    # The page's own CSP forbids inline scripts, axe's included: let this context in.
    page = new_page(bypass_csp=True, viewport=viewport)
    visitor_pages = [
        reverse("home"),
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:password_reset"),
    ]
    for url in visitor_pages:
        page.goto(url)
        assert serious_violations(page, axe_script) == [], url

    # A form with its errors showing.
    page.goto(reverse("accounts:signup"))
    page.get_by_role("button", name="Sign up").click()
    assert serious_violations(page, axe_script) == [], "signup with errors"

    user = User.objects.create_user("ann@example.com", PASSWORD)
    today = timezone.localdate()
    TaskFactory(user=user, title="Late", due_date=today - timedelta(days=1))
    TaskFactory(user=user, title="Doing", status=Task.Status.IN_PROGRESS)
    TaskFactory(user=user, title="Done", status=Task.Status.COMPLETED, due_date=today)
    TaskFactory.create_batch(30, user=user)
    task = Task.objects.get(title="Late")
    task.set_tags(["work", "home"])
    trash.move_to_trash(tasks=Task.objects.filter(title="Doing"), by=user)
    page.goto(reverse("accounts:login"))
    page.get_by_label("Email").fill("ann@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()

    for url in [
        reverse("tasks:list"),
        reverse("tasks:list") + "?status=completed&q=Do",
        *signed_in_pages(task),
    ]:
        page.goto(url)
        assert serious_violations(page, axe_script) == [], url

    page.goto(reverse("tasks:create"))
    page.get_by_role("button", name="Create task").click()
    assert serious_violations(page, axe_script) == [], "task form with errors"
