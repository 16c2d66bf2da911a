"""Serializer fields of the API that accept text only, and say so in the schema.

DRF's CharField turns numbers into strings and refuses NUL characters (PostgreSQL
cannot store them) without the OpenAPI schema telling; these fields refuse every
non-string, and their schema carries a pattern with the same rules (no NUL; not blank
once trimmed, unless blanks are allowed), so that clients and fuzzers see the contract
the server enforces.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

#: What Python's str.strip() removes (str.isspace), spelled out for JSON Schema
#: regexes, whose \s differs (it lacks \x1c-\x1f and \x85 and has \ufeff).
WHITESPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
NO_NUL_PATTERN = r"^[^\x00]*$"
NOT_BLANK_PATTERN = rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$"


class StrictTextMixin:
    default_error_messages = {"not_a_string": "Not a valid string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        # The schema's maxLength counts the text as sent, before trimming: so does this.
        max_length = getattr(self, "max_length", None)
        if max_length is not None and len(data) > max_length:
            self.fail("max_length", max_length=max_length)
        return super().to_internal_value(data)


class StrictCharField(StrictTextMixin, serializers.CharField):
    pass


class StrictEmailField(StrictTextMixin, serializers.EmailField):
    pass


class StrictTextFieldExtension(OpenApiSerializerFieldExtension):
    target_class = StrictCharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(
            self.target, direction, bypass_extensions=True
        )
        if direction == "request" and not self.target.read_only:
            # Only white space is blank once trimmed; untrimmed it is a value.
            blank_refused = self.target.trim_whitespace and not self.target.allow_blank
            schema["pattern"] = NOT_BLANK_PATTERN if blank_refused else NO_NUL_PATTERN
        return schema
