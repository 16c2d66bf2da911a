"""The shared cache in the database, safe for counters that must not be lost."""

from __future__ import annotations

from datetime import datetime

from django.core.cache.backends import db
from django.db import connections


class DatabaseCache(db.DatabaseCache):
    """Django's database cache, except that it never evicts an entry before it expires.

    API throttles and log-in lock-outs count in this cache. Django's own backend deletes
    a third of the *live* entries whenever the table holds more than MAX_ENTRIES rows,
    which silently resets those counters: someone spreading failed log-ins over many
    accounts or addresses could wipe their own. Here culling removes expired entries
    only; MAX_ENTRIES decides how often that happens, not how many entries may live.
    """

    def _cull(self, db: str, cursor, now: datetime, num: int) -> None:
        connection = connections[db]
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(self._table)} "
            f"WHERE {connection.ops.quote_name('expires')} < %s",
            [connection.ops.adapt_datetimefield_value(now)],
        )
