from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import ROLE_UNIT_KINDS, Employment, OrgUnit, Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续输错 10 次,账号将被暂时锁定。"),
        "inactive": _("该账号已停用。"),
    }


class AssignPostForm(forms.Form):
    """Give a post in one unit to an existing person (by username) or to a new one."""

    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _。")},
    )
    full_name = forms.CharField(
        label=_("姓名"), max_length=50, required=False, help_text=_("新建人员时必填。")
    )
    role = forms.ChoiceField(label=_("岗位"))
    employment = forms.ChoiceField(label=_("专兼职"), choices=Employment.choices)
    civil_servant = forms.BooleanField(label=_("公务员"), required=False)
    title = forms.CharField(label=_("职务说明"), max_length=100, required=False)
    started_on = forms.DateField(
        label=_("任职日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, unit: OrgUnit, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Role.choices if unit.kind in ROLE_UNIT_KINDS[value]
        ]
        self.fields["started_on"].initial = timezone.localdate()
        self.fields["client_token"].initial = uuid.uuid4().hex
        bootstrap(self)


def bootstrap(form: forms.Form) -> None:
    """Give widgets Bootstrap's classes (templates render fields one by one)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("按名称或代码查找"), max_length=50, required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("令牌名称"), max_length=50, help_text=_("用途,例如“台账同步脚本”。")
    )
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_token"].initial = uuid.uuid4().hex
        bootstrap(self)
