"""The task serializers work their fields out once per class: each instance still
gets fields of its own, the same as ModelSerializer would build."""

from __future__ import annotations

import copy

import pytest
from django.db import models
from rest_framework import serializers
from rest_framework.utils import model_meta

from tasks.api.serializers import (
    ImportedTaskSerializer,
    TaskSerializer,
    TrashedTaskSerializer,
    copy_unbound_field,
)
from tasks.models import Task


def built_by_model_serializer(serializer_class) -> dict[str, str]:
    """The fields ModelSerializer itself builds for the class, as their reprs."""
    fields = serializers.ModelSerializer.get_fields(serializer_class())
    return {name: repr(field) for name, field in fields.items()}


@pytest.mark.parametrize(
    "serializer_class", [TaskSerializer, TrashedTaskSerializer, ImportedTaskSerializer]
)
def test_each_class_gets_the_fields_model_serializer_builds(serializer_class):
    first, second = serializer_class().fields, serializer_class().fields

    expected = built_by_model_serializer(serializer_class)
    assert {name: repr(field) for name, field in first.items()} == expected
    assert {name: repr(field) for name, field in second.items()} == expected


def test_instances_never_share_a_field():
    first, second = TaskSerializer(), TaskSerializer(data={"title": "x"})

    for name, field in first.fields.items():
        assert field is not second.fields[name]
        assert field.parent is first
        assert second.fields[name].parent is second


def test_a_field_of_fields_gets_its_own_bound_to_it():
    first, second = TaskSerializer().fields["tags"], TaskSerializer().fields["tags"]

    assert first.child is not second.child
    assert first.child.parent is first
    assert second.child.parent is second


@pytest.mark.parametrize(
    "field",
    [
        serializers.ListField(child=serializers.CharField()),
        serializers.DictField(child=serializers.IntegerField()),
        serializers.ManyRelatedField(
            child_relation=serializers.PrimaryKeyRelatedField(read_only=True)
        ),
        TaskSerializer(),
    ],
    ids=["list", "dict", "many relations", "nested serializer"],
)
def test_copies_of_fields_that_hold_fields_are_whole(field):
    copied = copy_unbound_field(field)

    inner = {
        name: value
        for name, value in vars(copied).items()
        if isinstance(value, serializers.Field)
    }
    assert copied is not field
    for name, value in inner.items():
        assert value is not getattr(field, name)
        assert value.parent is copied


def test_each_instance_validates_on_its_own():
    refused = TaskSerializer(data={"title": "", "tags": ["ok", ""]})
    accepted = TaskSerializer(data={"title": "Buy milk", "tags": ["home"]})

    assert not refused.is_valid()
    assert accepted.is_valid(), accepted.errors
    assert set(refused.errors) == {"title", "tags"}
    assert accepted.validated_data["tags"] == ["home"]


@pytest.mark.parametrize(
    "field",
    [
        serializers.CharField(max_length=5, help_text="x"),
        serializers.ChoiceField(choices=["a", "b"]),
        serializers.DateTimeField(read_only=True),
    ],
    ids=["char", "choice", "read-only datetime"],
)
def test_a_copy_of_a_leaf_field_is_what_copy_copy_makes(field):
    copied = copy_unbound_field(field)

    assert copied is not field
    assert type(copied) is type(field)
    assert vars(copied) == vars(copy.copy(field))


def test_a_held_field_is_copied_without_its_container():
    field = serializers.ListField(child=serializers.CharField())

    copied = copy_unbound_field(field)

    assert copied.child.parent is copied
    assert field.child.parent is field
    assert copied.child.run_validation("x") == "x"


def test_the_task_serializer_leaves_out_no_default_validator():
    # TaskSerializer.Meta.validators = [] stands for what ModelSerializer would find.
    serializer = TaskSerializer()
    defaults = (
        serializer.get_unique_together_validators()
        + serializer.get_unique_for_date_validators()
    )

    assert defaults == []
    assert serializer.validators == []


def test_a_unique_constraint_on_the_task_would_be_a_default_validator(monkeypatch):
    # ...so the test above fails the day the task gets one.
    unique = models.UniqueConstraint(fields=["title", "due_date"], name="unique")
    monkeypatch.setattr(Task._meta, "constraints", [*Task._meta.constraints, unique])

    assert TaskSerializer().get_unique_together_validators() != []


def test_validating_a_task_reads_no_model_field_info(monkeypatch):
    assert TaskSerializer().fields  # the class's fields, worked out once
    looked_up = []
    monkeypatch.setattr(
        model_meta, "get_field_info", lambda model: looked_up.append(model)
    )

    serializer = TaskSerializer(data={"title": "Write the report"})

    assert serializer.is_valid(), serializer.errors
    assert looked_up == []
