"""The API's JSON renderer writes exactly what DRF's does."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer

from api.renderers import OrjsonRenderer

DOCUMENTS = [
    {"title": "plain", "id": 1, "done": True, "due_date": None},
    {"title": 'é ü 漢字 🙂 " \\ / \t \n \x00 \x1f', "tags": ["a", "b"]},
    {"title": "line\u2028separator\u2029paragraph", "description": "\u2028"},
    {"when": datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)},
    {"day": datetime.date(2026, 12, 31), "at": datetime.time(9, 30, 0, 123456)},
    {"id": uuid.UUID(int=7), "amount": Decimal("1.50"), "big": 2**70, "small": -1},
    {1: "integer key", "nested": [{"a": []}, {}]},
    [],
    "text",
]


@pytest.mark.parametrize("data", DOCUMENTS)
def test_the_bytes_are_drfs(data):
    assert OrjsonRenderer().render(data) == JSONRenderer().render(data)


def test_javascript_line_separators_are_escaped_as_drf_does():
    content = OrjsonRenderer().render({"title": "a\u2028b\u2029c"})

    assert content == b'{"title":"a\\u2028b\\u2029c"}'


def test_an_indented_answer_is_drfs(rf):
    data = {"title": "x", "tags": ["a"]}
    media_type = "application/json; indent=2"

    assert OrjsonRenderer().render(data, media_type, {}) == JSONRenderer().render(
        data, media_type, {}
    )


def test_no_content_is_empty():
    assert OrjsonRenderer().render(None) == b""
