"""The schema patterns of the API's text fields say what the server enforces."""

import re

from api.fields import NO_NUL_PATTERN, NOT_BLANK_PATTERN


def test_not_blank_pattern_agrees_with_what_trimming_leaves():
    """A one-character title passes the schema exactly when it survives str.strip()
    (DRF's trimming and the model's not-blank validator)."""
    pattern = re.compile(NOT_BLANK_PATTERN)
    disagreements = [
        hex(code)
        for code in range(1, 0x10000)
        if not 0xD800 <= code <= 0xDFFF
        and bool(pattern.match(chr(code))) != bool(chr(code).strip())
    ]

    assert disagreements == []


def test_patterns_refuse_nul_anywhere():
    for pattern in (NO_NUL_PATTERN, NOT_BLANK_PATTERN):
        assert re.match(pattern, "a\x00b") is None
        assert re.match(pattern, "ab")


def test_max_length_counts_the_text_as_sent_before_trimming():
    """The schema's maxLength applies to the string sent; white space trimmed off
    afterwards does not make a longer string acceptable."""
    from rest_framework.exceptions import ValidationError

    from api.fields import StrictCharField

    field = StrictCharField(max_length=5)

    assert field.run_validation(" abc ") == "abc"
    try:
        field.run_validation("  abcde")
    except ValidationError as error:
        assert error.detail == ["Ensure this field has no more than 5 characters."]
    else:
        raise AssertionError("a 7-character string passed a max_length of 5")


def test_blank_allowed_text_accepts_the_empty_string_in_the_schema(client, db):
    """A description of "" is valid for the server; under `oneOf` it matched both of
    the schema's branches, which made it invalid for clients and fuzzers."""
    import json

    from django.urls import reverse

    schema = json.loads(
        client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").content
    )
    description = schema["components"]["schemas"]["TaskRequest"]["properties"][
        "description"
    ]

    assert "oneOf" not in description
    assert {"type": "string", "maxLength": 0} in description["anyOf"]
