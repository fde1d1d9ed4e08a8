"""The portal's forms. Every field has a label; a field's error text is tied to it
(``aria-describedby``, ``aria-invalid``) so a screen reader reads it with the field.
Create forms carry a client token: a retried submission returns the first result."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shequ.portal.models import ForWhom
from shequ.services.models import Grade


def new_token() -> str:
    return uuid.uuid4().hex


class PortalForm(forms.Form):
    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._mark(field)

    def full_clean(self) -> None:
        super().full_clean()
        for name in list(self.errors):
            self._mark(name)

    def _mark(self, name: str | None) -> None:
        if name and name in self.fields:
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self[name].auto_id}_error"

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class PhoneForm(PortalForm):
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "13800000000"}
        ),
    )


class CodeForm(PortalForm):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
        error_messages={
            "min_length": _("验证码为 6 位数字。"),
            "max_length": _("验证码为 6 位数字。"),
        },
    )


class ConsentForm(PortalForm):
    agree = forms.BooleanField(
        label=_("我已阅读并同意以上个人信息处理规则"),
        error_messages={"required": _("需要您同意后才能使用网上办事。")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("搜索事项"), max_length=50, required=False)


class CommunitySearchForm(forms.Form):
    q = forms.CharField(label=_("社区或村的名称"), max_length=50, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AskForm(PortalForm):
    summary = forms.CharField(
        label=_("您要办理的事情"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("简要说明情况,例如家庭人数、困难原因。"),
        error_messages={"required": _("请简要说明您要办理的事情。")},
    )
    name = forms.CharField(
        label=_("您的姓名"),
        max_length=50,
        required=False,
        error_messages={"required": _("请填写您的姓名。")},
    )
    photos = MultiplePhotoField(
        label=_("材料照片(可多张,JPG 或 PNG)"),
        required=False,
        help_text=_("拍下身份证、户口簿等材料,办事时可少跑一趟。"),
    )
    client_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, limited: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not limited:
            del self.fields["name"]
        else:
            self.fields["name"].required = True


class RateForm(PortalForm):
    grade = forms.TypedChoiceField(
        label=_("总体评价"),
        choices=Grade.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("意见和建议"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_token = forms.CharField(widget=forms.HiddenInput)


class AppealForm(PortalForm):
    reason = forms.CharField(
        label=_("不认可整改答复的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CallbackForm(PortalForm):
    for_whom = forms.ChoiceField(
        label=_("为谁代办"), choices=ForWhom.choices, widget=forms.RadioSelect
    )
    person_name = forms.CharField(label=_("需要代办的人的姓名"), max_length=50)
    phone = forms.CharField(
        label=_("回电号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    note = forms.CharField(
        label=_("想办的事(可不填)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_token = forms.CharField(widget=forms.HiddenInput)


class HandleCallbackForm(PortalForm):
    note = forms.CharField(
        label=_("回电情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MediationForm(PortalForm):
    person_name = forms.CharField(label=_("您的姓名"), max_length=50)
    phone = forms.CharField(
        label=_("回电号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    note = forms.CharField(
        label=_("纠纷情况"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("和谁、因为什么事、发生在哪里。不必写对方的身份证号。"),
        error_messages={"required": _("请简要说明纠纷情况。")},
    )
    client_token = forms.CharField(widget=forms.HiddenInput)


class DisclosureQuestionForm(PortalForm):
    """A resident's question about a disclosure on the community board."""

    name = forms.CharField(label=_("您的姓名"), max_length=50)
    text = forms.CharField(
        label=_("要质询的内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请写明对公开内容的疑问。")},
    )
    client_token = forms.CharField(widget=forms.HiddenInput)
