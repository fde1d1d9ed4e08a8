from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shequ.services.models import (
    HandlingLevel,
    ItemKind,
    ServiceCategory,
    ServiceItem,
    WindowType,
)


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", _("全部")), *choices]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    window = forms.ModelChoiceField(
        label=_("受理窗口"),
        queryset=WindowType.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("全部"),
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=_blank(ServiceCategory.choices), required=False
    )
    kind = forms.ChoiceField(label=_("办件类型"), choices=_blank(ItemKind.choices), required=False)
    level = forms.ChoiceField(
        label=_("办理层级"), choices=_blank(HandlingLevel.choices), required=False
    )

    def __init__(self, *args: Any, windows: QuerySet[WindowType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows  # type: ignore[attr-defined]

    def filter(self, items: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            items = items.filter(Q(name__contains=q) | Q(code__iexact=q) | Q(guide__contains=q))
        if data["window"]:
            items = items.filter(window_type=data["window"])
        for field, name in (
            ("category", "category"),
            ("kind", "kind"),
            ("level", "handling_level"),
        ):
            if data[field]:
                items = items.filter(**{name: data[field]})
        return items
