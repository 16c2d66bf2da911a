"""The project's one log format on stdout, shared by Django's LOGGING and gunicorn.

No Django imports: gunicorn's configuration file reads it before Django is set up.
"""

FORMATTERS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
}
HANDLERS = {
    "stdout": {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": "plain",
    },
}
