"""URLs of many objects of one route, for the price of one reverse()."""

from __future__ import annotations

from django.urls import reverse

#: An id that is reversed into a URL and then cut out of it.
_PLACEHOLDER_ID = 987654321


def url_parts(
    viewname: str, *, kwarg: str | None = None, current_app: str | None = None
) -> tuple[str, str]:
    """Return the URL of `viewname` for an object as the text before and after its id.

    reverse() is slow (it looks up the URLconf and the script prefix and quotes every
    argument); a list page that links every row pays it once per route this way:
    `f"{before}{pk}{after}"`. For routes whose only argument is an integer id, passed
    positionally, or as `kwarg`. The parts depend on the request (script prefix,
    current app), so compute them per request.
    """
    if kwarg is None:
        url = reverse(viewname, args=[_PLACEHOLDER_ID], current_app=current_app)
    else:
        url = reverse(
            viewname, kwargs={kwarg: _PLACEHOLDER_ID}, current_app=current_app
        )
    before, _, after = url.rpartition(str(_PLACEHOLDER_ID))
    return before, after
