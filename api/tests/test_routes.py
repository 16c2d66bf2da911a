"""Where the API's routes sit in the site's URL configuration."""

from __future__ import annotations

from django.urls import resolve


def test_an_api_request_is_not_tried_against_the_pages_patterns():
    # Django tries the root patterns in order: the API's come first (bench/RESULTS.md).
    match = resolve("/api/v1/tasks/")

    assert match.view_name == "api:task-list"
    assert {str(tried[0].pattern) for tried in match.tried} == {"api/v1/"}


def test_the_pages_resolve_as_before():
    assert resolve("/").view_name == "home"
    assert resolve("/healthz").view_name == "healthz"
    assert resolve("/tasks/").view_name == "tasks:list"
    assert resolve("/admin/").view_name == "admin:index"
