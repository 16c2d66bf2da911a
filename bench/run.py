"""Benchmark the site on PostgreSQL with a million tasks: one command, start to end.

    .venv/bin/python bench/run.py            # the full benchmark (about 10 minutes)
    .venv/bin/python bench/run.py --quick    # a small smoke run of the whole harness

Steps: check the machine is idle; create a fresh database (todo_bench*) and migrate it;
seed 1,000 users x 1,000 tasks with INSERT ... SELECT (bench/seed.sql); VACUUM ANALYZE;
create knox tokens and sessions for the benchmark users (bench/prepare.py, into a
temporary directory that is deleted at the end); count queries per request; EXPLAIN
(ANALYZE, BUFFERS) the API list's SQL; collectstatic; start gunicorn as the Procfile
does; drive each route with wrk (bench/lua/replay.lua), warm-up then N runs, median; run
pgbench on the SQL one API list request runs; check that the count query does not grow
with other users' data; print a table and write bench/results/<time>.json and .md.

Needs wrk, psql and pgbench (Debian: apt-get install wrk postgresql-client) and
PostgreSQL at PG_URL_BASE (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
DEFAULT_ROUTES = [
    "api_list",
    "api_detail",
    "api_create",
    "api_update",
    "web_list",
    "admin_changelist",
    "healthz",
]
#: pgbench takes at most 128 scripts: the SQL of this many users is replayed.
PGBENCH_MAX_SCRIPTS = 100
#: Route -> (rps at least, p99 under ms), from issue 6. None: no target on that figure.
TARGETS = {
    "api_list": (550, 100),
    "api_create": (500, 100),
    "web_list": (None, 150),
    "admin_changelist": (None, 150),
}


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


# Machine ------------------------------------------------------------------------------


def cpu_ticks() -> tuple[int, int]:
    """Return (busy, total) CPU ticks of the whole machine since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def process_ticks() -> dict[int, tuple[str, int, int, int]]:
    """Return pid -> (command line, CPU ticks, parent pid, reaped children's ticks)."""
    result = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        rest = stat.rsplit(")", 1)[1].split()
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        result[int(entry.name)] = (
            cmd.strip() or name,
            int(rest[11]) + int(rest[12]),
            int(rest[1]),
            int(rest[13]) + int(rest[14]),
        )
    return result


class CpuSampler:
    """CPU use per kind of process between start() and stop(), in % of one core."""

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.before = process_ticks()
        self.machine = cpu_ticks()

    def stop(
        self, gunicorn_pid: int | None = None, database: str = "todo_bench"
    ) -> dict[str, Any]:
        seconds = time.monotonic() - self.t0
        after = process_ticks()
        busy, total = cpu_ticks()
        hz = os.sysconf("SC_CLK_TCK")
        groups: dict[str, float] = {}
        others: list[tuple[float, str]] = []
        me = os.getpid()
        for pid, (cmd, ticks, ppid, children) in after.items():
            used = ticks - self.before.get(pid, (cmd, 0, ppid, 0))[1]
            if pid == gunicorn_pid:
                # Workers recycled during the run (max_requests) were reaped by the
                # master: their whole CPU time is in its children's time, less what
                # they had used before the run started.
                used += children - self.before.get(pid, (cmd, 0, ppid, 0))[3]
                used -= sum(
                    old[1]
                    for old_pid, old in self.before.items()
                    if old[2] == gunicorn_pid and old_pid not in after
                )
            if used <= 0:
                continue
            percent = 100 * used / hz / seconds
            if pid == gunicorn_pid or (gunicorn_pid and ppid == gunicorn_pid):
                kind = "gunicorn"
            elif cmd.startswith("wrk"):
                kind = "wrk"
            elif cmd.startswith("pgbench"):
                kind = "pgbench"
            elif cmd.startswith("postgres") and f" {database} " in cmd:
                kind = "postgres"
            elif pid == me:
                kind = "harness"
            else:
                kind = "other"
                others.append((percent, cmd[:80]))
            groups[kind] = groups.get(kind, 0) + percent
        machine = 100 * (busy - self.machine[0]) / max(1, total - self.machine[1])
        others.sort(reverse=True)
        return {
            "machine_busy_percent": round(machine, 1),
            "percent_of_one_core": {k: round(v, 1) for k, v in sorted(groups.items())},
            "top_other": [f"{p:.0f}% {c}" for p, c in others[:3] if p >= 2],
        }


