"""The project's one log format on stdout, shared by Django's LOGGING and gunicorn.

Settings and gunicorn's configuration name these by dotted path. No Django imports:
gunicorn's configuration file reads this module before Django is set up.
"""

from __future__ import annotations

import logging

from gunicorn import glogging

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def escape_control_characters(text: str) -> str:
    """Return `text` with line breaks and other control characters written as escapes.

    Whatever a request carries (a path with %0A in it, a header) must not start a line
    of its own in the log: one record is one line, which nobody can forge.
    """
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


class OneLineFormatter(logging.Formatter):
    """`LINE_FORMAT`, with the message's control characters escaped (tracebacks,
    which the formatter appends on lines of their own, are left as they are)."""

    def __init__(self) -> None:
        super().__init__(LINE_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802
        record.message = escape_control_characters(record.message)
        return super().formatMessage(record)


FORMATTERS = {"plain": {"()": "serving.log_format.OneLineFormatter"}}
HANDLERS = {
    "stdout": {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": "plain",
    },
}


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, without its access log: the one request log is the project's
    own (serving.request_log).

    gunicorn writes an access line for every request once its logging is configured
    (as `logconfig_dict` does here), whatever `accesslog` says; the line went to a
    logger that drops it, after the work of building it.
    """

    @property
    def access_log_enabled(self) -> bool:
        return False
