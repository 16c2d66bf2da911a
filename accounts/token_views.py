"""Create and revoke API tokens from the settings page (SPEC §5).

The new token's key is kept in the session only until the settings page has shown it
once; the database keeps only knox's digest.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from knox.models import AuthToken

#: Session key holding a new token's key until the settings page shows it.
NEW_TOKEN_SESSION_KEY = "api_token_new"


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponseRedirect:
    _instance, token = AuthToken.objects.create(user=request.user)
    request.session[NEW_TOKEN_SESSION_KEY] = token
    messages.success(request, "API token created. Copy it now: it is shown only once.")
    return redirect("accounts:settings")


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponseRedirect:
    # The key's first characters come in the body, not the URL, which is logged.
    # Another user's token is a 404, like any object the user may not see.
    token_key = request.POST.get("token_key", "")
    if not token_key.isalnum():  # knox keys are hex; PostgreSQL refuses NUL bytes
        raise Http404("No such token.")
    token = get_object_or_404(AuthToken, user=request.user, token_key=token_key)
    token.delete()
    messages.success(request, "API token revoked.")
    return redirect("accounts:settings")