def machine_state(sample_seconds: float = 3.0) -> dict[str, Any]:
    """Return cores, memory, load and what else is using the CPU right now."""
    sampler = CpuSampler()
    sampler.start()
    time.sleep(sample_seconds)
    cpu = sampler.stop()
    meminfo = dict(
        line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines()
    )
    load = os.getloadavg()
    cores = os.cpu_count() or 1
    busy_others = cpu["machine_busy_percent"]
    # The load average lags (a benchmark that just ended still shows in it): the CPU
    # sample decides, the load average is reported.
    idle = busy_others < 10
    return {
        "cores": cores,
        "memory_gb": round(int(meminfo["MemTotal"].split()[0]) / 1024**2, 1),
        "load_average": [round(x, 2) for x in load],
        "cpu_busy_percent": busy_others,
        "busy_processes": cpu["top_other"],
        "idle": idle,
    }


def describe_machine(state: dict[str, Any]) -> str:
    verdict = "idle" if state["idle"] else "NOT IDLE: figures will be noisy"
    busy = "; ".join(state["busy_processes"]) or "none"
    return (
        f"{state['cores']} cores, {state['memory_gb']} GB; load average "
        f"{' '.join(map(str, state['load_average']))}; CPU busy "
        f"{state['cpu_busy_percent']}% over 3 s; busy processes: {busy} -> {verdict}"
    )


# Database -----------------------------------------------------------------------------


def psql(url: str, *args: str, capture: bool = True) -> str:
    """Run psql on `url` and return its output; stop on the first error."""
    result = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, *args],
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout if capture else ""


def create_database(base: str, name: str) -> None:
    if not name.startswith("todo_bench"):
        sys.exit("The benchmark only creates databases named todo_bench*.")
    psql(f"{base}/postgres", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f"{base}/postgres", "-c", f'CREATE DATABASE "{name}"')


def drop_database(base: str, name: str) -> None:
    psql(f"{base}/postgres", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    )
    return result.stdout


def seed_sql(*, users: int, tasks_per_user: int, password_hash: str) -> str:
    """Return bench/seed.sql with its variables filled in, as plain SQL."""
    sql = (BENCH / "seed.sql").read_text()
    quoted = "'" + password_hash.replace("'", "''") + "'"
    return (
        "\n".join(line for line in sql.splitlines() if not line.startswith("\\"))
        .replace(":'password_hash'", quoted)
        .replace(":users", str(int(users)))
        .replace(":tasks_per_user", str(int(tasks_per_user)))
    )


def seed(env: dict[str, str], url: str, users: int, tasks_per_user: int) -> float:
    """Seed the database; return the seconds it took."""
    started = time.monotonic()
    password_hash = subprocess.run(
        [PYTHON, str(BENCH / "prepare.py"), "hash"],
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout.strip()
    sql = seed_sql(
        users=users, tasks_per_user=tasks_per_user, password_hash=password_hash
    )
    subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", os.devnull, "-d", url],
        input=sql,
        text=True,
        check=True,
    )
    # What autovacuum does after a bulk insert; the visibility map it writes lets the
    # count run as an index-only scan.
    psql(url, "-c", "VACUUM (ANALYZE) users, tasks")
    return time.monotonic() - started


def explain(url: str, sql: str) -> str:
    """Return EXPLAIN (ANALYZE, BUFFERS) of `sql` run twice: the second, warm, plan."""
    statement = f"EXPLAIN (ANALYZE, BUFFERS) {sql}"
    psql(url, "-c", statement)
    return psql(url, "-A", "-t", "-c", statement).strip()


