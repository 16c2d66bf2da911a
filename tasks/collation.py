"""The title collation of SQLite connections: case- and accent-insensitive.

PostgreSQL gets the same order from an ICU collation (migration
0008_title_sort_collation); SQLite has no ICU, so each new SQLite connection gets a
Python function under the same name. `TaskQuerySet.ordered_by("title")` names the
collation, so the pages and the API sort titles alike on both databases.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.db.backends.signals import connection_created

from tasks.models import TITLE_COLLATION


@lru_cache(maxsize=4096)
def title_sort_key(title: str) -> str:
    """Return `title` without letter case or accents: "Éclair" -> "eclair"."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def compare_titles(first: str, second: str) -> int:
    """Compare two titles as the collation does: -1, 0 or 1."""
    first_key, second_key = title_sort_key(first), title_sort_key(second)
    return (first_key > second_key) - (first_key < second_key)


def register_title_collation(sender, connection, **kwargs) -> None:
    """Give a new SQLite connection the title collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(TITLE_COLLATION, compare_titles)


def connect() -> None:
    """Register the collation on every SQLite connection opened from now on."""
    connection_created.connect(register_title_collation, dispatch_uid=TITLE_COLLATION)
