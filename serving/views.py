"""The front door: the landing page for visitors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def home(request: HttpRequest) -> HttpResponse:
    """Show the landing page to visitors; signed-in users go straight to their tasks."""
    if request.user.is_authenticated:
        return redirect("tasks:list")
    return render(request, "home.html")
