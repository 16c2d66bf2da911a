"""The JSON representation of a task (SPEC §5)."""

from __future__ import annotations

from django.db import models
from rest_framework import serializers

from tasks.models import Task
from todoproject.api_fields import StrictCharField


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

    def validate_description(self, value: str | None) -> str | None:
        # "No description" is NULL, as the pages store an empty one.
        return value or None
