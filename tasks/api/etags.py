"""ETags of a task's representation, and the If-Match / If-None-Match checks."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.http import parse_etags


def etag_of(representation: dict) -> str:
    """Return the strong ETag of a task's JSON representation (any change changes it,
    updated_at included)."""
    data = json.dumps(representation, sort_keys=True, cls=DjangoJSONEncoder)
    digest = hashlib.sha256(data.encode()).hexdigest()[:32]
    return f'"{digest}"'


def etag_matches(header: str | None, etag: str) -> bool | None:
    """Return whether the If-Match/If-None-Match `header` names `etag` (or is "*").

    None when the header is missing or names no ETag at all: no condition, as in
    Django's own conditional views. Weak tags compare by their value: GZipMiddleware
    weakens the ETags of the responses it compresses.
    """
    tags = parse_etags(header or "")
    if not tags:
        return None
    return any(tag == "*" or tag.removeprefix("W/") == etag for tag in tags)
