from __future__ import annotations

from typing import Any

from django import template

from shequ.people import access, masking
from shequ.people.models import Resident

register = template.Library()


@register.simple_tag(takes_context=True)
def people_can_edit(context: dict[str, Any]) -> bool:
    """Whether the signed-in user may register or import residents anywhere."""
    request = context.get("request")
    if request is None:
        return False
    return access.editable_units(request.user).exists()


@register.filter
def birth_label(resident: Resident) -> str:
    """The birth year (或 不满1岁) shown instead of the birth date: people.masking."""
    return masking.birth_label(resident)
