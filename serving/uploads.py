"""File uploads only where a view takes files.

Django parses a multipart body as soon as anything reads `request.POST` (the CSRF
check does, on every POST), keeping each file part in memory or a temporary file. On
a route that takes no file that is memory and disk an attacker gets for free. A view
that takes files says so with `@accepts_uploads`. On any other route a multipart body
over DATA_UPLOAD_MAX_MEMORY_SIZE is refused (413) before it is read, and the file
parts of a smaller one are skipped as they stream by: the form fields still arrive
(a form without files may still be sent as multipart), the files never land anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse

MULTIPART = "multipart/"


def accepts_uploads(view: Callable) -> Callable:
    """Mark `view` (a function, or a class-based view's `as_view()`) as taking files."""
    view.accepts_uploads = True
    return view


class SkipFilesUploadHandler(FileUploadHandler):
    """Drop every file part of a multipart body unstored."""

    def new_file(self, *args, **kwargs) -> None:
        raise SkipFile()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        return None

    def file_complete(self, file_size: int) -> None:
        return None


class RefuseUnexpectedUploadsMiddleware:
    """Keep uploads away from views not marked `@accepts_uploads`.

    Placed before CsrfViewMiddleware, whose check would otherwise parse the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args, view_kwargs
    ) -> HttpResponse | None:
        if not request.content_type.startswith(MULTIPART) or getattr(
            view_func, "accepts_uploads", False
        ):
            return None
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0  # Django's parser refuses it in turn
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return HttpResponse(
                "This address takes no file uploads, and the request is too large.",
                status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                content_type="text/plain; charset=utf-8",
            )
        request.upload_handlers = [SkipFilesUploadHandler(request)]
        return None
