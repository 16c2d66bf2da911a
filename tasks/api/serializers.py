"""The JSON representation of a task (SPEC §5)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import StrictCharField
from tasks.models import Task


def iso_datetime(value: datetime | None, zone: tzinfo) -> str | None:
    """Return `value` as DRF's DateTimeField writes it, in `zone`; UTC as "Z"."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


#: The due dates the model allows (tasks.models.DUE_DATE_MIN..DUE_DATE_MAX), as a
#: pattern in the schema: JSON Schema has no minimum for dates, and clients and
#: fuzzers should see the range the server enforces.
DUE_DATE_PATTERN = (
    r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
)


@extend_schema_field({"type": "string", "format": "date", "pattern": DUE_DATE_PATTERN})
class DueDateField(serializers.DateField):
    """A due date; the model field's validators refuse dates out of range."""


class TaskSerializer(serializers.ModelSerializer):
    """A task. Title rules come from the model field (length, not blank)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.DateField: DueDateField,
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
