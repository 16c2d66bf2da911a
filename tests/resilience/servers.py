"""Real processes for the resilience tests: gunicorn, PostgreSQL, and a TCP proxy.

Everything listens on 127.0.0.1 on a free port and is stopped by its owner (a fixture
finalizer), so a test run leaves no process behind. The machine's shared PostgreSQL is
only ever used normally (databases named ``todo_res_*`` are created in it and dropped);
whatever stops or slows "the database" does it to a proxy or to a private instance.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import requests

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

#: Environment of every app process: production settings, plain HTTP on loopback.
APP_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "resilience-tests-secret-key-not-for-production",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "WARNING",
    # The tests make many accounts and requests from 127.0.0.1; the test of the API
    # throttle sets its own rates.
    "API_THROTTLE_ANON": "10000/min",
    "API_THROTTLE_USER": "10000/min",
    "API_THROTTLE_AUTH": "10000/min",
}
#: Variables of the test run that must not leak into an app process.
DROPPED_ENV = (
    "DATABASE_URL",
    "DIRECT_DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
)


RESET_ON_CLOSE = struct.pack("ii", 1, 0)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    predicate: Callable[[], Any], *, timeout: float, interval: float = 0.1
) -> Any:
    """Return the first truthy result of `predicate`, or fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):
            result = predicate()
            if result:
                return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"still not true after {timeout} s: {predicate}")
        time.sleep(interval)


def app_env(**overrides: str) -> dict[str, str]:
    """Return the environment of an app process: ours, minus the test run's database."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    return {**env, **APP_ENV, **overrides}


def manage(*args: str, timeout: float = 180, **env: str) -> str:
    """Run ``manage.py`` in a fresh process (as the Procfile's release step does)."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=app_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def process_rss_kib(pid: int) -> int:
    """Return the resident memory of process `pid` in KiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child_pids(pid: int) -> list[int]:
    """Return the ids of the direct children of process `pid`."""
    children: list[int] = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        children.extend(int(p) for p in Path(path).read_text().split())
    return sorted(children)


def stop_process_group(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop `process` and its children (it leads its own session), gently first."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout)


# PostgreSQL ---------------------------------------------------------------------------


class Postgres:
    """A PostgreSQL server reached as a superuser, where test databases are made."""

    def __init__(self, *, host: str, port: int, user: str, password: str = "") -> None:
        self.host, self.port, self.user, self.password = host, port, user, password

    def url(self, dbname: str, *, port: int | None = None) -> str:
        """Return the URL of database `dbname`, optionally through another port."""
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{auth}@{self.host}:{port or self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        """Return an autocommit connection to `dbname`."""
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=dbname,
            autocommit=True,
            connect_timeout=10,
        )

    def create_database(self, name: str, template: str | None = None) -> None:
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}"'
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(sql)

    def drop_database(self, name: str) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def terminate_backends(self, dbname: str) -> int:
        """Close every connection to `dbname` from the server side; return how many."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [dbname],
            ).fetchall()
        return len(rows)

    def count_connections(self, dbname: str) -> int:
        with self.connect() as conn:
            (count,) = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                " AND pid <> pg_backend_pid()",
                [dbname],
            ).fetchone()
        return count


def postgres_bin(name: str) -> str:
    """Return the path of PostgreSQL program `name` (initdb, pg_ctl …)."""
    for path in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return path
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"PostgreSQL's {name} is not installed")
    return found


