"""The Django side of the benchmark: hashes, tokens, sessions, requests, query counts.

Run by bench/run.py, never by hand, with the benchmark's environment (DATABASE_URL of
a todo_bench* database, DEBUG off, a dummy SECRET_KEY):

    python bench/prepare.py hash               the one password hash every user gets
    python bench/prepare.py prepare OUT_DIR    tokens, sessions, requests, query counts

`prepare` writes into OUT_DIR (a temporary directory: it holds live tokens and session
keys, which never go into the repository):

- requests/<route>.tsv  what wrk replays (bench/lua/replay.lua explains the format)
- pgbench/request_<n>.sql, pgbench/data_<n>.sql  the SQL one API list request runs for
  token user n: every statement, and only the statements on `tasks`
- meta.json  routes, status of one probe request each, queries per request for a user
  with 1,000 tasks and for one with 5, and the API list's SQL
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "todoproject.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from knox.models import AuthToken  # noqa: E402

from accounts.models import User  # noqa: E402
from tasks.models import Task  # noqa: E402

PASSWORD = "bench-password-not-secret"
STAFF_EMAIL = "admin@bench.example"
SMALL_EMAIL = "small@bench.example"
HOST = "127.0.0.1"
#: Rows per user the detail and update requests cycle through.
ROWS_PER_USER = 20


def url(name: str, **kwargs: Any) -> str | None:
    """Return the path of a named route, or None when this build does not have it."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


class Actor:
    """One benchmark user: a token and a session, and some of their task ids."""

    def __init__(self, user: User) -> None:
        self.user = user
        _, self.token = AuthToken.objects.create(user)
        client = Client(HTTP_HOST=HOST)
        client.force_login(user)
        self.sessionid = client.cookies["sessionid"].value
        self.task_ids = list(
            Task.objects.filter(user=user)
            .order_by("-created_at", "-id")
            .values_list("id", flat=True)[:ROWS_PER_USER]
        )

    @property
    def token_header(self) -> str:
        return f"Authorization: Token {self.token}"

    @property
    def cookie_header(self) -> str:
        return f"Cookie: sessionid={self.sessionid}"

    def client(self) -> Client:
        client = Client(HTTP_HOST=HOST)
        client.cookies["sessionid"] = self.sessionid
        return client


def request_lines(route: str, actors: list[Actor], staff: Actor) -> list[str]:
    """Return the tab-separated requests wrk replays for `route`."""
    lines: list[str] = []
    for actor in actors:
        for n, pk in enumerate(actor.task_ids):
            line = request_for(route, actor, staff, pk, n)
            if line is not None:
                lines.append("\t".join(line))
    return lines


def request_for(
    route: str, actor: Actor, staff: Actor, pk: int, n: int
) -> tuple[str, str, str, str] | None:
    """Return (method, path, header, body) of request `n` of `route` for `actor`."""
    statuses = [s for s in Task.Status.values]
    if route == "api_list":
        return "GET", url("api:task-list"), actor.token_header, ""
    if route == "api_detail":
        return "GET", url("api:task-detail", pk=pk), actor.token_header, ""
    if route == "api_create":
        body = {
            "title": f"Benchmark task {n}",
            "description": "Created under load" if n % 2 else None,
            "due_date": f"2027-01-{1 + n % 28:02d}" if n % 3 else None,
        }
        return "POST", url("api:task-list"), actor.token_header, json.dumps(body)
    if route == "api_update":
        body = {"status": statuses[n % len(statuses)]}
        path = url("api:task-detail", pk=pk)
        return "PATCH", path, actor.token_header, json.dumps(body)
    if route == "web_list":
        return "GET", url("tasks:list"), actor.cookie_header, ""
    if route == "admin_changelist":
        return "GET", url("admin:tasks_task_changelist"), staff.cookie_header, ""
    if route == "healthz":
        return "GET", url("healthz"), "", ""
    if route == "admin_index":
        return "GET", url("admin:index"), staff.cookie_header, ""
    raise ValueError(route)


