"""The JSON representation of a task (SPEC §5)."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from rest_framework import serializers

from tasks.models import Task
from todoproject.api_fields import StrictCharField


def iso_datetime(value: datetime | None) -> str | None:
    """Return `value` as DRF's DateTimeField writes it: ISO 8601, UTC as "Z"."""
    if value is None:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class TaskSerializer(serializers.ModelSerializer):
    """A task. Title rules come from the model field (length, not blank)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }

    user_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Task
        fields = (
            "id",
            "user_id",
            "title",
            "description",
            "status",
            "due_date",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "user_id", "created_at", "updated_at")

    def to_representation(self, instance: Task) -> dict:
        # Every task the API returns passes here, up to 200 per list page. The fields
        # above give the same JSON (a test compares them) at about three times the
        # cost; they still validate input and describe the schema.
        due_date = instance.due_date
        return {
            "id": instance.id,
            "user_id": instance.user_id,
            "title": instance.title,
            "description": instance.description,
            "status": str(instance.status),
            "due_date": None if due_date is None else due_date.isoformat(),
            "created_at": iso_datetime(instance.created_at),
            "updated_at": iso_datetime(instance.updated_at),
        }

    def validate_description(self, value: str | None) -> str | None:
        # "No description" is NULL, as the pages store an empty one.
        return value or None
