"""A request cannot forge a line of the log (issue 13, item 7).

Everything the log writes from a request (its path above all) has its control
characters escaped: one request is one line, through Django's logging and through
gunicorn's, which uses the same formatter.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import pytest

from serving.log_format import OneLineFormatter
from tests.utils import gunicorn_get

FORGED = (
    "2026-12-07 05:00:00,000 INFO todoproject.requests "
    "POST /admin/accounts/user/1/delete/ 302 1.0ms user=1"
)
#: Line breaks and terminal escapes of every kind a path can carry, percent-encoded.
BREAKS = ["%0A", "%0D", "%0D%0A", "%C2%85", "%E2%80%A8", "%E2%80%A9", "%0B", "%0C"]


def stdout_formatter() -> logging.Formatter:
    """Return the formatter of the handler that LOGGING gives stdout."""
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "stdout"]
    assert handlers, "LOGGING configures a handler named stdout"
    return handlers[0].formatter


@pytest.mark.django_db
@pytest.mark.parametrize("line_break", BREAKS)
def test_a_path_with_a_line_break_logs_one_line(client, caplog, line_break):
    caplog.set_level(logging.INFO, logger="todoproject.requests")
    path = f"/tasks/{line_break}{FORGED.replace(' ', '%20')}"

    response = client.get(path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    formatter = stdout_formatter()
    assert isinstance(formatter, OneLineFormatter)
    lines = [
        formatter.format(record)
        for record in caplog.records
        if record.name == "todoproject.requests"
    ]
    assert len(lines) == 1
    assert len(lines[0].splitlines()) == 1
    assert " GET /tasks/\\" in lines[0]


def test_control_characters_of_any_message_are_escaped():
    record = logging.LogRecord(
        "todoproject.requests",
        logging.INFO,
        __file__,
        1,
        "%s",
        ("a\nb\x1b[31mc",),
        None,
    )

    line = OneLineFormatter().format(record)

    assert line.endswith("a\\nb\\x1b[31mc")


@pytest.mark.slow
def test_gunicorn_writes_a_forging_request_on_one_line():
    # Production settings: plain HTTP is redirected to HTTPS (301) before anything
    # else runs, and the redirect is logged like any request.
    statuses, stdout, stderr = gunicorn_get(
        "/tasks/%0A" + FORGED.replace(" ", "%20"),
        SECRET_KEY="log-forging-" + "s" * 50,
        DATABASE_URL="sqlite://:memory:",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="INFO",
    )

    assert statuses == [HTTPStatus.MOVED_PERMANENTLY], stdout + stderr
    lines = [line for line in stdout.splitlines() if "/admin/accounts/user/1" in line]
    assert len(lines) == 1, stdout
    assert " todoproject.requests GET /tasks/\\n2026-12-07" in lines[0]
    assert not any(
        line.startswith("2026-12-07 05:00:00") for line in stdout.splitlines()
    )