#: The route each benchmark route needs; a build without it skips the route.
ROUTE_NAMES = {
    "api_list": "api:task-list",
    "api_detail": "api:task-detail",
    "api_create": "api:task-list",
    "api_update": "api:task-detail",
    "web_list": "tasks:list",
    "admin_changelist": "admin:tasks_task_changelist",
    "healthz": "healthz",
    "admin_index": "admin:index",
}


def available(route: str) -> bool:
    """Return True if this build serves `route`."""
    name = ROUTE_NAMES[route]
    return url(name, **({"pk": 1} if name.endswith("detail") else {})) is not None


def probe(route: str, actor: Actor, staff: Actor) -> dict[str, Any]:
    """Send one request of `route` as `actor`; return its status and its SQL."""
    method, path, header, body = request_for(route, actor, staff, actor.task_ids[0], 1)
    client = staff.client() if route.startswith("admin") else actor.client()
    extra = {}
    if header.startswith("Authorization:"):
        extra["HTTP_AUTHORIZATION"] = header.split(": ", 1)[1]
        client.cookies.clear()
    elif not header:
        client.cookies.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.generic(
            method, path, body, content_type="application/json", **extra
        )
    return {
        "status": response.status_code,
        "queries": len(queries),
        "sql": [q["sql"] for q in queries.captured_queries],
    }


def pgbench_script(statements: list[str]) -> str:
    """Return a pgbench script that runs `statements` in order, one per line."""
    return "".join(" ".join(sql.split()).rstrip(";") + ";\n" for sql in statements)


def prepare(out_dir: Path, token_users: int) -> None:
    users = list(
        User.objects.filter(email__endswith="@bench.example")
        .exclude(email__in=[STAFF_EMAIL, SMALL_EMAIL])
        .order_by("id")[:token_users]
    )
    actors = [Actor(user) for user in users]
    small = Actor(User.objects.get(email=SMALL_EMAIL))
    staff_user = User.objects.filter(email=STAFF_EMAIL).first()
    if staff_user is None:  # a database kept from an earlier run has one already
        staff_user = User.objects.create_superuser(STAFF_EMAIL, PASSWORD)
    staff = Actor(staff_user)

    (out_dir / "requests").mkdir(parents=True, exist_ok=True)
    (out_dir / "pgbench").mkdir(exist_ok=True)
    meta: dict[str, Any] = {"routes": {}, "token_users": len(actors)}
    for route in ROUTE_NAMES:
        if not available(route):
            meta["routes"][route] = {"available": False}
            continue
        lines = request_lines(route, actors, staff)
        (out_dir / "requests" / f"{route}.tsv").write_text("\n".join(lines) + "\n")
        big = probe(route, actors[0], staff)
        tiny = None if route.startswith("admin") else probe(route, small, staff)
        meta["routes"][route] = {
            "available": True,
            "path": lines[0].split("\t")[1],
            "method": lines[0].split("\t")[0],
            "status": big["status"],
            "queries_1000_tasks": big["queries"],
            "queries_5_tasks": tiny["queries"] if tiny else None,
            "status_5_tasks": tiny["status"] if tiny else None,
            "sql": [redact(sql, actors[0]) for sql in big["sql"]],
        }

    if meta["routes"]["api_list"]["available"]:
        data_sql = []
        for n, actor in enumerate(actors):
            # The second request: the first may insert rows (a throttle's counter)
            # that a replay could not insert again.
            probe("api_list", actor, staff)
            statements = probe("api_list", actor, staff)["sql"]
            on_tasks = [sql for sql in statements if 'FROM "tasks"' in sql]
            script = out_dir / "pgbench" / f"request_{n}.sql"
            script.write_text(pgbench_script(statements))
            (out_dir / "pgbench" / f"data_{n}.sql").write_text(pgbench_script(on_tasks))
            if n == 0:
                data_sql = on_tasks
        meta["api_list_data_sql"] = data_sql
        meta["user_id"] = actors[0].user.pk
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2))


def redact(sql: str, actor: Actor) -> str:
    """Return `sql` without the token's key, for the results file."""
    return sql.replace(actor.token[:15], "<token_key>")


def main(argv: list[str]) -> None:
    if argv[1:2] == ["hash"]:
        print(make_password(PASSWORD))
    elif argv[1:2] == ["prepare"]:
        prepare(Path(argv[2]), token_users=int(argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
