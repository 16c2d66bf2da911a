"""The reminders part of the settings page: digest, time zone, calendar feed.

The settings page (accounts) includes `tasks/includes/settings_sections.html`, whose
forms post here; each view goes back to the settings page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django.views.generic import UpdateView

from tasks.calendar import calendar_url
from tasks.forms import PreferencesForm
from tasks.models import Preferences

#: Session key holding a new calendar URL until the settings page has shown it once.
NEW_CALENDAR_URL_SESSION_KEY = "calendar_url_new"


class PreferencesUpdateView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    form_class = PreferencesForm
    template_name = "tasks/preferences_form.html"
    success_url = reverse_lazy("accounts:settings")
    success_message = "Your reminder settings were saved."

    def get_object(self, queryset=None) -> Preferences:
        return Preferences.of(self.request.user)


@login_required
@require_POST
def regenerate_calendar(request: HttpRequest) -> HttpResponse:
    """Give the user's calendar feed a new URL; the old one stops at once."""
    secret = Preferences.of(request.user).regenerate_calendar_secret()
    request.session[NEW_CALENDAR_URL_SESSION_KEY] = calendar_url(secret)
    messages.success(request, "Your calendar has a new address; the old one stopped.")
    return redirect("accounts:settings")


@login_required
@require_POST
def stop_calendar(request: HttpRequest) -> HttpResponse:
    """Turn the user's calendar feed off."""
    Preferences.of(request.user).stop_calendar()
    messages.success(request, "Your calendar feed is off; its address stopped.")
    return redirect("accounts:settings")
