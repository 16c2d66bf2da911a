"""Fixtures of the accounts tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    # allauth's rate limits and django-axes' counters live in the shared cache.
    cache.clear()
    yield
    cache.clear()