def explain_summary(plan: str) -> dict[str, Any]:
    """Return the execution time and shared buffers touched, read from a plan."""
    summary: dict[str, Any] = {"seq_scan_on_tasks": "Seq Scan on tasks" in plan}
    for line in plan.splitlines():
        line = line.strip()
        if line.startswith("Execution Time:"):
            summary["execution_ms"] = float(line.split()[2])
        if line.startswith("Buffers:") and "buffers" not in summary:
            summary["buffers"] = line.removeprefix("Buffers: ")
    return summary


def count_scaling(url: str, count_sql: str, extra_tasks: int) -> dict[str, Any]:
    """Time the count for one user, then again after another user gets many tasks."""

    def best_of(n: int = 5) -> dict[str, Any]:
        runs = [explain_summary(explain(url, count_sql)) for _ in range(n)]
        best = min(runs, key=lambda r: r.get("execution_ms", 1e9))
        return best

    # The load runs added rows: vacuum first, so both sides are measured alike.
    psql(url, "-c", "VACUUM (ANALYZE) tasks")
    before = best_of()
    total_before = int(psql(url, "-A", "-t", "-c", "SELECT count(*) FROM tasks"))
    psql(
        url,
        "-c",
        "INSERT INTO users (email, password_hash) "
        "VALUES ('whale@bench.example', 'unusable')",
        "-c",
        "INSERT INTO tasks (user_id, title, status, created_at, updated_at) "
        "SELECT u.id, 'Whale task ' || g, 'pending', "
        "now() - g * interval '1 second', now() - g * interval '1 second' "
        f"FROM users u, generate_series(1, {extra_tasks}) g "
        "WHERE u.email = 'whale@bench.example'",
        "-c",
        "VACUUM (ANALYZE) tasks",
    )
    after = best_of()
    return {
        "tasks_before": total_before,
        "tasks_after": total_before + extra_tasks,
        "before": before,
        "after": after,
    }


