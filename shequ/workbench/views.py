from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shequ.workbench import tiles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each staff member's home: the tiles of each of their posts."""
    return render(request, "workbench/home.html", tiles.workbench(request.user))
