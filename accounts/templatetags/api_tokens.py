"""Template tags of the API tokens panel: accounts/includes/api_tokens.html."""

from __future__ import annotations

from django import template
from knox.models import AuthToken

from accounts.api.authentication import delete_expired_tokens
from accounts.token_views import NEW_TOKEN_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def api_tokens(context: template.Context):
    """Return the signed-in user's API tokens that still work, newest first."""
    user = context["request"].user
    delete_expired_tokens(user)
    return AuthToken.objects.filter(user=user).order_by("-created")


@register.simple_tag(takes_context=True)
def new_api_token(context: template.Context) -> str:
    """Return the key of a token created just now, once, and forget it."""
    return context["request"].session.pop(NEW_TOKEN_SESSION_KEY, "")
