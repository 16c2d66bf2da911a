"""Account pages. Sign-up, log-in, passwords, email and two-factor are allauth's
(`allauth.urls`, included beside these under /accounts/); the names below keep the
project's own names (`accounts:login`, …) for the same pages.
"""

from allauth.account import views as allauth_views
from django.urls import path

from accounts import token_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", allauth_views.signup, name="signup"),
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("password/change/", allauth_views.password_change, name="password_change"),
    # Before allauth's own route of the same path: limited requests answer the same.
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("delete/", views.DeleteAccountView.as_view(), name="delete"),
    # API tokens, on the settings page.
    path("tokens/new/", token_views.token_create, name="token_create"),
    path("tokens/revoke/", token_views.token_revoke, name="token_revoke"),
]
