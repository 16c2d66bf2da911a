"""The API's own table: the counters of its rate limits."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """How many requests one client made in the current and the previous time window.

    The API's throttles (`api.throttling`) keep one row per client and scope,
    updated by one statement per request; `expires_at` (Unix seconds) is when the row
    stops mattering, so stale rows can be deleted.
    """

    key = models.CharField(max_length=255, primary_key=True)
    window_number = models.BigIntegerField()
    hits = models.PositiveIntegerField()
    previous_hits = models.PositiveIntegerField()
    expires_at = models.BigIntegerField(db_index=True)

    class Meta:
        db_table = "api_rate_counters"
        verbose_name = "API rate counter"

    def __str__(self) -> str:
        return self.key
