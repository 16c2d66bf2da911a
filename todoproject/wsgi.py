"""
WSGI config for todoproject project.

It exposes the WSGI callable as a module-level variable named ``application``: the
site's middleware for pages, the API's for requests with a token
(serving.handlers.SiteApplication, named by dotted path like every app here).

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

import django
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "todoproject.settings")
django.setup(set_prefix=False)  # as get_wsgi_application() does

application = import_string("serving.handlers.SiteApplication")()
