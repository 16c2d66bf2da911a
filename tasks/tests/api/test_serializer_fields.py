"""The task serializers work their fields out once per class: each instance still
gets fields of its own, the same as ModelSerializer would build."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from tasks.api.serializers import (
    ImportedTaskSerializer,
    TaskSerializer,
    TrashedTaskSerializer,
)


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
