"""Production settings, the Procfile and gunicorn, run as the platform runs them."""

from __future__ import annotations

import json
import os
import re
import runpy
import sys
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path

import pytest
import redis
from django.urls import reverse

from tasks.tests.factories import TaskFactory
from tests.utils import BASE_DIR, gunicorn_get, run, run_manage, run_python

PRODUCTION = {
    "SECRET_KEY": "production-like-secret-" + "s" * 50,
    "ALLOWED_HOSTS": "todo.example.com",
    "DATABASE_URL": "sqlite://:memory:",
    "LOG_LEVEL": "WARNING",
}

HEADERS_SCRIPT = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="todo.example.com")
plain = client.get("/api/v1/")
probe = client.get("/healthz")
secure = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "probe": probe.status_code,
    "secure": [secure.status_code, dict(secure.headers)],
    "cookies_secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


def procfile() -> dict[str, str]:
    lines = (BASE_DIR / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def headers_in(env: dict[str, str]) -> dict:
    result = run_python(HEADERS_SCRIPT, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_redirects_to_https_and_sends_the_security_headers():
    seen = headers_in(PRODUCTION)

    assert seen["plain"] == [
        HTTPStatus.MOVED_PERMANENTLY,
        "https://todo.example.com/api/v1/",
    ]
    # The platform's health probes may come over plain HTTP.
    assert seen["probe"] == HTTPStatus.OK
    status, headers = seen["secure"]
    assert status == HTTPStatus.OK
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert seen["cookies_secure"] == [True, True]
    assert seen["session_cookie_httponly"] is True


def test_secure_ssl_redirect_0_serves_plain_http_for_local_testing():
    seen = headers_in({**PRODUCTION, "SECURE_SSL_REDIRECT": "0"})

    status, location = seen["plain"]
    assert status != HTTPStatus.MOVED_PERMANENTLY and location is None
    assert "Strict-Transport-Security" not in seen["secure"][1]
    assert seen["cookies_secure"] == [False, False]


class InlineCode(HTMLParser):
    """Collect what a `script-src 'self'; style-src 'self'` policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self._in_script = names.get("type") not in {"application/json"}
        if tag == "style":
            self.blocked.append("<style>")
        self.blocked += [f"{tag} {name}=" for name in names if name == "style"]
        self.blocked += [f"{tag} {name}=" for name in names if name.startswith("on")]

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.blocked.append(f"<script>{data.strip()[:40]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def assert_nothing_inline(response) -> None:
    """Assert the page sends a CSP and has nothing inline that the CSP would block."""
    assert response.status_code == HTTPStatus.OK
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    parser = InlineCode()
    parser.feed(response.content.decode())
    assert parser.blocked == []


@pytest.mark.django_db
def test_pages_and_admin_send_a_csp_that_the_admin_can_live_with(client, admin_client):
    assert_nothing_inline(client.get(reverse("home")))
    assert_nothing_inline(client.get(reverse("accounts:login")))
    task = TaskFactory()
    urls = [
        reverse("admin:index"),
        reverse("admin:tasks_task_changelist"),
        reverse("admin:tasks_task_change", args=[task.pk]),
        reverse("admin:tasks_task_add"),
        reverse("admin:accounts_user_change", args=[task.user_id]),
        reverse("admin:accounts_user_add"),
    ]
    for url in urls:
        assert_nothing_inline(admin_client.get(url))


def test_procfile_release_migrates_through_the_direct_url(tmp_path):
    direct = tmp_path / "direct.sqlite3"
    release = procfile()["release"]

    env = {
        **PRODUCTION,
        # The platform's PATH, where `python` is the project's interpreter.
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        # Unreachable: the release step must use the direct URL for everything.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/pooled",
        "DIRECT_DATABASE_URL": f"sqlite:///{direct}",
    }

    result = run("sh", "-c", release, timeout=300, **env)

    assert result.returncode == 0, result.stdout + result.stderr
    tables = run_python(
        "import sqlite3, sys; print(sorted(r[0] for r in sqlite3.connect(sys.argv[1])"
        ".execute(\"SELECT name FROM sqlite_master WHERE type = 'table'\")))",
        str(direct),
    ).stdout
    assert "django_cache" in tables and "tasks" in tables


def test_gunicorn_takes_workers_port_and_timeout_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("PORT", "9123")

    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))

    assert config["workers"] == 5
    assert config["bind"] == "0.0.0.0:9123"
    assert 0 < config["timeout"] <= 60
    assert config["accesslog"] is None
    assert config["control_socket_disable"] is True
    assert procfile()["web"] == "gunicorn todoproject.wsgi --config gunicorn.conf.py"


def test_gunicorn_builds_no_access_log_line(monkeypatch):
    """Its logging is configured (logconfig_dict), so gunicorn would build an access
    line for every request and hand it to a silenced logger."""
    from gunicorn.config import Config

    settings = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    config = Config()
    for name in ("accesslog", "logconfig_dict", "logger_class"):
        config.set(name, settings[name])
    monkeypatch.setattr("logging.config.dictConfig", lambda config: None)
    logger = config.logger_class(config)
    built = []
    monkeypatch.setattr(logger, "atoms", lambda *args: built.append(args) or {})

    logger.access(object(), object(), {}, None)

    assert built == []
    assert logger.access_log_enabled is False


@pytest.mark.slow
def test_gunicorn_logs_one_line_per_request_to_stdout():
    assert procfile()["web"] == "gunicorn todoproject.wsgi --config gunicorn.conf.py"
    statuses, stdout, stderr = gunicorn_get(
        "/healthz?secret=s3cr3t",
        **{
            **PRODUCTION,
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "INFO",
        },
    )

    assert statuses == [HTTPStatus.OK], stdout + stderr
    request_lines = [line for line in stdout.splitlines() if "/healthz" in line]
    assert len(request_lines) == 1, stdout
    assert re.search(
        r"todoproject\.requests GET /healthz 200 \d+\.\dms user=-$", request_lines[0]
    )
    assert "s3cr3t" not in stdout + stderr
    assert "Booting worker" in stdout  # gunicorn's own messages on stdout too
    assert "Control socket" not in stdout


def test_redis_url_switches_the_cache_to_redis():
    url = "redis://127.0.0.1:6379/3"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    script = (
        "import django, json; django.setup(); "
        "from django.conf import settings; from django.core.cache import cache; "
        "cache.set('todo-ops-probe', 42, 30); "
        "print(json.dumps([settings.CACHES['default'], cache.get('todo-ops-probe')])); "
        "cache.delete('todo-ops-probe')"
    )

    result = run_python(script, **{**PRODUCTION, "REDIS_URL": url})

    assert result.returncode == 0, result.stderr
    cache, value = json.loads(result.stdout.strip().splitlines()[-1])
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
    }
    assert value == 42


def test_without_redis_the_cache_and_sessions_live_in_the_database():
    result = run_python(
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.CACHES['default']['BACKEND'], "
        "settings.SESSION_ENGINE, settings.AXES_HANDLER]))",
        **PRODUCTION,
    )

    assert json.loads(result.stdout) == [
        "serving.cache.DatabaseCache",
        "django.contrib.sessions.backends.db",
        "accounts.lockout.AccountResetCacheHandler",
    ]
