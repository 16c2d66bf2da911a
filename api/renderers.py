"""The API's JSON renderer: DRF's output, encoded by orjson.

DRF's `JSONRenderer` (with the defaults this project keeps: compact, UTF-8, strict)
writes `json.dumps(data, ensure_ascii=False, separators=(",", ":"))`, then escapes
U+2028 and U+2029 so the JSON is also valid JavaScript. orjson writes the same bytes for
the types the API's serializers produce (dicts, lists, strings, numbers, booleans,
null), faster. Dates and times still go through DRF's encoder, which formats them its
own way; anything orjson cannot encode (an integer past 64 bits) and any
pretty-printed answer are rendered by DRF itself. One difference remains: a float NaN
or infinity, which DRF refuses, orjson writes as null; no representation in the API
has a float.
"""

from __future__ import annotations

import orjson
from rest_framework.renderers import JSONRenderer

#: The characters DRF escapes after encoding, as UTF-8 and as their escapes.
JAVASCRIPT_LINE_SEPARATORS = {
    "\u2028".encode(): b"\\u2028",
    "\u2029".encode(): b"\\u2029",
}


class OrjsonRenderer(JSONRenderer):
    """DRF's JSON renderer, byte for byte, on orjson."""

    options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        plain = self.compact and not self.ensure_ascii and self.strict
        if not plain or self.get_indent(accepted_media_type, renderer_context):
            return super().render(data, accepted_media_type, renderer_context)
        encoder = self.encoder_class()
        try:
            content = orjson.dumps(data, default=encoder.default, option=self.options)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        for character, escape in JAVASCRIPT_LINE_SEPARATORS.items():
            content = content.replace(character, escape)
        return content
