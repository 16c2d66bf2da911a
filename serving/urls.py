"""The landing page and the health probes, at the root of the site."""

from django.urls import path

from serving import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
