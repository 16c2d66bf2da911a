"""Fixtures of the rate-limit tests: a fake clock, and small rates."""

from __future__ import annotations

import pytest

from api import throttling
from api.tests.throttle_helpers import T0, FakeClock


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    clock = FakeClock(T0)
    monkeypatch.setattr(throttling.CounterRateThrottle, "timer", clock)
    return clock


@pytest.fixture
def rates(monkeypatch):
    # DRF's throttles read their rates once, when the class is defined.
    monkeypatch.setattr(
        throttling.CounterRateThrottle,
        "THROTTLE_RATES",
        {"anon": "5/min", "user": "10/min", "auth": "2/min"},
    )
