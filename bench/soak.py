"""Soak test: sustained mixed API and page load on gunicorn + PostgreSQL, then checks.

    python bench/soak.py --minutes 10

It creates a fresh database (todo_res_soak_<pid>) in the PostgreSQL of --pg-url,
migrates it, collects static files and starts gunicorn as the Procfile does (on
127.0.0.1 only). Then --clients threads, each a browser or an integration of one of the
users, send a bounded mix of requests (API list/create/read/update/delete, the task
pages, the log-in form's neighbours) for --minutes or --max-requests, whichever comes
first. Every client opens a new connection every few requests, so the run is a few
hundred concurrent connections' worth of requests.

Checks, printed as a Markdown report (also written to --report): no 5xx and no failed
connection; the connections in pg_stat_activity (sampled every second) never exceed what
the configuration allows (gunicorn workers x threads, or the pool size); each worker's
RSS at the end within 25% (+16 MiB) of its RSS after the warm-up, with worker
recycling (max_requests) off so that a leak shows; every acknowledged create that was
not deleted is in the database with the title sent. Exit status 1 if a check fails.
Traffic goes only to 127.0.0.1, and the run stops by itself. The app runs with the
resilience tests' environment (tests/resilience/servers.py): production settings over
plain HTTP, and API throttle rates raised, since every client shares one address.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import requests

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

from tests.resilience.servers import (  # noqa: E402
    Gunicorn,
    Postgres,
    email_verifier,
    manage,
    process_rss_kib,
)

PASSWORD = "soak-test-password-1"
REQUEST_TIMEOUT = 120
#: Requests a client sends on one connection-holding session before opening another.
REQUESTS_PER_CONNECTION = 10
RSS_GROWTH_ALLOWED = 0.25
RSS_SLACK_KIB = 16 * 1024


@dataclass
class Stats:
    """What every client saw, merged under a lock."""

    statuses: collections.Counter = field(default_factory=collections.Counter)
    by_route: collections.Counter = field(default_factory=collections.Counter)
    errors: collections.Counter = field(default_factory=collections.Counter)
    latencies: list[float] = field(default_factory=list)
    created: dict[int, str] = field(default_factory=dict)  # task id -> title
    deleted: set[int] = field(default_factory=set)
    requests: int = 0
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Budget:
    """Stops the run after a deadline or a number of requests."""

    def __init__(self, seconds: float, max_requests: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.left = max_requests
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.deadline:
                return False
            self.left -= 1
            return True


class Client:
    """One user's browser or integration, sending a random mix of requests."""

    def __init__(self, app: Gunicorn, account: dict, stats: Stats, seed: int) -> None:
        self.app, self.account, self.stats = app, account, stats
        self.random = random.Random(seed)
        self.mine: list[int] = []  # this client's own live tasks
        self.session = requests.Session()
        self.counter = 0

    # Plumbing ---------------------------------------------------------------------

    def new_connection(self) -> None:
        """Open a new connection (a new session object), keeping the cookies."""
        cookies = self.session.cookies
        self.session.close()
        self.session = requests.Session()
        self.session.cookies.update(cookies)
        with self.stats.lock:
            self.stats.connections += 1

    def send(self, route: str, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        started = time.monotonic()
        try:
            response = self.session.request(method, self.app.url(path), **kwargs)
        except requests.RequestException as error:
            with self.stats.lock:
                self.stats.errors[f"{route}: {type(error).__name__}"] += 1
            raise
        elapsed = time.monotonic() - started
        with self.stats.lock:
            self.stats.requests += 1
            self.stats.statuses[response.status_code] += 1
            self.stats.by_route[f"{route} {response.status_code}"] += 1
            self.stats.latencies.append(elapsed)
        return response

    def api(self, route: str, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Token {self.account['token']}"}
        headers.update(kwargs.pop("headers", {}))
        return self.send(route, method, path, headers=headers, **kwargs)

    def title(self) -> str:
        self.counter += 1
        return f"soak {self.account['email']} #{self.counter}"

    def acknowledged(self, task_id: int, title: str) -> None:
        self.mine.append(task_id)
        with self.stats.lock:
            self.stats.created[task_id] = title

    # The mix ----------------------------------------------------------------------

    def api_list(self) -> None:
        status = self.random.choice(["", "&status=pending", "&status=completed"])
        self.api("api list", "GET", f"/api/v1/tasks/?page_size=20{status}")

    def api_create(self) -> None:
        title = self.title()
        body = {"title": title, "status": self.random.choice(STATUSES)}
        if self.random.random() < 0.5:
            body["due_date"] = f"2026-12-{self.random.randint(1, 28):02d}"
        response = self.api("api create", "POST", "/api/v1/tasks/", json=body)
        if response.status_code == 201:
            self.acknowledged(response.json()["id"], title)

    def api_update(self) -> None:
        if not self.mine:
            return self.api_create()
        task_id = self.random.choice(self.mine)
        read = self.api("api read", "GET", f"/api/v1/tasks/{task_id}/")
        if read.status_code != 200:
            return None
        title = self.title()
        response = self.api(
            "api update",
            "PATCH",
            f"/api/v1/tasks/{task_id}/",
            json={"title": title, "status": self.random.choice(STATUSES)},
            headers={"If-Match": read.headers.get("ETag", "*")},
        )
        if response.status_code == 200:
            with self.stats.lock:
                self.stats.created[task_id] = title
        return None

    def api_delete(self) -> None:
        if len(self.mine) < 3:
            return None
        task_id = self.mine.pop(self.random.randrange(len(self.mine)))
        response = self.api("api delete", "DELETE", f"/api/v1/tasks/{task_id}/")
        if response.status_code == 204:
            with self.stats.lock:
                self.stats.deleted.add(task_id)
        return None

    def page_list(self) -> None:
        query = self.random.choice(["", "?status=pending", "?sort=due_date", "?q=soak"])
        self.send("page list", "GET", f"/tasks/{query}")

    def page_create(self) -> None:
        form = self.send("page new", "GET", "/tasks/new/")
        if form.status_code != 200:
            return
        title = self.title()
        response = self.send(
            "page create",
            "POST",
            "/tasks/new/",
            data={
                "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""),
                "title": title,
                "description": "from the soak",
                "status": self.random.choice(STATUSES),
                "due_date": "",
            },
        )
        match = re.search(r"/tasks/(\d+)/", response.headers.get("Location", ""))
        if response.status_code == 302 and match:
            self.acknowledged(int(match.group(1)), title)

    def page_detail(self) -> None:
        if self.mine:
            self.send("page detail", "GET", f"/tasks/{self.random.choice(self.mine)}/")

    def probe(self) -> None:
        self.send("healthz", "GET", "/healthz")

    def run(self, budget: Budget) -> None:
        mix = [
            (self.api_list, 25),
            (self.api_create, 15),
            (self.api_update, 10),
            (self.api_delete, 4),
            (self.page_list, 25),
            (self.page_create, 8),
            (self.page_detail, 8),
            (self.probe, 5),
        ]
        actions, weights = zip(*mix, strict=True)
        sent = 0
        while budget.take():
            if sent % REQUESTS_PER_CONNECTION == 0:
                self.new_connection()
            sent += 1
            try:
                self.random.choices(actions, weights)[0]()
            except requests.RequestException:
                time.sleep(0.5)  # counted; carry on
        self.session.close()


STATUSES = ["pending", "in_progress", "completed"]


def make_account(app: Gunicorn, index: int, verify) -> dict:
    """Register a user through the API, verify the address (as its emailed link
    would), get a token, and log in on the pages."""
    email = f"soak{index}@example.com"
    api = f"{app.base_url}/api/v1/auth"
    response = requests.post(
        f"{api}/register/",
        json={"email": email, "password": PASSWORD},
        timeout=REQUEST_TIMEOUT,
    )
    response.raise_for_status()
    verify(email)
    token = requests.post(
        f"{api}/token/",
        json={"email": email, "password": PASSWORD},
        timeout=REQUEST_TIMEOUT,
    ).json()["token"]
    browser = requests.Session()
    browser.get(app.url("/accounts/login/"), timeout=REQUEST_TIMEOUT)
    logged_in = browser.post(
        app.url("/accounts/login/"),
        data={
            "login": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
        },
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )
    if logged_in.status_code != 302:
        raise RuntimeError(f"page log-in failed: {logged_in.status_code}")
    return {"email": email, "token": token, "cookies": browser.cookies}


class Sampler(threading.Thread):
    """Samples the database's connections every second while the load runs."""

    def __init__(self, pg: Postgres, dbname: str) -> None:
        super().__init__(daemon=True)
        self.pg, self.dbname = pg, dbname
        self.samples: list[int] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        with self.pg.connect() as conn:
            while not self.stopped.wait(1.0):
                (count,) = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                    [self.dbname],
                ).fetchone()
                self.samples.append(count)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if values else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients")
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--max-requests", type=int, default=300_000)
    parser.add_argument("--warm-up", type=float, default=30, help="seconds before RSS")
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "2"))
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("SOAK_PG_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (superuser) where the soak database is created",
    )
    parser.add_argument("--report", type=Path, help="also write the report here")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    server = urlparse(args.pg_url)
    pg = Postgres(
        host=server.hostname or "127.0.0.1",
        port=server.port or 5432,
        user=server.username or "postgres",
        password=server.password or "",
    )
    dbname = f"todo_res_soak_{os.getpid()}"
    print(f"Preparing database {dbname} and static files …", flush=True)
    manage("collectstatic", "--noinput", "--verbosity", "0")
    pg.create_database(dbname)
    app = None
    try:
        manage("migrate", "--noinput", DATABASE_URL=pg.url(dbname))
        log_dir = Path(tempfile.mkdtemp(prefix="todo_res_soak_"))
        app = Gunicorn(
            pg.url(dbname),
            log_dir,
            WEB_CONCURRENCY=str(args.workers),
            # No recycling: a leak must show in the RSS, not be hidden by restarts.
            GUNICORN_MAX_REQUESTS="0",
        ).start()
        threads = int(app.env.get("GUNICORN_THREADS", "1"))
        pool = (
            int(app.env.get("DB_POOL_MAX_SIZE", "4")) if app.env.get("DB_POOL") else 1
        )
        allowed = int(args.workers) * threads * pool
        print(f"gunicorn on {app.base_url}, {args.workers} workers; log {log_dir}")

        verify = email_verifier(pg, dbname)
        accounts = [make_account(app, i, verify) for i in range(args.users)]
        stats = Stats()
        clients = []
        for i in range(args.clients):
            client = Client(app, accounts[i % len(accounts)], stats, seed=i)
            client.session.cookies.update(accounts[i % len(accounts)]["cookies"])
            clients.append(client)
        sampler = Sampler(pg, dbname)
        sampler.start()
        budget = Budget(args.minutes * 60, args.max_requests)
        workers = [
            threading.Thread(target=c.run, args=(budget,), daemon=True) for c in clients
        ]
        started = time.monotonic()
        print(f"Load: {args.clients} clients for {args.minutes} min …", flush=True)
        for thread in workers:
            thread.start()
        time.sleep(min(args.warm_up, args.minutes * 30))
        pids = app.worker_pids()
        rss_start = {pid: process_rss_kib(pid) for pid in pids}
        for thread in workers:
            thread.join()
        duration = time.monotonic() - started
        pids_end = app.worker_pids()
        rss_end = {pid: process_rss_kib(pid) for pid in pids_end}
        sampler.stopped.set()
        sampler.join()

        live = {i: t for i, t in stats.created.items() if i not in stats.deleted}
        with pg.connect(dbname) as conn:
            stored = dict(
                conn.execute(
                    "SELECT id, title FROM tasks WHERE id = ANY(%s)", [list(live)]
                ).fetchall()
            )
        lost = [i for i in live if i not in stored]
        changed = [i for i in live if i in stored and stored[i] != live[i]]

        server_errors = sum(n for s, n in stats.statuses.items() if s >= 500)
        max_connections = max(sampler.samples, default=0)
        rss_ok = pids == pids_end and all(
            rss_end[p] <= rss_start[p] * (1 + RSS_GROWTH_ALLOWED) + RSS_SLACK_KIB
            for p in pids
        )
        checks = {
            "no 5xx": server_errors == 0,
            "no failed connection": not stats.errors,
            f"pg connections <= {allowed}": max_connections <= allowed,
            "worker RSS flat, no worker restarted": rss_ok,
            "no lost or altered write": not lost and not changed,
        }
        lines = [
            f"- duration {duration:.0f} s, {stats.requests} requests "
            f"({stats.requests / duration:.1f}/s) from {args.clients} concurrent "
            f"clients ({stats.connections} client sessions) of {args.users} users, "
            f"{args.workers} {app.env.get('GUNICORN_WORKER_CLASS', 'sync')} workers",
            f"- latency p50 {percentile(stats.latencies, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(stats.latencies, 0.95) * 1000:.0f} ms, "
            f"p99 {percentile(stats.latencies, 0.99) * 1000:.0f} ms, "
            f"max {max(stats.latencies, default=0) * 1000:.0f} ms",
            "- statuses: "
            + ", ".join(f"{s}: {n}" for s, n in sorted(stats.statuses.items())),
            "- by route: "
            + ", ".join(f"{r}: {n}" for r, n in sorted(stats.by_route.items())),
            f"- client errors: {dict(stats.errors) or 'none'}",
            f"- pg_stat_activity connections: max {max_connections} "
            f"(allowed {allowed}), {len(sampler.samples)} samples",
            "- worker RSS (MiB) after warm-up -> end: "
            + ", ".join(
                f"{p}: {rss_start[p] / 1024:.1f} -> {rss_end.get(p, 0) / 1024:.1f}"
                for p in pids
            )
            + ("" if pids == pids_end else f" (workers at end: {pids_end})"),
            f"- writes: {len(stats.created)} acknowledged creates, "
            f"{len(stats.deleted)} deleted, {len(live)} checked, {len(lost)} lost, "
            f"{len(changed)} with another title",
            "",
            *(f"- [{'x' if ok else ' '}] {name}" for name, ok in checks.items()),
        ]
        report = "\n".join(lines)
        print(report)
        if args.report:
            args.report.write_text(report + "\n")
        return 0 if all(checks.values()) else 1
    finally:
        if app is not None:
            app.stop()
        if not args.keep_db:
            pg.drop_database(dbname)


if __name__ == "__main__":
    sys.exit(main())
