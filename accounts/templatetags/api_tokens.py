"""Template tags of the API tokens panel: accounts/includes/api_tokens.html."""

from __future__ import annotations

from django import template

from accounts import tokens

register = template.Library()


@register.simple_tag(takes_context=True)
def api_tokens(context: template.Context):
    """Return the signed-in user's API tokens that still work, newest first."""
    return tokens.live_tokens(context["request"].user)


@register.simple_tag(takes_context=True)
def new_api_token(context: template.Context) -> str:
    """Return the key of a token created just now, once, and forget it."""
    return tokens.pop_new_token(context["request"].session)


@register.filter
def token_handle(token) -> str:
    """Return the name by which the revoke form names `token`."""
    return tokens.token_handle(token)
