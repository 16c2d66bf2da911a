"""Account pages of our own: password reset's limits, settings, deletion.

Sign-up, log-in and out, passwords, email and two-factor are django-allauth's views,
restyled by templates/allauth/ and templates/account/, templates/mfa/.
"""

from __future__ import annotations

from allauth.account import app_settings as allauth_settings
from allauth.account.views import PasswordResetView as AllauthPasswordResetView
from allauth.core import ratelimit
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from accounts.forms import DeleteAccountForm
from accounts.models import has_verified_email, normalize_email

#: Seconds a client is told to wait when allauth refuses a request as too frequent:
#: the shortest window of ACCOUNT_RATE_LIMITS (allauth does not say which was hit).
RATE_LIMIT_RETRY_AFTER = 60


def rate_limited(request: HttpRequest) -> HttpResponse:
    """allauth's answer to too many sign-ups, log-ins, … from one client: HTTP 429."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER)
    return response


class PasswordResetView(AllauthPasswordResetView):
    """allauth's reset request, but a rate-limited one answers as any other does.

    allauth answers 429 when a client or an address has asked too often; that tells
    the client nothing about accounts, but it does tell it to vary the address. Here a
    limited request sends no mail and goes to the same "check your email" page.
    """

    def form_valid(self, form):
        allowed = ratelimit.consume(
            self.request,
            action="reset_password",
            key=normalize_email(form.cleaned_data["email"]),
        )
        if allowed:
            form.save(self.request)
        return HttpResponseRedirect(self.get_success_url())


class SettingsView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/settings.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "email_verified": has_verified_email(user),
            "mfa_enabled": is_mfa_enabled(user),
            "change_email": allauth_settings.CHANGE_EMAIL,
        }


class DeleteAccountView(LoginRequiredMixin, FormView):
    """Delete the signed-in account and its tasks once the password is confirmed."""

    form_class = DeleteAccountForm
    template_name = "accounts/delete.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = form.user
        logout(self.request)
        user.delete()  # the tasks go with it (ON DELETE CASCADE)
        messages.success(self.request, "Your account and all its tasks were deleted.")
        return HttpResponseRedirect(reverse("home"))
