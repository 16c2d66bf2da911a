"""Run the project in a fresh process, as the platform does, in a chosen environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
#: Variables of the test process that must not leak into a production-like child.
CLEARED = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    # Set by the browser tests for Playwright; a deployment never has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def child_env(**env: str) -> dict[str, str]:
    """Return this process's environment without the project's variables, plus `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    clean.update(DJANGO_SETTINGS_MODULE="todoproject.settings", **env)
    return clean


def run(*command: str, timeout: int = 120, **env: str) -> subprocess.CompletedProcess:
    """Run `command` in the project directory with `child_env(**env)`."""
    return subprocess.run(
        command,
        cwd=BASE_DIR,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_python(code: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python `code` (with `args` in sys.argv) in a fresh interpreter."""
    return run(sys.executable, "-c", code, *args, **env)


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `manage.py args` in a fresh interpreter."""
    return run(sys.executable, "manage.py", *args, timeout=300, **env)


def conninfo(dbname: str) -> dict:
    """Return psycopg connection arguments for `dbname` on the tests' PostgreSQL."""
    from django.db import connection

    settings = connection.settings_dict
    return {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "dbname": dbname,
    }


def database_url(dbname: str) -> str:
    """Return a DATABASE_URL for `dbname` on the tests' PostgreSQL."""
    info = conninfo(dbname)
    password = f":{info['password']}" if info["password"] else ""
    return f"postgres://{info['user']}{password}@{info['host']}:{info['port']}/{dbname}"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_get(path: str, **env: str) -> tuple[list[int], str, str]:
    """Start gunicorn as the Procfile does (one worker), GET `path` once it answers
    (redirects not followed), stop it; return the statuses, its stdout and stderr."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "todoproject.wsgi"]
        + ["--config", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=child_env(**{**env, "PORT": str(port), "WEB_CONCURRENCY": "1"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    statuses = []
    try:
        for _ in range(200):  # until the worker answers; no timing is asserted
            connection = HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", path)
                statuses.append(connection.getresponse().status)
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
            finally:
                connection.close()
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=60)
    return statuses, stdout, stderr
