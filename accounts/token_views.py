"""Create and revoke API tokens from the settings page (SPEC §5).

The new token's key is kept in the session only until the settings page has shown it
once; the database keeps only knox's digest. An optional name becomes the token's
prefix (knox's TOKEN_PREFIX, per token: `deploy_3f9a…`), so the list tells tokens
apart by their first characters, which are all the list shows.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from knox.settings import CONSTANTS

from accounts import tokens
from accounts.models import has_verified_email


class TokenCreateForm(forms.Form):
    name = forms.RegexField(
        # knox allows prefixes of up to 10 characters; one goes to the "_" separator.
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH - 1,
        regex=r"^[a-z0-9-]+$",
        required=False,
        error_messages={"invalid": "Use lower-case letters, digits and hyphens."},
        help_text="Optional, for example the integration (lower-case letters, digits "
        "and hyphens, up to 9).",
    )

    def token_prefix(self) -> str:
        """Return the token prefix for the name given, or none."""
        name = self.cleaned_data["name"]
        return f"{name}_" if name else ""


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponseRedirect:
    if not has_verified_email(request.user):
        messages.error(request, "Verify your email address before creating API tokens.")
        return redirect("accounts:settings")
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        for error in form.errors["name"]:
            messages.error(request, f"Token name: {error}")
        return redirect("accounts:settings")
    try:
        _instance, key = tokens.create_token(request.user, prefix=form.token_prefix())
    except tokens.TokenLimitReached as exc:
        messages.error(request, str(exc))
        return redirect("accounts:settings")
    tokens.remember_new_token(request.session, key)
    messages.success(request, "API token created. Copy it now: it is shown only once.")
    return redirect("accounts:settings")


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponseRedirect:
    # The token's handle comes in the body, not the URL, which is logged. Another
    # user's token is a 404, like any object the user may not see.
    if not tokens.revoke_token(request.user, request.POST.get("token", "")):
        raise Http404("No such token.")
    messages.success(request, "API token revoked.")
    return redirect("accounts:settings")