# Server and load ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """Start gunicorn as the Procfile does; return once /healthz answers."""
    server = subprocess.Popen(
        [
            GUNICORN,
            "todoproject.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{env['PORT']}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited: see {log_path}\n{log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{env['PORT']}/healthz", timeout=2
            ) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(server)
    sys.exit("gunicorn did not answer /healthz within 30 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_drained(port: int, limit: float = 60) -> None:
    """Wait until gunicorn has worked off what the last run left queued."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/healthz", timeout=limit
            ):
                pass
        except OSError:
            pass
        if time.monotonic() - started < 0.2:
            return
    log("WARNING: gunicorn still busy after the previous run")


def wrk(
    port: int,
    requests_file: Path,
    out_file: Path,
    *,
    seconds: float,
    connections: int,
    threads: int,
    gunicorn_pid: int,
    database: str,
) -> dict[str, Any]:
    """Run wrk once; return its figures plus where the CPU went meanwhile."""
    wait_until_drained(port)
    env = {
        **os.environ,
        "BENCH_REQUESTS": str(requests_file),
        "BENCH_OUT": str(out_file),
    }
    sampler = CpuSampler()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.start()
    subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(BENCH / "lua" / "replay.lua"),
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    cpu = sampler.stop(gunicorn_pid, database)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = json.loads(out_file.read_text())
    used = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    figures["wrk_cpu_percent_of_one_core"] = round(100 * used / figures["seconds"], 1)
    figures["cpu"] = cpu
    return figures


def profile(
    port: int, requests_file: Path, out: Path, *, seconds: int, **common: Any
) -> str:
    """Run wrk once more with py-spy sampling the workers; return a summary.

    `out` receives the collapsed stacks (flamegraph.pl or speedscope read them).
    """
    spy = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "py-spy"),
            "record",
            "--pid",
            str(common["gunicorn_pid"]),
            "--subprocesses",
            "--rate",
            "250",
            "--duration",
            str(seconds),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wrk(port, requests_file, out.with_suffix(".wrk.json"), seconds=seconds, **common)
    spy.wait(timeout=60)
    return summarise_stacks(out)


def summarise_stacks(path: Path, top: int = 25) -> str:
    """Return where the samples went: inclusive per function, self per package."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [frame_name(f) for f in stack.split(";")]
        for name, _ in set(frames):
            inclusive[name] = inclusive.get(name, 0) + n
        package = frames[-1][1]
        own[package] = own.get(package, 0) + n

    def percent(n: int) -> str:
        return f"{100 * n / max(1, total):5.1f}%"

    # The server and middleware frames every request passes through say nothing.
    rows = [kv for kv in inclusive.items() if kv[1] < 0.8 * total]
    rows.sort(key=lambda kv: -kv[1])
    packages = sorted(own.items(), key=lambda kv: -kv[1])[:12]
    return "\n".join(
        [f"{percent(n)}  {name}" for name, n in rows[:top]]
        + ["self time by package:"]
        + [f"{percent(n)}  {name}" for name, n in packages]
    )


def frame_name(frame: str) -> tuple[str, str]:
    """Return ("function (dir/file.py)", package) for one py-spy frame."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    parts = path.split("/")
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1 :]
    elif str(ROOT) in path:
        parts = Path(path).relative_to(ROOT).parts
    package = "/".join(parts[:2]) if len(parts) > 2 else parts[0]
    return f"{name} ({'/'.join(parts[-2:])})", package.removesuffix(".py")


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the median of each figure over the runs; errors are summed."""
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "rps_runs": [r["rps"] for r in runs],
        "latency_ms": {
            key: statistics.median(r["latency_ms"][key] for r in runs)
            for key in runs[0]["latency_ms"]
        },
        "non2xx": sum(r["non2xx"] for r in runs),
        "socket_errors": sum(sum(r["socket_errors"].values()) for r in runs),
        "wrk_cpu_percent_of_one_core": statistics.median(
            r["wrk_cpu_percent_of_one_core"] for r in runs
        ),
        "cpu_percent_of_one_core": runs[len(runs) // 2]["cpu"]["percent_of_one_core"],
        "cpu_ms_per_request": {
            kind: statistics.median(cpu_ms_per_request(r, kind) for r in runs)
            for kind in ("gunicorn", "postgres")
        },
        "other_busy": sorted({x for r in runs for x in r["cpu"]["top_other"]}),
    }


def cpu_ms_per_request(run: dict[str, Any], kind: str) -> float:
    """Return the CPU time `kind` spent per request in a run, in ms.

    Unlike requests per second, this hardly moves when other work on the machine
    takes cores away, so it compares code changes on a busy machine.
    """
    percent = run["cpu"]["percent_of_one_core"].get(kind, 0.0)
    return round(percent * 10 / run["rps"], 2) if run["rps"] else 0.0


def pgbench(
    url: str, scripts: list[Path], *, seconds: int, connections: int, threads: int
) -> float:
    """Run pgbench with `scripts` (equal weights); return transactions per second."""
    args = ["pgbench", "-n", "-M", "simple", f"-c{connections}", f"-j{threads}"]
    args += [f"-T{seconds}"]
    for script in scripts[:PGBENCH_MAX_SCRIPTS]:
        args += ["-f", f"{script}@1"]
    result = subprocess.run([*args, url], text=True, capture_output=True)
    if result.returncode != 0:
        log(f"pgbench failed: {result.stderr[-1500:]}")
        return 0.0
    for line in result.stdout.splitlines():
        if line.startswith("tps = "):
            return float(line.split()[2])
    raise RuntimeError(f"no tps in pgbench output:\n{result.stdout}")


# Report -------------------------------------------------------------------------------


def table(results: dict[str, Any]) -> str:
    lines = [
        "| route | request | req/s (runs) | p50 ms | p95 ms | p99 ms | errors "
        "| CPU ms/request app + db "
        f"| queries/request ({results['settings']['tasks_per_user']:,} tasks "
        "/ 5 tasks) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for route, info in results["routes"].items():
        if not info.get("available"):
            lines.append(f"| {route} | not in this build | | | | | | | |")
            continue
        m = info["median"]
        cpu = m["cpu_ms_per_request"]
        runs = " / ".join(f"{x:.0f}" for x in m["rps_runs"])
        lat = m["latency_ms"]
        small = info["queries_5_tasks"]
        queries = (
            f"{info['queries_1000_tasks']} / {small if small is not None else '-'}"
        )
        errors = m["non2xx"] + m["socket_errors"]
        lines.append(
            f"| {route} | {info['method']} {info['path']} "
            f"| **{m['rps']:.0f}** ({runs}) "
            f"| {lat['p50']:.1f} | {lat['p95']:.1f} | {lat['p99']:.1f} | {errors} "
            f"| {cpu['gunicorn']:.1f} + {cpu['postgres']:.1f} | {queries} |"
        )
    return "\n".join(lines)


def verdicts(results: dict[str, Any]) -> list[str]:
    out = []
    for route, (min_rps, max_p99) in TARGETS.items():
        info = results["routes"].get(route, {})
        if not info.get("median"):
            out.append(f"{route}: not measured")
            continue
        m = info["median"]
        p99 = m["latency_ms"]["p99"]
        ok = m["rps"] > 0 and (min_rps is None or m["rps"] >= min_rps) and p99 < max_p99
        goal = (f">= {min_rps} req/s, " if min_rps else "") + f"p99 < {max_p99} ms"
        out.append(
            f"{route}: {'PASS' if ok else 'FAIL'} ({goal}; measured "
            f"{m['rps']:.0f} req/s, p99 {m['latency_ms']['p99']:.1f} ms)"
        )
    errors = sum(
        i["median"]["non2xx"] + i["median"]["socket_errors"]
        for i in results["routes"].values()
        if i.get("median")
    )
    out.append(f"no errors under load: {'PASS' if errors == 0 else 'FAIL'} ({errors})")
    scaling = results.get("count_scaling")
    if scaling:
        b, a = scaling["before"], scaling["after"]
        out.append(
            f"count independent of other users' data: "
            f"{b.get('buffers')} / {b.get('execution_ms')} ms at "
            f"{scaling['tasks_before']:,} tasks vs {a.get('buffers')} / "
            f"{a.get('execution_ms')} ms at {scaling['tasks_after']:,} tasks"
        )
    return out


# Main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--db", default="todo_bench")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--tasks-per-user", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=3, help="seconds per route")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk and pgbench")
    parser.add_argument(
        "--token-users",
        type=int,
        default=200,
        help="users the load is spread over (each has a token and a session); "
        "enough that none reaches the API's per-user throttle at 1,000 req/s",
    )
    parser.add_argument("--routes", default=",".join(DEFAULT_ROUTES))
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for gunicorn and Django (e.g. WEB_CONCURRENCY=3)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="use the seeded database from --keep"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument("--no-count-check", action="store_true")
    parser.add_argument("--label", default="", help="added to the results file name")
    parser.add_argument(
        "--profile",
        default="",
        metavar="ROUTES",
        help="comma-separated routes to profile with py-spy after their runs",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.users, args.tasks_per_user = 40, 100
        args.seconds, args.runs, args.warmup = 2, 1, 1
        args.db = args.db if args.db != "todo_bench" else "todo_bench_quick"
        args.no_count_check = True
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    for tool in ("wrk", "psql", "pgbench"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install -y wrk postgresql-client")
    base = os.environ.get("PG_URL_BASE", "postgres://postgres@127.0.0.1:5432")
    url = f"{base}/{args.db}"
    started = datetime.now(UTC)
    stem = started.strftime("%Y%m%dT%H%M%SZ") + (f"-{args.label}" if args.label else "")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-dummy-secret-key-not-for-production",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "DB_CONN_MAX_AGE": "60",
        "PORT": str(port),
    }
    for item in args.env:
        name, _, value = item.partition("=")
        env[name] = value
    gunicorn_settings = {
        k: env[k]
        for k in (
            "WEB_CONCURRENCY",
            "GUNICORN_WORKER_CLASS",
            "GUNICORN_THREADS",
            "DB_CONN_MAX_AGE",
        )
        if k in env
    }

    results: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join(["python bench/run.py", *(argv or sys.argv[1:])]),
        "git": subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            text=True,
            capture_output=True,
        ).stdout.strip(),
        "settings": {
            "users": args.users,
            "tasks_per_user": args.tasks_per_user,
            "connections": args.connections,
            "seconds": args.seconds,
            "runs": args.runs,
            "gunicorn": gunicorn_settings,
            "extra_env": args.env,
        },
    }
    log("machine: checking it is idle (3 s sample)")
    results["machine_before"] = machine_state()
    log("machine: " + describe_machine(results["machine_before"]))

    if not args.reuse:
        log(f"database {args.db}: create, migrate")
        create_database(base, args.db)
        manage(env, "migrate", "--noinput")
        n = args.users * args.tasks_per_user
        log(f"seed: {args.users:,} users x {args.tasks_per_user:,} tasks = {n:,}")
        seconds = seed(env, url, args.users, args.tasks_per_user)
        results["seed_seconds"] = round(seconds, 1)
        log(f"seed: done in {seconds:.1f} s (with VACUUM ANALYZE)")
    else:
        manage(env, "migrate", "--noinput")
        psql(url, "-c", "DELETE FROM knox_authtoken; DELETE FROM django_session")

    with tempfile.TemporaryDirectory(prefix="todo-bench-") as tmp_name:
        tmp = Path(tmp_name)
        manage(env, "collectstatic", "--noinput", "-v0")
        log("prepare: tokens, sessions, request lists, queries per request")
        subprocess.run(
            [PYTHON, str(BENCH / "prepare.py"), "prepare", tmp, str(args.token_users)],
            cwd=ROOT,
            env={**env, "LOG_LEVEL": "WARNING"},
            check=True,
        )
        meta = json.loads((tmp / "meta.json").read_text())
        results["api_list_sql"] = meta["routes"].get("api_list", {}).get("sql")
        if meta.get("api_list_data_sql"):
            log("explain: the API list's SQL on tasks (warm)")
            results["explain"] = {
                sql: explain(url, sql) for sql in meta["api_list_data_sql"]
            }
            for sql, plan in results["explain"].items():
                summary = explain_summary(plan)
                log(f"  {summary} <- {sql[:90]}")
        routes = [r for r in args.routes.split(",") if r]
        results["routes"] = {}
        log(f"gunicorn: starting on 127.0.0.1:{port} {gunicorn_settings}")
        server = start_gunicorn(env, tmp / "gunicorn.log")
        try:
            for route in routes:
                info = meta["routes"].get(route, {"available": False})
                results["routes"][route] = info
                if not info.get("available"):
                    log(f"{route}: not in this build, skipped")
                    continue
                if not 200 <= info["status"] < 300:
                    log(f"{route}: WARNING probe answered {info['status']}")
                requests_file = tmp / "requests" / f"{route}.tsv"
                common = {
                    "connections": args.connections,
                    "threads": args.threads,
                    "gunicorn_pid": server.pid,
                    "database": args.db,
                }
                wrk(
                    port, requests_file, tmp / "out.json", seconds=args.warmup, **common
                )
                runs = []
                for _ in range(args.runs):
                    runs.append(
                        wrk(
                            port,
                            requests_file,
                            tmp / "out.json",
                            seconds=args.seconds,
                            **common,
                        )
                    )
                    r = runs[-1]
                    log(
                        f"{route}: {r['rps']:.0f} req/s"
                        f" p50 {r['latency_ms']['p50']:.1f}"
                        f" p99 {r['latency_ms']['p99']:.1f} ms non-2xx {r['non2xx']}"
                        f" {r['non2xx_statuses'] or ''} cpu {r['cpu']}"
                    )
                info["runs"] = runs
                info["median"] = median_run(runs)
                if route in args.profile.split(","):
                    RESULTS.mkdir(exist_ok=True)
                    stacks = RESULTS / f"{stem}-{route}.stacks.txt"
                    log(f"{route}: profiling with py-spy ({args.seconds} s)")
                    info["profile"] = profile(
                        port, requests_file, stacks, seconds=args.seconds, **common
                    )
                    log(
                        f"{route}: profile (inclusive share of samples):\n"
                        + info["profile"]
                    )
        finally:
            stop_gunicorn(server)
            server_log = (tmp / "gunicorn.log").read_text()
            results["server_log_errors"] = [
                line
                for line in server_log.splitlines()
                if "Traceback" in line or " ERROR " in line or "[CRITICAL]" in line
            ][:20]

        if not args.no_pgbench and meta.get("api_list_data_sql"):
            scripts = sorted((tmp / "pgbench").glob("request_*.sql"))
            data = sorted((tmp / "pgbench").glob("data_*.sql"))
            common = {
                "seconds": args.seconds,
                "connections": args.connections,
                "threads": args.threads,
            }
            users = min(len(scripts), PGBENCH_MAX_SCRIPTS)
            log(f"pgbench: {users} users' API-list SQL, {args.runs} runs")
            request_tps = [pgbench(url, scripts, **common) for _ in range(args.runs)]
            data_tps = [pgbench(url, data, **common) for _ in range(args.runs)]
            results["pgbench"] = {
                "request_sql_tps": statistics.median(request_tps),
                "request_sql_runs": request_tps,
                "tasks_sql_tps": statistics.median(data_tps),
                "tasks_sql_runs": data_tps,
                "script_example": re.sub(
                    r"(token_key\" = )'[^']*'",
                    r"\1'<token_key>'",
                    (tmp / "pgbench" / "request_0.sql").read_text(),
                ),
            }
            api = results["routes"].get("api_list", {}).get("median")
            if api and results["pgbench"]["request_sql_tps"]:
                results["pgbench"]["api_list_ratio"] = round(
                    api["rps"] / results["pgbench"]["request_sql_tps"], 3
                )
            log(f"pgbench: {results['pgbench']}")

    if not args.no_count_check and results.get("explain"):
        count_sql = next(s for s in results["explain"] if "COUNT(" in s.upper())
        log("count check: add 1,000,000 tasks for another user, time the count again")
        results["count_scaling"] = count_scaling(url, count_sql, 1_000_000)

    results["machine_after"] = machine_state()
    log("machine: " + describe_machine(results["machine_after"]))
    if not args.keep:
        drop_database(base, args.db)

    report = render(results)
    print("\n" + report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(json.dumps(results, indent=2))
    (RESULTS / f"{stem}.md").write_text(report + "\n")
    log(f"written: bench/results/{stem}.json and .md")
    return results


def render(results: dict[str, Any]) -> str:
    s = results["settings"]
    lines = [
        f"Benchmark {results['started']} ({results['git']}): {s['users']:,} users x "
        f"{s['tasks_per_user']:,} tasks, {s['connections']} connections, "
        f"{s['runs']} x {s['seconds']} s per route (median), gunicorn {s['gunicorn']}"
        + (f", extra env {s['extra_env']}" if s["extra_env"] else ""),
        "",
        "Machine before: " + describe_machine(results["machine_before"]),
        "Machine after: " + describe_machine(results["machine_after"]),
        "",
        table(results),
        "",
    ]
    pg = results.get("pgbench")
    if pg:
        lines.append(
            f"pgbench (same concurrency): the API list request's SQL "
            f"{pg['request_sql_tps']:.0f} tps; its statements on tasks only "
            f"{pg['tasks_sql_tps']:.0f} tps; API list / pgbench = "
            f"{pg.get('api_list_ratio', '-')}"
        )
    lines += ["", "Targets:"] + [f"- {v}" for v in verdicts(results)]
    cpu_lines = [
        f"- {route}: {info['median']['cpu_percent_of_one_core']}, wrk itself "
        f"{info['median']['wrk_cpu_percent_of_one_core']}%"
        + (
            f", others busy: {info['median']['other_busy']}"
            if info["median"]["other_busy"]
            else ""
        )
        for route, info in results["routes"].items()
        if info.get("median")
    ]
    if cpu_lines:
        lines += ["", "CPU during the runs (% of one core):"] + cpu_lines
    if results.get("server_log_errors"):
        lines += ["", "Server log errors:"] + results["server_log_errors"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