class PrivatePostgres(Postgres):
    """A PostgreSQL instance of our own: initdb into a temporary folder, own port.

    initdb refuses to run as root, so as root the server runs as the ``postgres``
    system user (which the Debian packages create).
    """

    def __init__(self) -> None:
        super().__init__(host="127.0.0.1", port=free_port(), user="postgres")
        # Directly in /tmp: the postgres user must be able to reach it.
        self.root = Path(tempfile.mkdtemp(prefix="todo_res_pg_"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as_owner: list[str] = []
        if os.geteuid() == 0:
            self._as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self._as_owner, *args],
            check=True,
            capture_output=True,
            timeout=timeout,
            cwd=self.root,
        )

    def init(self) -> None:
        self._run(
            postgres_bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )

    def start(self, *, wait: bool = True) -> None:
        """Start the server; with ``wait=False`` return while it is still starting."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1"
            f" -c unix_socket_directories={self.root} -c fsync=off"
            " -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            postgres_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w" if wait else "-W",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(
                postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"
            )

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


# The TCP proxy ------------------------------------------------------------------------


class TcpProxy:
    """A TCP proxy in front of the database that a test can cut, pause or slow.

    Modes for new connections: ``up`` forwards (after ``delay`` seconds, as a database
    that is waking up), ``refuse`` stops listening (connection refused), ``reset``
    accepts and closes at once, ``blackhole`` accepts and never answers (an unreachable
    host: only the client's timeout ends it). Switching away from ``up`` also drops
    every open connection, as a database that went away does.
    """

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self.mode = "up"
        self.delay = 0.0
        self.accepted = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> TcpProxy:
        self._listen()
        self._thread.start()
        return self

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener = listener

    def set_mode(self, mode: str, *, delay: float = 0.0) -> None:
        """Switch to `mode` for new connections (see the class docstring)."""
        assert mode in {"up", "refuse", "reset", "blackhole"}
        with self._lock:
            if mode != "up" or self.mode != "up":
                self._drop_all()
            self.mode, self.delay = mode, delay
            if mode == "refuse" and self._listener is not None:
                self._listener.close()
                self._listener = None
            elif mode != "refuse" and self._listener is None:
                self._listen()

    def drop_connections(self) -> None:
        """Close every open connection, as a server that terminated its backends."""
        with self._lock:
            self._drop_all()

    def _drop_all(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._sockets.clear()

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            self._drop_all()
            if self._listener is not None:
                self._listener.close()
                self._listener = None
        self._thread.join(5)

    def _serve(self) -> None:
        while not self._stopped.is_set():
            with self._lock:
                listener = self._listener
            if listener is None:
                time.sleep(0.05)
                continue
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self.accepted += 1
                mode, delay = self.mode, self.delay
            if mode == "reset":
                client.setsockopt(
                    socket.SOL_SOCKET,
                    socket.SO_LINGER,
                    b"\x01\x00\x00\x00\x00\x00\x00\x00",
                )
                client.close()
                continue
            with self._lock:
                self._sockets.add(client)
            if mode == "up":
                threading.Thread(
                    target=self._connect, args=(client, delay), daemon=True
                ).start()
            # blackhole: keep the socket open and never read it.

    def _connect(self, client: socket.socket, delay: float) -> None:
        if delay:
            time.sleep(delay)
        try:
            upstream = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        with self._lock:
            if client not in self._sockets:  # dropped while we waited
                upstream.close()
                return
            self._sockets.add(upstream)
        for source, target in ((client, upstream), (upstream, client)):
            threading.Thread(
                target=self._pump, args=(source, target), daemon=True
            ).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        with self._lock:
            self._sockets.discard(source)
            self._sockets.discard(target)


# gunicorn -----------------------------------------------------------------------------


class Gunicorn:
    """The app as the Procfile's ``web`` process runs it, on a free loopback port."""

    def __init__(self, database_url: str, log_dir: Path, **env: str) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = app_env(DATABASE_URL=database_url, PORT=str(self.port), **env)
        self.env.setdefault("WEB_CONCURRENCY", "2")
        self.log_path = log_dir / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Gunicorn:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "todoproject.wsgi",
                "--config",
                "gunicorn.conf.py",
                # Loopback only, whatever the config file says.
                "--bind",
                f"127.0.0.1:{self.port}",
                # gunicorn 27's control socket has one path per machine user: several
                # instances would take it from each other.
                "--no-control-socket",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        workers = int(self.env["WEB_CONCURRENCY"])
        try:
            wait_until(
                lambda: (
                    self.get("/healthz", timeout=2).status_code == 200
                    and len(self.worker_pids()) == workers
                ),
                timeout=timeout,
                interval=0.2,
            )
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"gunicorn did not start:\n{self.log()}") from None
        return self

    def url(self, path: str) -> str:
        return self.base_url + path

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return requests.get(self.url(path), **kwargs)

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        return child_pids(self.process.pid)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return (
            self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        )

    def stop(self) -> None:
        if self.process is not None:
            stop_process_group(self.process)


def email_verifier(postgres: Postgres, database: str):
    """Return a function that marks an address verified, as its emailed link would."""

    def verify(email: str) -> None:
        with postgres.connect(database) as conn:
            conn.execute(
                "UPDATE account_emailaddress SET verified = true WHERE email = %s",
                [email],
            )

    return verify
