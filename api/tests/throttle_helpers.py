"""A fake clock and one-request helpers for the rate-limit tests."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIRequestFactory

from api import throttling

#: The start of a window of one minute, as Unix seconds.
T0 = 1_800_000_000 - 1_800_000_000 % 60


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def anonymous_request(address: str = "10.0.0.1"):
    request = APIRequestFactory().get("/api/v1/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def allowed(address: str = "10.0.0.1") -> tuple[bool, throttling.AnonRateThrottle]:
    """One request through a fresh throttle, as every request gets one."""
    throttle = throttling.AnonRateThrottle()
    return throttle.allow_request(anonymous_request(address), view=None), throttle
