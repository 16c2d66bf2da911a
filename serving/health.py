"""Liveness and readiness probes for the platform's load balancer."""

from __future__ import annotations

from functools import cache
from http import HTTPStatus

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@cache
def known_migrations() -> frozenset[tuple[str, str]]:
    """Return every migration of this code base (read from disk once per process)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def unapplied_migrations() -> set[tuple[str, str]]:
    """Return the migrations the database has not applied (one query)."""
    applied = MigrationRecorder(connection).applied_migrations()
    return set(known_migrations()) - set(applied)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 while the process serves requests; never touches the database."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers and has every migration applied.

    503 while it is unreachable, and while a deploy's migrations have not run yet: a
    process of the new code must not take traffic before its schema exists.
    """
    try:
        pending = unapplied_migrations()
    except DatabaseError:
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable"},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    if pending:
        return JsonResponse(
            {"status": "unavailable", "database": "ok", "migrations": "pending"},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "applied"})
