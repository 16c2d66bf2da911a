"""The project's settings, with the layer routes of bench/floor/urls.py added.

Used only by `bench/floor/run.py` (DJANGO_SETTINGS_MODULE=bench.floor.settings); the
site never serves these routes.
"""

from todoproject.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor.urls"
