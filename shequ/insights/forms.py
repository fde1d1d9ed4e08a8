from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _token() -> str:
    return uuid.uuid4().hex


class ActionForm(forms.Form):
    """A form whose action may raise ValidationError with field names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EnterValueForm(ActionForm):
    value = forms.DecimalField(label=_("数值"), max_digits=14, decimal_places=2, required=False)
    evidence = forms.CharField(label=_("佐证材料"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(ActionForm):
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 2}))
    claimed_value = forms.DecimalField(
        label=_("主张数值"), max_digits=14, decimal_places=2, required=False
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)


class DecideForm(ActionForm):
    upheld = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("1", _("异议成立")), ("0", _("异议不成立"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))


class NewSchemeForm(ActionForm):
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
