"""CPU per request of one route, in-process: the quick loop for making a route cheaper.

Against a database seeded and kept by `bench/run.py --keep` (`todo_bench` unless
`--db`; that run also collects the static files the pages need), without gunicorn or a
load generator: each request goes through Django's test client with the benchmark's
settings (DEBUG off), as the last seeded user (the load runs use the first ones, whose
rate counters this leaves alone) or the staff user for admin routes. Prints the median
CPU milliseconds per request (`time.process_time`) and, with `--profile`, the heaviest
functions by cProfile.

    python bench/cpu.py web_list admin_changelist --requests 200
    python bench/cpu.py api_list --profile

CPU time moves less than wall time with the machine's load, but on two shared cores it
still grows when the other core is busy: compare builds in alternation, in one sitting.
`bench/run.py` has the final word under load.
Requests that write (api_create, api_update) change the kept database.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("routes", nargs="+", help="e.g. api_list web_list")
    parser.add_argument("--db", default="todo_bench")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="cProfile, top 30")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    base = os.environ.get("PG_URL_BASE", "postgres://postgres@127.0.0.1:5432")
    os.environ.update(
        DATABASE_URL=f"{base}/{args.db}",
        DEBUG="0",
        SECRET_KEY="bench-dummy-secret-key-not-for-production",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DB_CONN_MAX_AGE="60",
        API_THROTTLE_USER="1000000/min",
    )
    sys.path.insert(0, str(ROOT / "bench"))
    import prepare  # django.setup() on import

    from accounts.models import User

    user = (
        User.objects.filter(email__endswith="@bench.example")
        .exclude(email__in=[prepare.STAFF_EMAIL, prepare.SMALL_EMAIL])
        .exclude(email__startswith="whale@")  # the count check's user of 1 M tasks
        .order_by("-id")  # not one of bench/run.py's token users: its own counters
        .first()
    )
    staff_user = User.objects.filter(email=prepare.STAFF_EMAIL).first()
    if user is None or staff_user is None:
        sys.exit(f"{args.db} is not a kept benchmark database: bench/run.py --keep")
    actor, staff = prepare.Actor(user), prepare.Actor(staff_user)

    for route in args.routes:
        measure(route, actor, staff, args.requests, args.profile)


def measure(route: str, actor, staff, requests: int, profile: bool) -> None:
    """Print the CPU per request of `route` (and its profile)."""
    import prepare

    method, path, header, body = prepare.request_for(
        route, actor, staff, actor.task_ids[0], 1
    )
    client = staff.client() if route.startswith("admin") else actor.client()
    extra = {}
    if header.startswith("Authorization:"):
        extra["HTTP_AUTHORIZATION"] = header.split(": ", 1)[1]
        client.cookies.clear()

    def request() -> int:
        response = client.generic(
            method, path, body, content_type="application/json", **extra
        )
        return response.status_code

    status = {request() for _ in range(20)}  # warm: imports, templates, plans
    samples = []
    for _ in range(requests):
        started = time.process_time()
        request()
        samples.append((time.process_time() - started) * 1000)
    deciles = statistics.quantiles(samples, n=10)
    print(
        f"{route}: {statistics.median(samples):.2f} ms CPU per request "
        f"(median of {len(samples)}; p10 {deciles[0]:.2f}, p90 {deciles[-1]:.2f}), "
        f"status {status}"
    )
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            request()
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(30)
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
