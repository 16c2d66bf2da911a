"""What each layer of an API request costs: the floor under the API list, in one run.

    .venv/bin/python bench/floor/run.py [--rounds 3] [--duration 10] [--connections 16]

Starts gunicorn as the Procfile does (2 workers, the project's gunicorn.conf.py) with
bench/floor/settings.py, on a fresh PostgreSQL database (`todo_floor` at PG_URL_BASE,
default postgres://postgres@127.0.0.1:5432) holding one user with 50 tasks, and drives
each route with `../shared/peer/load.sh` (wrk), round after round, in this order:

    GET /healthz                   the web stack with no database work
    GET /floor/django/             a plain view answering a page of 50 tasks
    GET /floor/drf/                the same from a DRF view
    GET /floor/token/              + token authentication (a token of the user)
    GET /floor/limited/            + the API's rate limits
    GET /api/v1/users/<id>/tasks/  the list itself: + the page's query
    POST /api/v1/tasks/            a create (as a second user)

It prints each route's median rate and what one request costs the machine (its cores
divided by the rate: CPU of gunicorn, PostgreSQL, Redis and wrk together, since the
load keeps every core busy), and how much each layer adds to the one above it. Set
REDIS_URL to count the rate limits in Redis, as production does; settings for the run
go in the environment (e.g. DB_PREPARED_STATEMENTS=0). Check `uptime` first: these
are absolute figures of one machine at one moment, comparable within a run only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT.parent / "shared" / "peer" / "load.sh"
PORT = 8060
CREATE_BODY = (
    '{"title":"Benchmark POST","status":"pending","description":"created by wrk",'
    '"due_date":"2026-12-31"}'
)
SEED = """
from knox.models import AuthToken
from accounts.models import User
from tasks.models import Task
reader = User.objects.create_user("floor-reader@example.com", "floor-password-1")
writer = User.objects.create_user("floor-writer@example.com", "floor-password-1")
Task.objects.bulk_create(
    Task(user=reader, title=f"Task {n}", status="pending", description="Notes")
    for n in range(50)
)
print(reader.pk, AuthToken.objects.create(user=reader)[1],
      AuthToken.objects.create(user=writer)[1])
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=2)
    return parser.parse_args()


def run(*command: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def main() -> None:
    args = parse_args()
    if not LOAD.exists():
        sys.exit(f"needs {LOAD} (the peer harness) beside the checkout")
    base = os.environ.get("PG_URL_BASE", "postgres://postgres@127.0.0.1:5432")
    env = {
        **os.environ,
        "DATABASE_URL": f"{base}/todo_floor",
        "DJANGO_SETTINGS_MODULE": "bench.floor.settings",
        "DEBUG": "0",
        "SECRET_KEY": "floor-benchmark-not-secret-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "API_THROTTLE_USER": os.environ.get("API_THROTTLE_USER", "1000000/min"),
        "WEB_CONCURRENCY": "2",
        "PORT": str(PORT),
    }
    python = sys.executable
    for sql in ("DROP DATABASE IF EXISTS todo_floor", "CREATE DATABASE todo_floor"):
        run("psql", f"{base}/postgres", "-qc", sql, env=env)
    run(python, "manage.py", "migrate", "-v", "0", env=env)
    seeded = run(
        python, "manage.py", "shell", "-c", SEED, env=env, stdout=subprocess.PIPE
    )
    reader_id, read_token, write_token = seeded.stdout.decode().split()[-3:]
    # Statistics for the planner, as autovacuum would gather them in time.
    run("psql", env["DATABASE_URL"], "-qc", "ANALYZE", env=env)
    token = ["-H", f"Authorization: Token {read_token}"]
    routes = [
        ("GET /healthz", "/healthz", []),
        ("GET /floor/django/", "/floor/django/", []),
        ("GET /floor/drf/", "/floor/drf/", []),
        ("GET /floor/token/", "/floor/token/", token),
        ("GET /floor/limited/", "/floor/limited/", token),
        ("GET /api/v1/users/<id>/tasks/", f"/api/v1/users/{reader_id}/tasks/", token),
        (
            "POST /api/v1/tasks/",
            "/api/v1/tasks/",
            [
                "-H",
                f"Authorization: Token {write_token}",
                "-m",
                "POST",
                "-b",
                CREATE_BODY,
            ],
        ),
    ]
    log_path = Path(tempfile.gettempdir()) / "floor-gunicorn.log"
    rates: dict[str, list[float]] = {label: [] for label, _, _ in routes}
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(Path(python).parent / "gunicorn"), "todoproject.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{PORT}/healthz")
            for round_number in range(1, args.rounds + 1):
                for label, path, options in routes:
                    rps = load(args, label, path, options, log_path)
                    rates[label].append(rps)
                    print(
                        f"round {round_number} {label:32} {rps:8.0f} req/s",
                        file=sys.stderr,
                    )
        finally:
            server.terminate()
            server.wait()
    report(rates, os.cpu_count() or 1)


def load(
    args: argparse.Namespace, label: str, path: str, options: list[str], log_path: Path
) -> float:
    """Drive one route with load.sh (warm-up, then the measured run); its rate."""
    command = [
        str(LOAD),
        "-d",
        str(args.duration),
        "-c",
        str(args.connections),
        "-w",
        str(args.warmup),
        *options,
        "-l",
        label,
        f"http://127.0.0.1:{PORT}",
        path,
    ]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE).stdout
    result = json.loads(output)
    if result["non2xx"]:
        sys.exit(f"{label}: {result['non2xx']} non-2xx responses (see {log_path})")
    return result["rps"]


def wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{url} did not answer")


def report(rates: dict[str, list[float]], cores: int) -> None:
    print(f"{'route':32} {'req/s':>8} {'ms/request':>11} {'added':>8}")
    previous = None
    for label, values in rates.items():
        rps = statistics.median(values)
        cost = cores * 1000 / rps
        added = (
            ""
            if previous is None or label.startswith("POST")
            else f"{cost - previous:+.2f}"
        )
        print(f"{label:32} {rps:8.0f} {cost:11.2f} {added:>8}")
        previous = cost
    print(f"(ms/request: {cores} cores / rate; medians of {len(values)} rounds)")


if __name__ == "__main__":
    main()
