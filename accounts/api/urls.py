"""The account endpoints of the API (included by api.urls, namespace "api")."""

from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="register"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/tokens/", views.TokenRevokeAllView.as_view(), name="token-all"),
    path("me/", views.MeView.as_view(), name="me"),
]
