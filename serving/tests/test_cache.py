"""The database cache keeps every live counter, however many there are."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from serving.cache import DatabaseCache

pytestmark = pytest.mark.django_db


def test_default_cache_is_the_safe_database_cache():
    assert isinstance(caches["default"], DatabaseCache)


def test_culling_removes_expired_entries_but_never_live_ones():
    small = DatabaseCache("django_cache", {"OPTIONS": {"MAX_ENTRIES": 5}})
    for n in range(20):
        small.set(f"live-{n}", n, timeout=600)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_cache (cache_key, value, expires) VALUES (%s, %s, %s)",
            [
                small.make_key("stale"),
                "x",
                connection.ops.adapt_datetimefield_value(
                    timezone.now() - timedelta(minutes=1)
                ),
            ],
        )

    small.set("one-more", 1, timeout=600)  # over MAX_ENTRIES: culls

    assert [small.get(f"live-{n}") for n in range(20)] == list(range(20))
    assert small.get("one-more") == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM django_cache WHERE cache_key = %s",
            [small.make_key("stale")],
        )
        assert cursor.fetchone() == (0,)
