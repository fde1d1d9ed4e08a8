from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shequ.services import access
from shequ.services.forms import CatalogueFilterForm
from shequ.services.models import Requirement


def catalogue(request: HttpRequest) -> HttpResponse:
    """The service catalogue (事项目录); public, like every hall's notice board."""
    windows = access.window_types_for_user(request.user)
    form = CatalogueFilterForm(request.GET or None, windows=windows)
    items = form.filter(access.items_for_user(request.user)).select_related("window_type")
    return render(
        request,
        "services/catalogue.html",
        {"form": form, "items": items, "windows": windows},
    )


def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    """The guide (办事指南) of one item; printable."""
    item = access.get_item_for_user(request.user, code)
    materials = list(item.materials.all())
    return render(
        request,
        "services/item_guide.html",
        {
            "item": item,
            "materials": materials,
            "has_deferrable": any(m.requirement == Requirement.DEFERRABLE for m in materials),
        },
    )
