"""gunicorn settings, read from the environment like the rest of the project.

PaaS conventions: PORT is where to listen, WEB_CONCURRENCY how many worker processes.
"""

import os

from serving.log_format import FORMATTERS, HANDLERS, GunicornLogger

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Sync workers, one request at a time each: with persistent database connections that
# is one connection per worker (see README, "Deploying"). Threaded workers (gthread)
# measured slower for the API on two cores (bench/RESULTS.md, workers and connections).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that takes longer than this is killed and logged; no page should get close.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, with jitter so they do not restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Load the project once in the master and fork workers from it: a recycled worker is
# serving again at once instead of after a full import (bench/RESULTS.md has the
# measurements). Safe because nothing opens a database connection at import time.
preload_app = True
# The one line per request comes from Django (serving.request_log: method, path,
# status, duration, user id); gunicorn's access log would repeat it without the user
# and with the query string, so it stays off: no file, and a logger that does not
# build the lines either (GunicornLogger).
accesslog = None
logger_class = GunicornLogger
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's own messages (start, worker timeouts) go to stdout like Django's, in the
# same format; its access logger is silenced for the reason above.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": FORMATTERS,
    "handlers": HANDLERS,
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
}
# No runtime control socket (gunicorn 25+): nothing here uses `gunicornc`, and its
# default path under $HOME may be read-only or shared on a platform's machines.
control_socket_disable = True
# The platform's proxy terminates TLS and sets X-Forwarded-*; Django reads the scheme
# through SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
