"""Account pages: sign-up, log-in and out, passwords, settings, deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import CreateView, FormView, TemplateView

from accounts.forms import DeleteAccountForm, EmailAuthenticationForm, SignupForm

# Sign-up logs the new user in directly, past django-axes' standalone backend.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignupView(SuccessMessageMixin, CreateView):
    form_class = SignupForm
    template_name = "registration/signup.html"
    success_url = reverse_lazy("tasks:list")
    success_message = "Welcome! Your account is ready. Add your first task below."

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("tasks:list")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        login(self.request, self.object, backend=MODEL_BACKEND)
        return response


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out on POST only (Django's rule), and say so on the next page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have been logged out.")
        return response


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:settings")
    success_message = "Your password was changed."


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")


class SettingsView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/settings.html"


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
