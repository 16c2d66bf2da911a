"""Template tags of the reminders sections of the settings page."""

from __future__ import annotations

from django import template

from tasks.forms import PreferencesForm
from tasks.models import Preferences
from tasks.preference_views import NEW_CALENDAR_URL_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def task_preferences(context: template.Context) -> Preferences:
    """Return the signed-in user's reminder preferences (the defaults if none)."""
    return Preferences.of(context["request"].user)


@register.simple_tag
def preferences_form(preferences: Preferences) -> PreferencesForm:
    """Return the form of `preferences`, unbound."""
    return PreferencesForm(instance=preferences)


@register.simple_tag(takes_context=True)
def new_calendar_url(context: template.Context) -> str:
    """Return the calendar URL made just now, once, and forget it."""
    return context["request"].session.pop(NEW_CALENDAR_URL_SESSION_KEY, "")
