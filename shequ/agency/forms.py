"""Forms of the agency pages. Each create form carries a client token (a retry of the
same submission returns the first result)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.agency.models import AgencyStation, AuthChannel, CommercialKind, HandoverKind
from shequ.orgs.models import User
from shequ.people.forms import guard_choice_fields
from shequ.people.models import Resident
from shequ.services.models import Case, ServiceItem


class ActionForm(forms.Form):
    """A form whose action may raise ValidationError with field names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guard_choice_fields(self)  # an id past BIGINT is an invalid choice (issue 11)

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


def _token() -> str:
    return uuid.uuid4().hex


def resident_label(resident: Resident) -> str:
    groups = "、".join(m.category.name for m in resident.categories.all())
    return f"{resident.name} {resident.id_number_masked}({groups})"


class _Resident(forms.ModelChoiceField):
    """Validated against everyone eligible; the page offers only the residents found by
    the search above it (a list of radios), not a dropdown of the whole registry."""

    widget = forms.RadioSelect

    def label_from_instance(self, obj: Any) -> str:
        return resident_label(obj)


class _Agent(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.username


class AuthorizationForm(ActionForm):
    station = forms.ModelChoiceField(label=_("受托站点"), queryset=AgencyStation.objects.none())
    resident_q = forms.CharField(label=_("查找委托人"), required=False, max_length=50)
    resident = _Resident(label=_("委托人"), queryset=Resident.objects.none())
    agent = _Agent(label=_("代办员"), queryset=User.objects.none())
    channel = forms.ChoiceField(label=_("登记方式"), choices=AuthChannel.choices)
    all_items = forms.BooleanField(label=_("委托全部可代理事项"), required=False)
    items = forms.ModelMultipleChoiceField(
        label=_("委托事项"), queryset=ServiceItem.objects.none(), required=False
    )
    valid_until = forms.DateField(
        label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    form_scan = forms.FileField(label=_("签字授权书扫描件或照片(PDF/JPG/PNG)"), required=False)
    family_name = forms.CharField(label=_("家属联系人"), max_length=50, required=False)
    family_phone = forms.CharField(label=_("家属手机号"), max_length=20, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(
        self,
        *args: Any,
        stations: QuerySet[AgencyStation],
        residents: QuerySet[Resident],
        agents: QuerySet[User],
        items: QuerySet[ServiceItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]
        self.fields["resident"].queryset = residents  # type: ignore[attr-defined]
        self.fields["agent"].queryset = agents  # type: ignore[attr-defined]
        self.fields["items"].queryset = items  # type: ignore[attr-defined]
        self.fields["valid_until"].initial = timezone.localdate() + dt.timedelta(days=365)
        for name, field in self.fields.items():
            if name not in {"all_items", "client_token", "resident"}:
                field.widget.attrs.setdefault("class", "form-control")
        self.fields["all_items"].widget.attrs["class"] = "form-check-input"


class RevokeForm(ActionForm):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class AgencyCaseForm(ActionForm):
    items = forms.ModelMultipleChoiceField(
        label=_("代办事项"),
        queryset=ServiceItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("诉求摘要"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, items: QuerySet[ServiceItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items  # type: ignore[attr-defined]


class HandoverForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("交接类型"),
        choices=[c for c in HandoverKind.choices if c[0] != HandoverKind.POINT_RESULT],
    )
    cases = forms.ModelMultipleChoiceField(
        label=_("涉及办件(不选则为全部事项)"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    from_party = forms.CharField(label=_("交出方"), max_length=100)
    to_party = forms.CharField(label=_("接收方"), max_length=100)
    documents = forms.CharField(
        label=_("交接材料(每行一项)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases  # type: ignore[attr-defined]
        self.fields["cases"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.number} {c.item.name}"
        )
        for name, field in self.fields.items():
            if name not in {"client_token", "cases"}:
                field.widget.attrs.setdefault("class", "form-control")


class CompleteItemForm(ActionForm):
    case = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.CharField(label=_("办理结果"), max_length=500)


class RemoteMatterForm(ActionForm):
    item = forms.ModelChoiceField(label=_("事项"), queryset=ServiceItem.objects.none())
    id_number = forms.CharField(
        label=_("村民身份证号"),
        max_length=18,
        help_text=_("按身份证号在居民登记库中查找村民,申请人即为该村民。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    villager_phone = forms.CharField(
        label=_("村民手机号"), max_length=20, required=False, help_text=_("留空则用登记库中的号码")
    )
    summary = forms.CharField(
        label=_("申请内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scan = forms.FileField(label=_("材料扫描件(PDF/JPG/PNG)"), required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, items: QuerySet[ServiceItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if name != "client_token":
                field.widget.attrs.setdefault("class", "form-control")


class ResubmitForm(ActionForm):
    scan = forms.FileField(label=_("补正材料扫描件(PDF/JPG/PNG)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scan"].widget.attrs["class"] = "form-control"


class CommercialForm(ActionForm):
    kind = forms.ChoiceField(label=_("类型"), choices=CommercialKind.choices)
    amount_yuan = forms.DecimalField(
        label=_("金额(元)"), min_value=0, max_digits=12, decimal_places=2
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "client_token":
                field.widget.attrs.setdefault("class", "form-control")


class FiguresForm(forms.Form):
    first = forms.DateField(
        label=_("起"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    last = forms.DateField(
        label=_("止"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
