"""What a task list spends on queries, for the tests that pin query counts."""

from __future__ import annotations

from django.db import connection


def tag_name_queries() -> int:
    """A page's tag names: read with the page's rows on PostgreSQL (no query of their
    own), in one more query on other databases."""
    return 0 if connection.vendor == "postgresql" else 1
