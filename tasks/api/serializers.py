"""The JSON representation of a task (SPEC §5)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import StrictCharField
from tasks.models import Task, TaskEvent, TrashedTask


def iso_datetime(value: datetime | None, zone: tzinfo) -> str | None:
    """Return `value` as DRF's DateTimeField writes it, in `zone`; UTC as "Z"."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
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
        fields = Task.REPRESENTED_FIELDS
        read_only_fields = ("id", "user_id", "created_at", "updated_at")

    #: What a list reads of each task: `values(*ROW_FIELDS)` rows need no model
    #: instance, and represent exactly as the task does.
    ROW_FIELDS = Meta.fields

    def to_representation(self, instance: Task | dict) -> dict:
        # Every task the API returns passes here, up to 200 per list page. The fields
        # above give the same JSON (a test compares them) at about three times the
        # cost; they still validate input and describe the schema. `instance` is a
        # task, or a row of ROW_FIELDS (lists).
        if isinstance(instance, dict):
            row = instance
        else:
            row = {name: getattr(instance, name) for name in self.ROW_FIELDS}
        zone = self._zone
        due_date = row["due_date"]
        return {
            "id": row["id"],
            "user_id": row["user_id"],
            "title": row["title"],
            "description": row["description"],
            "status": str(row["status"]),
            "due_date": None if due_date is None else due_date.isoformat(),
            "created_at": iso_datetime(row["created_at"], zone),
            "updated_at": iso_datetime(row["updated_at"], zone),
        }

    @cached_property
    def _zone(self) -> tzinfo:
        """The time zone of this request's datetimes (looked up once, not per task)."""
        return timezone.get_current_timezone()


class TrashedTaskSerializer(TaskSerializer):
    """A task in the trash: the task's representation, plus when it was deleted."""

    class Meta:
        model = TrashedTask
        fields = (*Task.REPRESENTED_FIELDS, "deleted_at")
        read_only_fields = fields

    def to_representation(self, instance: TrashedTask) -> dict:
        data = super().to_representation(instance)
        data["deleted_at"] = iso_datetime(instance.deleted_at, self._zone)
        return data


class ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2},
        "description": "Each changed field: [old value, new value].",
    }
)
class ChangesField(serializers.JSONField):
    """The changed fields of an event, each as [old, new]."""


class TaskEventSerializer(serializers.ModelSerializer):
    """One change to a task: when, by whom (null: the system), what, which fields."""

    actor = ActorSerializer(allow_null=True)
    changes = ChangesField()

    class Meta:
        model = TaskEvent
        fields = ("at", "actor", "action", "changes")
        read_only_fields = fields


class ImportedTaskSerializer(TaskSerializer):
    """A task read back from an export: the task's own rules, plus its times.

    The id and owner of the file are ignored (the importing user owns the tasks).
    Missing times are those of the import.
    """

    created_at = serializers.DateTimeField(required=False)
    updated_at = serializers.DateTimeField(required=False)

    class Meta:
        model = Task
        fields = tuple(
            name for name in Task.REPRESENTED_FIELDS if name not in ("id", "user_id")
        )


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Tasks created.")
    skipped = serializers.IntegerField(
        help_text="Rows skipped: tasks already there (same title and creation time)."
    )
