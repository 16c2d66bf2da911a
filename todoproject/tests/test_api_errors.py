"""The API's JSON error plumbing, as a fresh process loads it."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def test_a_fresh_process_loads_the_middleware_before_any_view():
    """gunicorn builds the middleware chain before importing any URLconf; the
    JSON-errors middleware and DRF's parser setting must not import each other."""
    code = (
        "import django; django.setup(); "
        "from django.core.handlers.wsgi import WSGIHandler; WSGIHandler(); print('ok')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "todoproject.settings"}
    env.setdefault("SECRET_KEY", "test-only")

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
