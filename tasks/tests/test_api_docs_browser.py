"""The interactive API docs work in a real browser under the site's strict CSP."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"


def test_swagger_ui_renders_every_operation_from_local_files_only(live_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    url = live_server.url + reverse("api:docs")
    requests: list[str] = []
    problems: list[str] = []

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on(
            "console",
            lambda message: message.type == "error" and problems.append(message.text),
        )
        page.goto(url)
        page.wait_for_selector(".opblock", timeout=20_000)
        operations = page.locator(".opblock").count()
        browser.close()

    assert operations >= 10
    assert all(request.startswith(live_server.url) for request in requests), requests
    assert problems == []
