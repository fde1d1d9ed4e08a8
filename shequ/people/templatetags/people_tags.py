from __future__ import annotations

from typing import Any

from django import template

from shequ.people import access

register = template.Library()


@register.simple_tag(takes_context=True)
def people_can_edit(context: dict[str, Any]) -> bool:
    """Whether the signed-in user may register or import residents anywhere."""
    request = context.get("request")
    if request is None:
        return False
    return access.editable_units(request.user).exists()
