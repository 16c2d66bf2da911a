from django.urls import path

from accounts import token_views

app_name = "accounts"

urlpatterns: list[path] = [
    # API tokens, shown on the settings page.
    path("tokens/new/", token_views.token_create, name="token_create"),
    path("tokens/revoke/", token_views.token_revoke, name="token_revoke"),
]
