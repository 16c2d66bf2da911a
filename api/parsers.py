"""The API's body parser: JSON only (any other body is a 415, one too large a 413)."""

from __future__ import annotations

import json
from typing import Any

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what it would let through to a 500.

    Nesting deep enough to exhaust the recursion limit, and strings with lone
    surrogates ("\\ud800"), which no database can store as UTF-8, are 400s. (Bodies
    over DATA_UPLOAD_MAX_MEMORY_SIZE never get here: see exception_handler.)
    """

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError as exc:
            raise exceptions.ParseError(
                "JSON parse error - nested too deeply."
            ) from exc
        except UnicodeEncodeError as exc:
            raise exceptions.ParseError(
                "JSON parse error - strings must be valid Unicode text."
            ) from exc
        return data
