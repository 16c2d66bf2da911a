"""Playwright against pytest-django's live server, driving Debian's Chromium.

The tests skip, saying why, when /usr/bin/chromium is missing (`apt-get install
chromium`); the accessibility test also needs axe-core from npm (`npm ci`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(
            "browser tests need Debian's Chromium at /usr/bin/chromium "
            "(apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make to set up data are still plain synchronous calls.
    # Set for this session only: a child process (check --deploy) must not inherit it.
    already_set = "DJANGO_ALLOW_ASYNC_UNSAFE" in os.environ
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if not already_set:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def csp_violations() -> list[str]:
    return []


@pytest.fixture
def new_page(browser, live_server, csp_violations):
    """Return a factory of pages on the live server, each in its own browser context.

    Every page fails its test if the browser reports a Content-Security-Policy
    violation (an inline script or style slipped into a template).
    """
    contexts = []

    def make(**context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "console",
            lambda message: (
                csp_violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert csp_violations == []


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def axe_script() -> Path:
    if not AXE_SCRIPT.exists():
        pytest.skip("the accessibility check needs axe-core: run `npm ci`")
    return AXE_SCRIPT
