"""Django's PostgreSQL backend, plus a bounded retry of connection setup and a
health check without a round trip.

Neon suspends an idle compute; the first connection after that can be refused or reset
while the compute starts (so can one to a PostgreSQL that is restarting). Opening a
connection is safe to repeat, so it is retried with backoff, all attempts together
bounded by ``connect_timeout`` (DB_CONNECT_TIMEOUT): a request never waits longer than
that for a connection. Statements are never retried: once connected, an error reaches
the caller as before.

The health check (CONN_HEALTH_CHECKS) runs before the first statement of every request
that reuses a connection. Django's sends `SELECT 1` and waits for the answer: a round
trip per request, on Neon a network one. A server that ends a connection (Neon's idle
timeout, a restart, `pg_terminate_backend`) says so on the socket: an error message,
then end of file. So an idle connection whose socket has nothing to read is alive;
only one that has something gets Django's `SELECT 1`.
"""

from __future__ import annotations

import logging
import select
import time
from typing import Any

from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)

#: libpq waits at least 2 s for a connection whatever connect_timeout says; an attempt
#: is only started when that much of the budget is left.
MIN_ATTEMPT_SECONDS = 2
FIRST_BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 1.0
#: Errors that another attempt cannot fix (wrong credentials, database or role missing).
PERMANENT_ERRORS = (
    "password authentication failed",
    "does not exist",
    "no pg_hba.conf entry",
    "authentication failed",
)


def is_permanent(error: Exception) -> bool:
    """Return True if a failed connection attempt will fail again the same way."""
    message = str(error)
    return any(text in message for text in PERMANENT_ERRORS)


def has_data(fd: int) -> bool:
    """Whether socket `fd` has something to read (or was closed), without waiting.

    poll() where there is one: select() refuses descriptors past 1023.
    """
    if not hasattr(select, "poll"):
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        """Whether the connection still works, with a round trip only when in doubt.

        An idle connection whose socket has nothing to read is open (the usual case:
        no statement). Something to read means the server spoke first, usually to
        close the connection (or to report a changed parameter): then Django's own
        check runs a statement to find out.
        """
        if self.connection is None or self.connection.closed:
            return False
        try:
            readable = has_data(self.connection.pgconn.socket)
        except (OSError, ValueError, self.Database.Error):
            return False
        return not readable or super().is_usable()

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        if self.pool:
            # psycopg's pool reconnects by itself and bounds the wait (DB_POOL_TIMEOUT).
            return super().get_new_connection(conn_params)
        budget = float(conn_params.get("connect_timeout") or 10)
        deadline = time.monotonic() + budget
        backoff = FIRST_BACKOFF_SECONDS
        attempt = 1
        while True:
            try:
                return super().get_new_connection(conn_params)
            except self.Database.OperationalError as error:
                left = deadline - time.monotonic() - backoff
                if is_permanent(error) or left < MIN_ATTEMPT_SECONDS:
                    raise
                logger.warning(
                    "Database connection attempt %d failed (%s); retrying in %.1fs.",
                    attempt,
                    str(error).strip().splitlines()[0],
                    backoff,
                )
            time.sleep(backoff)
            # The next attempt gets what is left of the budget, never more.
            conn_params = {**conn_params, "connect_timeout": int(left)}
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            attempt += 1
