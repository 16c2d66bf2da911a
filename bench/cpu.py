"""CPU per request of one route, in-process: the quick loop for making a route cheaper.

Against a database seeded and kept by `bench/run.py --keep` (`todo_bench` unless
`--db`; that run also collects the static files the pages need), without gunicorn or a
load generator: each request goes to the WSGI application gunicorn serves
(`todoproject.wsgi`, so a token request takes the API's middleware stack) with the
benchmark's settings (DEBUG off), as the last seeded user (the load runs use the first
ones, whose rate counters this leaves alone) or the staff user for admin routes. Prints
the median CPU milliseconds per request (`time.process_time`) and, with `--profile`, the
heaviest functions by cProfile, timed in CPU as well: a wait on PostgreSQL or Redis
counts for nothing, so the profile shows the Python that costs the machine.

    python bench/cpu.py web_list admin_changelist --requests 200
    python bench/cpu.py api_list --profile

CPU time moves less than wall time with the machine's load, but on two shared cores it
still grows when the other core is busy: compare builds in alternation, in one sitting.
`--instructions` counts what the machine's mood does not move: the instructions one
request executes, under valgrind's callgrind (apt-get install valgrind), the same from
one run to the next within about 1 %; about a minute per route at `--requests 100`.

    python bench/cpu.py api_create api_list --instructions --requests 100

`bench/run.py` has the final word under load.
Requests that write (api_create, api_update) change the kept database.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("routes", nargs="+", help="e.g. api_list web_list")
    parser.add_argument("--db", default="todo_bench")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile in CPU time, top 30"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instructions per request, counted by valgrind (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.instructions:
        for route in args.routes:
            count = instructions_per_request(route, args.db, args.requests)
            print(f"{route}: {count / 1e6:.3f} M instructions per request")
        return
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


def instructions_per_request(route: str, db: str, requests: int) -> float:
    """Run this script for `route` under callgrind, with `requests` and with twice as
    many requests: start-up and warm-up are in both counts, so their difference over
    `requests` is what one request executes."""
    counts = []
    for run_requests in (requests, 2 * requests):
        command = [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            route,
            "--db",
            db,
            "--requests",
            str(run_requests),
        ]
        # A fixed hash seed: sets and dicts of strings iterate in the same order in
        # both runs, so the two counts differ by the requests alone.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        run = subprocess.run(command, capture_output=True, text=True, env=env)
        total = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
        if run.returncode != 0 or total is None:
            sys.exit(f"{route} under valgrind failed:\n{run.stderr[-2000:]}")
        counts.append(int(total.group(1).replace(",", "")))
    return (counts[1] - counts[0]) / requests


def measure(route: str, actor, staff, requests: int, profile: bool) -> None:
    """Print the CPU per request of `route` (and its profile)."""
    import prepare
    from django.test import RequestFactory

    from todoproject.wsgi import application

    method, path, header, body = prepare.request_for(
        route, actor, staff, actor.task_ids[0], 1
    )
    name, _, value = header.partition(": ")
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value} if name else {}
    factory = RequestFactory(HTTP_HOST=prepare.HOST)

    def request() -> int:
        environ = factory.generic(
            method, path, body, content_type="application/json", **extra
        ).environ
        statuses = []
        body_parts = application(environ, lambda status, *args: statuses.append(status))
        b"".join(body_parts)
        body_parts.close()
        return int(statuses[0].split()[0])

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
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(requests):
            request()
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(30)
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
