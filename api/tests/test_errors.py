"""The API's JSON error plumbing, as a fresh process loads it."""

from tests.test_settings import run_python


def test_a_fresh_process_loads_the_middleware_before_any_view():
    """gunicorn builds the middleware chain before importing any URLconf; the
    JSON-errors middleware and DRF's parser setting must not import each other."""
    result = run_python(
        "import django; django.setup(); "
        "from django.core.handlers.wsgi import WSGIHandler; WSGIHandler(); print('ok')",
        SECRET_KEY="test-only",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
