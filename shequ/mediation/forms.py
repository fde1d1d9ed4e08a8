"""Forms of the mediation pages. Create forms carry a client token (a retried submission
returns the first result); actions' field errors are put back on the form."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.mediation.actions import ROUTES
from shequ.mediation.models import (
    ActivityKind,
    AgreementForm,
    BodyKind,
    Committee,
    Decision,
    DisputeKind,
    FollowUpResult,
    MediationType,
    MemberRole,
    Referrer,
    RefusalReason,
    Source,
    ThirdParty,
)
from shequ.orgs.models import OrgUnit, Post, User
from shequ.people.models import Gender, ResidentUnit


def _token() -> str:
    return uuid.uuid4().hex


def _date(**attrs: Any) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


class ActionForm(forms.Form):
    """A form whose action may raise ValidationError with field names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class _Unit(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.get_kind_display()})"


class _Staff(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.username


class DisputeForm(ActionForm):
    unit = _Unit(label=_("纠纷发生地"), queryset=OrgUnit.objects.none())
    committee = forms.ModelChoiceField(label=_("调解委员会"), queryset=Committee.objects.none())
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, initial=Source.REFERRAL)
    referrer = forms.ChoiceField(
        label=_("移送单位类别"), choices=[("", "—"), *Referrer.choices], required=False
    )
    referrer_name = forms.CharField(label=_("移送单位名称"), max_length=100, required=False)
    referrer_ref = forms.CharField(label=_("移送文号"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("纠纷类型"), choices=DisputeKind.choices)
    summary = forms.CharField(label=_("纠纷简要情况"), widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("发生地点"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("涉及金额(元)"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    risk_criminal = forms.BooleanField(label=_("有民转刑风险"), required=False)
    risk_group = forms.BooleanField(label=_("有群体性上访风险"), required=False)
    case_number = forms.CharField(
        label=_("求助办件编号(一刻钟现场响应)"), max_length=30, required=False
    )
    a_name = forms.CharField(label=_("申请人(一方)姓名"), max_length=100)
    a_id_number = forms.CharField(label=_("身份证号"), max_length=20, required=False)
    a_phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    b_name = forms.CharField(label=_("被申请人(另一方)姓名"), max_length=100)
    b_id_number = forms.CharField(label=_("身份证号"), max_length=20, required=False)
    b_phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    PARTY_FIELDS = {
        "parties-0": "a_name",
        "parties-1": "b_name",
        "parties": "b_name",
    }

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        committees: QuerySet[Committee],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        for name in ("a_id_number", "b_id_number"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        for name in ("a_phone", "b_phone"):
            self.fields[name].widget.attrs.update(inputmode="tel", autocomplete="off")

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for key, errors in error.message_dict.items():
                field = self.PARTY_FIELDS.get(key, key)
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class AcceptForm(ActionForm):
    mediator = _Staff(label=_("主持调解员"), queryset=User.objects.none(), required=False)
    note = forms.CharField(label=_("受理意见"), max_length=200, required=False)

    def __init__(self, *args: Any, mediators: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators  # type: ignore[attr-defined]


class RefuseForm(ActionForm):
    reason = forms.ChoiceField(label=_("不予受理理由"), choices=RefusalReason.choices)
    note = forms.CharField(label=_("具体情况"), max_length=300)


class SessionForm(ActionForm):
    held_at = forms.DateTimeField(
        label=_("调解时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("调解地点"), max_length=200)
    participants = forms.CharField(label=_("参加人员"), max_length=300)
    record = forms.CharField(label=_("调解记录"), widget=forms.Textarea(attrs={"rows": 4}))
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class AgreementFormForm(ActionForm):
    form = forms.ChoiceField(
        label=_("协议形式"), choices=AgreementForm.choices, initial=AgreementForm.WRITTEN
    )
    facts = forms.CharField(
        label=_("纠纷主要事实、争议事项"), widget=forms.Textarea(attrs={"rows": 3})
    )
    liability = forms.CharField(
        label=_("各方当事人的责任"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    terms = forms.CharField(label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    performance_manner = forms.CharField(label=_("履行方式"), max_length=200, required=False)
    performance_due_on = forms.DateField(label=_("履行期限"), widget=_date(), required=False)
    copies = forms.IntegerField(label=_("协议份数"), min_value=1, max_value=20, required=False)
    effective_on = forms.DateField(label=_("生效日期(签字盖章之日)"), widget=_date())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()


class NoAgreementForm(ActionForm):
    routes = forms.MultipleChoiceField(
        label=_("告知当事人的其他途径"),
        choices=list(ROUTES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ExtendForm(ActionForm):
    days = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("理由"), max_length=200)


class TransferForm(ActionForm):
    to_type = forms.ChoiceField(label=_("移交调解类型"), choices=MediationType.choices)
    to_body = forms.CharField(
        label=_("接收单位(司法所、派出所、法院)"), max_length=100, required=False
    )
    to_committee = forms.ModelChoiceField(
        label=_("接收调解委员会"), queryset=Committee.objects.none(), required=False
    )
    third_party = forms.ModelChoiceField(
        label=_("第三方调解组织"), queryset=ThirdParty.objects.none(), required=False
    )
    reason = forms.CharField(label=_("移交理由"), max_length=300)

    def __init__(
        self,
        *args: Any,
        committees: QuerySet[Committee],
        third_parties: QuerySet[ThirdParty],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["third_party"].queryset = third_parties  # type: ignore[attr-defined]


class ReceiveForm(ActionForm):
    received_by_name = forms.CharField(label=_("接收人"), max_length=50)


class ReturnForm(ActionForm):
    result = forms.CharField(label=_("接收单位处理结果"), max_length=300)
    settled = forms.BooleanField(label=_("已在接收单位化解,结案"), required=False)


class ApplyForm(ActionForm):
    court = forms.CharField(label=_("受理法院"), max_length=100)
    applied_on = forms.DateField(label=_("申请日期"), widget=_date())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applied_on"].initial = timezone.localdate()


class DecideForm(ActionForm):
    decision = forms.ChoiceField(label=_("法院裁定"), choices=Decision.choices)
    decided_on = forms.DateField(label=_("裁定日期"), widget=_date())
    note = forms.CharField(label=_("裁定说明"), max_length=300, required=False)
    remediate = forms.BooleanField(label=_("驳回后重新调解(否则告知起诉)"), required=False)


class FollowUpForm(ActionForm):
    visited_on = forms.DateField(label=_("回访日期"), widget=_date())
    result = forms.ChoiceField(label=_("履行情况"), choices=FollowUpResult.choices)
    note = forms.CharField(label=_("回访情况"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()


class NoteForm(ActionForm):
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class LinkCaseForm(ActionForm):
    case_number = forms.CharField(label=_("求助办件编号"), max_length=30)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("日期"))


class LookupForm(ActionForm):
    id_number = forms.CharField(
        label=_("当事人身份证号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("当事人身份证号"),
                "aria-label": _("当事人身份证号"),
                "class": "form-control w-auto",
            }
        ),
    )
    phone = forms.CharField(
        label=_("当事人手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("当事人手机号"),
                "inputmode": "tel",
                "class": "form-control w-auto",
            }
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("id_number") or "").strip() and not (data.get("phone") or "").strip():
            raise ValidationError(_("请填写身份证号或手机号。"))
        return data


class RevealForm(ActionForm):
    party = forms.IntegerField(widget=forms.HiddenInput)
    field = forms.ChoiceField(
        label=_("查看"), choices=[("id_number", _("身份证号")), ("phone", _("手机号"))]
    )
    reason = forms.CharField(label=_("事由"), max_length=200)


class CommitteeForm(ActionForm):
    unit = _Unit(label=_("所属单位"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("名称(留空自动生成)"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    multi_ethnic = forms.BooleanField(label=_("多民族聚居地区"), required=False, initial=True)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class MemberForm(ActionForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    ethnicity = forms.CharField(label=_("民族"), max_length=16, initial="汉族")
    role = forms.ChoiceField(label=_("职务"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    resolution_id = forms.TypedChoiceField(
        label=_("推选决议(平台记录)"), required=False, coerce=int, empty_value=None
    )
    resolution_ref = forms.CharField(
        label=_("或:平台上线前的纸质决议编号"), max_length=100, required=False
    )
    chosen_on = forms.DateField(
        label=_("推选日期"),
        widget=_date(),
        required=False,
        help_text=_("选了平台上的决议可不填,即决议日期"),
    )
    post = forms.ModelChoiceField(
        label=_("调解员岗位"), queryset=Post.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, posts: QuerySet[Post], resolutions: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]
        choices = [(r.id, f"{r.label}({r.decided_on:%Y-%m-%d})") for r in resolutions]
        if choices:
            self.fields["resolution_id"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        else:  # nothing on the platform to pick: the paper resolution's number only
            del self.fields["resolution_id"]
            self.fields["resolution_ref"].label = _("居(村)民会议推选决议编号")
            self.fields["chosen_on"].required = True
            self.fields["chosen_on"].help_text = ""


class AdvisorForm(ActionForm):
    unit = _Unit(label=_("服务村(社区)"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("法律顾问姓名"), max_length=50)
    firm = forms.CharField(label=_("律师事务所"), max_length=100)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    started_on = forms.DateField(label=_("聘任日期"), widget=_date())

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ActivityForm(ActionForm):
    kind = forms.ChoiceField(label=_("服务方式"), choices=ActivityKind.choices)
    on = forms.DateField(label=_("日期"), widget=_date())
    note = forms.CharField(label=_("内容"), max_length=300)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ThirdPartyForm(ActionForm):
    unit = _Unit(label=_("所在单位"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("类别"), choices=BodyKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100, required=False)
    resident_unit = forms.ModelChoiceField(
        label=_("驻区单位(共驻共建)"), queryset=ResidentUnit.objects.none(), required=False
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        resident_units: QuerySet[ResidentUnit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["resident_unit"].queryset = resident_units  # type: ignore[attr-defined]


class FiguresForm(forms.Form):
    first = forms.DateField(required=False)
    last = forms.DateField(required=False)

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        first, last = dt.date(today.year, 1, 1), today
        if self.is_valid():
            first = self.cleaned_data["first"] or first
            last = self.cleaned_data["last"] or last
        return (first, last) if first <= last else (last, first)
