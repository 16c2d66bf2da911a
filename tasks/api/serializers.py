"""The JSON representation of a task (SPEC §5)."""

from __future__ import annotations

import copy
import functools
from datetime import datetime, tzinfo

from django.db import connections, models
from django.db.models import Expression, F
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.expressions import ISODate, UTCTimestamp
from api.fields import WHITESPACE, StrictCharField
from tasks.models import (
    MAX_TAGS_PER_TASK,
    TAG_MAX_LENGTH,
    TAG_NAMES,
    TagNames,
    Task,
    TaskEvent,
    TrashedTask,
    clean_tag_names,
    tag_names_by_task,
    validate_repeat,
)


def iso_datetime(value: datetime | None, zone: tzinfo) -> str | None:
    """Return `value` as DRF's DateTimeField writes it, in `zone`; UTC as "Z"."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


#: A tag name as the schema tells it: not blank, no NUL, comma or semicolon.
TAG_NAME_PATTERN = rf"^[^\x00,;]*[^\x00,;{WHITESPACE}][^\x00,;]*$"


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "string",
            "minLength": 1,
            "maxLength": TAG_MAX_LENGTH,
            "pattern": TAG_NAME_PATTERN,
        },
        "maxItems": MAX_TAGS_PER_TASK,
    }
)
class TagNamesField(serializers.ListField):
    """A task's tags as their names; names new to the owner create their tags."""

    child = StrictCharField(max_length=TAG_MAX_LENGTH)

    def run_child_validation(self, data: list) -> list[str]:
        # One flat list of messages, as for every other field (DRF's ListField
        # answers a dict keyed by position, which the Error schema does not allow).
        names, errors = [], []
        for position, item in enumerate(data, start=1):
            try:
                names.append(self.child.run_validation(item))
            except serializers.ValidationError as error:
                errors.extend(f"Tag {position}: {message}" for message in error.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return names

    def to_representation(self, data) -> list[str]:
        return [tag.name for tag in data.all()]


def with_tag_names(rows: list[dict]) -> list[dict]:
    """Add the tag names of each `values()` row of a task: those the rows' query
    read (TaskQuerySet.values_with_tag_names() on PostgreSQL), else in one query."""
    if rows and TAG_NAMES in rows[0]:
        for row in rows:
            row["tags"] = row.pop(TAG_NAMES)
        return rows
    names = tag_names_by_task(row["id"] for row in rows)
    for row in rows:
        row["tags"] = names.get(row["id"], [])
    return rows


def holds_fields(field: serializers.Field) -> bool:
    """Whether `field` holds fields of its own, bound to it: a list's child, a
    relation's, a nested serializer's."""
    return isinstance(field, serializers.BaseSerializer) or bool(held_fields(field))


def held_fields(field: serializers.Field) -> dict[str, serializers.Field]:
    """The fields `field` holds, by attribute (not its parent, which holds it)."""
    return {
        name: value
        for name, value in vars(field).items()
        if name != "parent" and isinstance(value, serializers.Field)
    }


def copy_unbound_field(
    field: serializers.Field, *, whole: bool = True
) -> serializers.Field:
    """Return a copy of `field`, not bound to a serializer yet, for one serializer.

    Binding sets the copy's own attributes (name, parent, source), so a field made
    of its arguments alone needs no more than a shallow copy: its validators and
    messages are never changed after it is made. A field that holds fields of its
    own (`held_fields()`) gets copies of them, bound to the copy as they were to the
    original: a list's child, a relation's; `whole=False`, from a caller that knows
    the field holds none (`holds_fields()`), spares looking. A nested serializer is
    copied whole, as DRF copies declared fields (`Field.__deepcopy__`).
    """
    if isinstance(field, serializers.BaseSerializer):
        return copy.deepcopy(field)
    # What copy.copy() makes of a field (a new instance with the same attributes),
    # without its detour through the pickle protocol, which costs four times more.
    clone = type(field).__new__(type(field))
    clone.__dict__.update(vars(field))
    if whole:
        for name, inner in held_fields(field).items():
            inner_copy = copy_unbound_field(inner)
            inner_copy.parent = clone
            setattr(clone, name, inner_copy)
    return clone


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
    tags = TagNamesField(
        required=False,
        max_length=MAX_TAGS_PER_TASK,
        help_text="The names of the task's tags. Writing them replaces the task's "
        "tags; a name you have not used yet creates your tag of that name.",
    )

    class Meta:
        model = Task
        fields = Task.REPRESENTED_FIELDS
        read_only_fields = ("id", "user_id", "created_at", "updated_at")
        # A task has no unique-together constraint and no unique-for-date field, so
        # DRF's default validators are none; declaring them spares DRF looking through
        # the model's field info and constraints for every serializer (3 % of a
        # create). A test checks that the default set is still empty.
        validators = []
        extra_kwargs = {
            "repeat": {
                "allow_blank": False,
                "help_text": "How the task repeats; null: it does not. Needs a due "
                "date. Completing a repeating task moves it to its next due date, "
                "pending again.",
            },
        }

    #: What a list reads of each task: `values(*ROW_FIELDS)` rows, with the tag
    #: names added by with_tag_names(), need no model instance, and represent
    #: exactly as the task does.
    ROW_FIELDS = tuple(name for name in Meta.fields if name != "tags")

    def to_representation(self, instance: Task | dict) -> dict:
        # Every task the API returns passes here, up to 200 per list page. The fields
        # above give the same JSON (a test compares them) at about three times the
        # cost; they still validate input and describe the schema. `instance` is a
        # task, or a row of ROW_FIELDS (lists).
        if isinstance(instance, dict):
            row = instance
        else:
            row = {name: getattr(instance, name) for name in self.ROW_FIELDS}
            row["tags"] = self.tag_names_of(instance)
        zone = self._zone
        due_date = row["due_date"]
        return {
            "id": row["id"],
            "user_id": row["user_id"],
            "title": row["title"],
            "description": row["description"],
            "status": str(row["status"]),
            "due_date": None if due_date is None else due_date.isoformat(),
            "repeat": row["repeat"],
            "tags": row["tags"],
            "created_at": iso_datetime(row["created_at"], zone),
            "updated_at": iso_datetime(row["updated_at"], zone),
        }

    @staticmethod
    def represented_by_database(alias: str) -> bool:
        """Whether database `alias` reads list rows as their representation
        (`database_representation()`): PostgreSQL, with datetimes shown in UTC."""
        return (
            connections[alias].vendor == "postgresql"
            and timezone.get_current_timezone_name() == "UTC"
        )

    @staticmethod
    @functools.cache
    def database_representation() -> dict[str, Expression]:
        """The keys and values of to_representation(), in its order, as PostgreSQL
        reads them: dates and times already as the text written here
        (api.expressions), the tag names as a list. Built once: a query resolves
        copies of expressions, never the originals."""
        return {
            "id": F("id"),
            "user_id": F("user_id"),
            "title": F("title"),
            "description": F("description"),
            "status": F("status"),
            "due_date": ISODate("due_date"),
            "repeat": F("repeat"),
            "tags": TagNames("id"),
            "created_at": UTCTimestamp("created_at"),
            "updated_at": UTCTimestamp("updated_at"),
        }

    def tag_names_of(self, task: Task) -> list[str]:
        """Return the names of `task`'s tags (prefetched by `with_tags()`)."""
        if task is getattr(self, "_new_untagged_task", None):
            return []  # nothing to read back: it was just created without tags
        return task.tag_names()

    def validate(self, attrs: dict) -> dict:
        # The rules of Task.clean() that involve several fields; a PATCH keeps the
        # task's other values.
        def current(name: str):
            return attrs.get(name, getattr(self.instance, name, None))

        validate_repeat(current("repeat"), current("due_date"))
        return attrs

    def validate_tags(self, value: list[str]) -> list[str]:
        return clean_tag_names(value)

    def create(self, validated_data: dict) -> Task:
        tags = validated_data.pop("tags", [])
        # The rest are the task's own columns: nothing nested or many-to-many for
        # ModelSerializer.create() to look for in the model's relations on every write.
        task = Task.objects.create(**validated_data)
        if tags:
            task.set_tags(tags)
        else:
            self._new_untagged_task = task
        return task

    def update(self, instance: Task, validated_data: dict) -> Task:
        tags = validated_data.pop("tags", None)
        task = super().update(instance, validated_data)
        if tags is not None:
            task.set_tags(tags)
        return task

    def get_fields(self) -> dict[str, serializers.Field]:
        # ModelSerializer works the fields out from the model for every instance,
        # though they depend on the class alone: each class works them out once,
        # and every instance gets copies of its own (copy_unbound_field()).
        prototypes = type(self).__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = [
                (name, field, holds_fields(field))
                for name, field in super().get_fields().items()
            ]
            type(self)._field_prototypes = prototypes
        return {
            name: copy_unbound_field(field, whole=whole)
            for name, field, whole in prototypes
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

    def tag_names_of(self, trashed: TrashedTask) -> list[str]:
        """Return the names of the tags the task had when it was deleted."""
        return list(trashed.tag_names)

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
        extra_kwargs = TaskSerializer.Meta.extra_kwargs


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Tasks created.")
    skipped = serializers.IntegerField(
        help_text="Rows skipped: tasks already there (same title and creation time)."
    )
