"""The reminders part of the settings page: digest, time zone, calendar feed; and
the digest's unsubscribe link.

The settings page (accounts) includes `tasks/includes/settings_sections.html`, whose
forms post here; each view goes back to the settings page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import UpdateView

from tasks.calendar import calendar_url
from tasks.digests import unsubscribe_user_id
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


# Mail programs post to the link in List-Unsubscribe with no cookie and no CSRF token
# (RFC 8058 one-click); the signed token alone says whose digest stops.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm (GET) and turn off (POST) the digest of the user signed in `token`."""
    user_id = unsubscribe_user_id(token)
    preferences = Preferences.objects.filter(user_id=user_id).first()
    if user_id is None or preferences is None:
        raise Http404("No such subscription.")
    if request.method == "POST":
        preferences.digest_enabled = False
        preferences.save(update_fields=["digest_enabled"])
        return render(request, "tasks/unsubscribed.html")
    return render(
        request,
        "tasks/unsubscribe_confirm.html",
        {"token": token, "subscribed": preferences.digest_enabled},
    )
