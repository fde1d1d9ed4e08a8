from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续输错 10 次,账号将被暂时锁定。"),
        "inactive": _("该账号已停用。"),
    }


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("按名称或代码查找"), max_length=50, required=False)
