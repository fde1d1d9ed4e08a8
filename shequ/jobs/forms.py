"""Forms of the jobs pages. Each create form carries a client token (a retry of the same
submission returns the first result); the actions do the real checking."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.jobs.models import (
    OUTCOMES,
    ActivityType,
    DifficultyCategory,
    PlacementSource,
    ReferralStatus,
    SchoolStage,
    SeekerKind,
)
from shequ.orgs.models import OrgUnit
from shequ.people.models import Resident, Trade

POST_ROWS = 3


def _token() -> str:
    return uuid.uuid4().hex


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ActionForm(forms.Form):
    """A form whose action may raise ValidationError with field names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs.setdefault("class", css)

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class ReportForm(ActionForm):
    """A month's report with up to three posts (blank rows are left out)."""

    month = forms.ChoiceField(label=_("报告月份"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, months: list[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [  # type: ignore[attr-defined]
            (m.isoformat(), f"{m:%Y-%m}") for m in months
        ]
        groups = [(c.code, c.name) for c in DifficultyCategory.objects.filter(active=True)]
        for n in range(POST_ROWS):
            self.fields[f"post_{n}"] = forms.CharField(
                label=_("岗位名称"), max_length=50, required=False
            )
            self.fields[f"headcount_{n}"] = forms.IntegerField(
                label=_("人数"), min_value=1, max_value=999, required=False
            )
            self.fields[f"trade_{n}"] = forms.ChoiceField(
                label=_("行业"), choices=[("", "—"), *Trade.choices], required=False
            )
            self.fields[f"skills_{n}"] = forms.CharField(
                label=_("技能要求"), max_length=200, required=False
            )
            self.fields[f"requirements_{n}"] = forms.CharField(
                label=_("其他要求"), max_length=300, required=False
            )
            self.fields[f"pay_min_{n}"] = forms.DecimalField(
                label=_("月薪下限(元)"), min_value=0, max_digits=8, decimal_places=2, required=False
            )
            self.fields[f"pay_max_{n}"] = forms.DecimalField(
                label=_("月薪上限(元)"), min_value=0, max_digits=8, decimal_places=2, required=False
            )
            self.fields[f"valid_until_{n}"] = _date(_("有效期至"), required=False)
            self.fields[f"target_groups_{n}"] = forms.MultipleChoiceField(
                label=_("面向人群"),
                choices=groups,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"for_zero_households_{n}"] = forms.BooleanField(
                label=_("优先零就业家庭"), required=False
            )
        for name, field in self.fields.items():
            if name.startswith(("post_", "headcount_", "skills_", "requirements_", "pay_")) or (
                name.startswith("valid_until_")
            ):
                field.widget.attrs.setdefault("class", "form-control")
            elif name.startswith("trade_"):
                field.widget.attrs.setdefault("class", "form-select")
            elif name.startswith("for_zero"):
                field.widget.attrs.setdefault("class", "form-check-input")

    def rows(self) -> list[list[forms.BoundField]]:
        names = [
            "post",
            "headcount",
            "trade",
            "skills",
            "requirements",
            "pay_min",
            "pay_max",
            "valid_until",
            "target_groups",
            "for_zero_households",
        ]
        return [[self[f"{k}_{n}"] for k in names] for n in range(POST_ROWS)]

    def vacancies(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        out = []
        for n in range(POST_ROWS):
            row = {
                k: data.get(f"{k}_{n}")
                for k in (
                    "post",
                    "headcount",
                    "trade",
                    "skills",
                    "requirements",
                    "pay_min",
                    "pay_max",
                    "valid_until",
                    "target_groups",
                    "for_zero_households",
                )
            }
            if row["post"] or row["headcount"]:
                out.append(row)
        return out

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                if field.startswith("vacancies."):
                    _v, n, key = [*field.split("."), "", ""][:3]
                    name = f"{key}_{n}"
                    self.add_error(name if name in self.fields else None, errors)
                else:
                    self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class SeekerForm(ActionForm):
    kind = forms.ChoiceField(label=_("登记类型"), choices=SeekerKind.choices)
    registered_on = _date(_("登记日期"))
    skills = forms.CharField(label=_("技能(用顿号分隔)"), max_length=200, required=False)
    wishes = forms.CharField(label=_("求职意向"), max_length=200, required=False)
    wished_trades = forms.MultipleChoiceField(
        label=_("意向行业"), choices=Trade.choices, required=False
    )
    availability = forms.CharField(label=_("可工作时间"), max_length=100, required=False)
    categories = forms.MultipleChoiceField(
        label=_("就业困难人员类别"), required=False, widget=forms.CheckboxSelectMultiple
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = timezone.localdate()
        self.fields["categories"].choices = [  # type: ignore[attr-defined]
            (c.code, c.name) for c in DifficultyCategory.objects.filter(active=True)
        ]
        self.fields["wished_trades"].widget.attrs["size"] = 5


class ContactForm(ActionForm):
    on = _date(_("联系日期"))
    note = forms.CharField(label=_("联系情况"), max_length=200, required=False)


class EndSeekerForm(ActionForm):
    on = _date(_("注销日期"))
    reason = forms.CharField(label=_("注销原因"), max_length=100)


class PlacementForm(ActionForm):
    employer = forms.CharField(label=_("就业单位"), max_length=100)
    post = forms.CharField(label=_("岗位"), max_length=50, required=False)
    source = forms.ChoiceField(
        label=_("就业渠道"),
        choices=[c for c in PlacementSource.choices if c[0] != PlacementSource.REFERRAL],
    )
    started_on = _date(_("上岗日期"))
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)


class ReferForm(ActionForm):
    seeker = forms.IntegerField(widget=forms.HiddenInput)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)


class OutcomeForm(ActionForm):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("结果"), choices=[(c, ReferralStatus(c).label) for c in OUTCOMES]
    )
    on = _date(_("结果日期"))
    confirmed_by_name = forms.CharField(label=_("单位确认人"), max_length=50, required=False)


class CloseForm(ActionForm):
    reason = forms.CharField(label=_("关闭原因"), max_length=200)


class TrainingForm(ActionForm):
    unit = forms.ModelChoiceField(label=_("举办单位"), queryset=OrgUnit.objects.none())
    skill = forms.CharField(label=_("培训工种"), max_length=50)
    provider = forms.CharField(label=_("培训机构"), max_length=100)
    starts_on = _date(_("开班日期"))
    ends_on = _date(_("结业日期"))
    place = forms.CharField(label=_("地点"), max_length=100)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=500)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class EnrolForm(ActionForm):
    seeker = forms.IntegerField(label=_("求职人员编号"), widget=forms.HiddenInput)


class AttendanceForm(ActionForm):
    day = _date(_("日期"))
    present = forms.MultipleChoiceField(
        label=_("出勤学员"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = choices  # type: ignore[attr-defined]


class CompleteForm(ActionForm):
    on = _date(_("结业日期"))


class FollowUpForm(ActionForm):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    on = _date(_("回访日期"))
    note = forms.CharField(label=_("回访情况"), max_length=200)


class ActivityForm(ActionForm):
    kind = forms.ModelChoiceField(label=_("服务类型"), queryset=ActivityType.objects.none())
    title = forms.CharField(label=_("活动名称"), max_length=100)
    held_on = _date(_("日期"))
    place = forms.CharField(label=_("地点"), max_length=100)
    provider = forms.CharField(label=_("服务提供方"), max_length=100, required=False)
    reached = forms.ModelMultipleChoiceField(
        label=_("服务对象(本社区登记的流动人口)"),
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others_reached = forms.IntegerField(
        label=_("未登记的其他参加人数"), min_value=0, max_value=100000, initial=0
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, floating: QuerySet[Resident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ActivityType.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["reached"].queryset = floating  # type: ignore[attr-defined]


class SchoolHelpForm(ActionForm):
    resident = forms.ModelChoiceField(label=_("家长(流动人口)"), queryset=Resident.objects.none())
    child_name = forms.CharField(label=_("子女姓名"), max_length=50)
    stage = forms.ChoiceField(label=_("学段"), choices=SchoolStage.choices)
    wished_school = forms.CharField(label=_("意向学校"), max_length=100, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, parents: QuerySet[Resident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = parents  # type: ignore[attr-defined]


class FiguresForm(forms.Form):
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    first = _date(_("起"), required=False)
    last = _date(_("止"), required=False)
