"""Forms of the building pages. Each create form carries a client token (a retry of the
same submission returns the first result); actions raise field errors the forms show."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.building.models import (
    EntryKind,
    FacilityItem,
    FiscalLevel,
    FundSource,
    GroupKind,
    MemberRole,
    PledgeMeasure,
    Procedure,
    ProjectKind,
    SixBits,
    Walk,
)
from shequ.orgs.models import OrgUnit, Post

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _token() -> str:
    return uuid.uuid4().hex


def style(form: forms.Form) -> None:
    """Bootstrap classes on every visible widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class ActionForm(forms.Form):
    """A form whose action may raise ValidationError with field names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class _Unit(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.get_kind_display()})"


def _choices(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class EntryForm(ActionForm):
    unit = _Unit(label=_("收款单位"), queryset=OrgUnit.objects.none())
    entry_date = forms.DateField(label=_("日期"), widget=DATE)
    year = forms.IntegerField(label=_("资金年度(默认为日期所在年)"), required=False)
    level = forms.ChoiceField(label=_("财政层级"), choices=FiscalLevel.choices)
    source = forms.ChoiceField(label=_("资金来源"), choices=FundSource.choices)
    six_bits = forms.ChoiceField(label=_("六个一点"), choices=SixBits.choices)
    kind = forms.ChoiceField(label=_("类别"), choices=EntryKind.choices)
    amount = forms.CharField(label=_("金额(元)"), max_length=20)
    document_ref = forms.CharField(label=_("文件依据"), max_length=100, required=False)
    note = forms.CharField(label=_("摘要"), max_length=200, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["entry_date"].initial = timezone.localdate()


class ReverseForm(ActionForm):
    reason = forms.CharField(label=_("冲销原因"), max_length=150)
    entry_date = forms.DateField(label=_("冲销日期"), widget=DATE, required=False)


class LedgerFilterForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    first = forms.DateField(label=_("起"), widget=DATE, required=False)
    last = forms.DateField(label=_("止"), widget=DATE, required=False)
    level = forms.ChoiceField(
        label=_("财政层级"), choices=_choices(FiscalLevel.choices), required=False
    )
    source = forms.ChoiceField(
        label=_("资金来源"), choices=_choices(FundSource.choices), required=False
    )
    six_bits = forms.ChoiceField(
        label=_("六个一点"), choices=_choices(SixBits.choices), required=False
    )
    kind = forms.ChoiceField(label=_("类别"), choices=_choices(EntryKind.choices), required=False)
    by = forms.ChoiceField(
        label=_("汇总方式"),
        required=False,
        choices=[
            ("source", _("按资金来源")),
            ("level", _("按财政层级")),
            ("six_bits", _("按六个一点")),
            ("kind", _("按类别")),
            ("year", _("按年度")),
            ("unit", _("按收款单位")),
            ("project", _("按项目")),
        ],
    )


class ProjectForm(ActionForm):
    unit = _Unit(label=_("实施单位"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("项目名称"), max_length=100)
    kind = forms.ChoiceField(label=_("项目类型"), choices=ProjectKind.choices)
    procedure = forms.ChoiceField(label=_("程序"), choices=Procedure.choices)
    budget = forms.CharField(label=_("预算(元)"), max_length=20)
    plan_self_raised = forms.CharField(
        label=_("计划:一事一议自筹(元)"), max_length=20, required=False
    )
    plan_fiscal = forms.CharField(label=_("计划:财政奖补(元)"), max_length=20, required=False)
    plan_other = forms.CharField(label=_("计划:其他来源(元)"), max_length=20, required=False)
    resolution_ref = forms.CharField(label=_("村民会议决议文号"), max_length=100, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def plan(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            FundSource.CASE_SELF_RAISED: data["plan_self_raised"],
            FundSource.RURAL_FISCAL: data["plan_fiscal"],
            FundSource.OTHER: data["plan_other"],
        }


class DecisionForm(ActionForm):
    note = forms.CharField(label=_("意见"), max_length=200, required=False)
    resolution_id = forms.TypedChoiceField(
        label=_("村民会议决议(平台记录)"), required=False, coerce=int, empty_value=None
    )
    resolution_ref = forms.CharField(label=_("或:平台外的决议文号"), max_length=100, required=False)

    def __init__(self, *args: Any, resolutions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["resolution_id"]
        field.choices = [("", "—"), *((r.id, r.label) for r in resolutions)]  # type: ignore[attr-defined]


class ProgressForm(ActionForm):
    progress = forms.IntegerField(label=_("进度(%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    photo = forms.FileField(label=_("现场照片(JPG/PNG/PDF)"), required=False)


class SubsidyForm(ActionForm):
    amount = forms.CharField(label=_("补助金额(元)"), max_length=20)
    level = forms.ChoiceField(label=_("财政层级"), choices=FiscalLevel.choices, initial="county")
    source = forms.ChoiceField(
        label=_("资金来源"),
        choices=[
            (FundSource.RURAL_FISCAL, FundSource.RURAL_FISCAL.label),
            (FundSource.REWARD_SUBSIDY, FundSource.REWARD_SUBSIDY.label),
            (FundSource.PROJECT_SUBSIDY, FundSource.PROJECT_SUBSIDY.label),
            (FundSource.COUNTY_FUND, FundSource.COUNTY_FUND.label),
        ],
    )
    entry_date = forms.DateField(label=_("拨付日期"), widget=DATE, required=False)
    document_ref = forms.CharField(label=_("文件依据"), max_length=100, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)


class VillagersShareForm(ActionForm):
    """Villagers' money raised for a 一事一议 project (筹资筹劳), entered by the county bureau."""

    amount = forms.CharField(label=_("村民自筹到位金额(元)"), max_length=20)
    entry_date = forms.DateField(label=_("到位日期"), widget=DATE, required=False)
    document_ref = forms.CharField(
        label=_("依据(如筹资筹劳公示、收款凭证号)"), max_length=100, required=False
    )
    note = forms.CharField(label=_("摘要"), max_length=200, required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)


class CheckForm(ActionForm):
    item = forms.ModelChoiceField(label=_("设施"), queryset=FacilityItem.objects.none())
    present = forms.TypedChoiceField(
        label=_("核查结果"),
        choices=[("1", _("达标")), ("0", _("不达标"))],
        coerce=lambda v: v == "1",
    )
    checked_on = forms.DateField(label=_("核查日期"), widget=DATE, required=False)
    photo = forms.FileField(label=_("照片或文件(JPG/PNG/PDF)"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["item"].queryset = items  # type: ignore[attr-defined]


class AreaForm(ActionForm):
    area_m2 = forms.CharField(label=_("服务中心面积(平方米)"), max_length=12)
    checked_on = forms.DateField(label=_("核查日期"), widget=DATE, required=False)
    photo = forms.FileField(label=_("测绘、房产证明或照片"), required=False)


class EvidenceForm(ActionForm):
    item = forms.ModelChoiceField(
        label=_("设施(留空为服务中心面积)"), queryset=FacilityItem.objects.none(), required=False
    )
    file = forms.FileField(label=_("照片或文件(JPG/PNG/PDF)"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["item"].queryset = items  # type: ignore[attr-defined]


class GroupForm(ActionForm):
    unit = _Unit(label=_("所属单位"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=GroupKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    established_on = forms.DateField(label=_("成立日期"), widget=DATE)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class _Post(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.display_name} {obj.unit.name}{obj.get_role_display()}"


class MemberForm(ActionForm):
    role = forms.ChoiceField(label=_("职务"), choices=MemberRole.choices)
    walk = forms.ChoiceField(label=_("身份"), choices=_choices(Walk.choices), required=False)
    post = _Post(label=_("平台岗位(可选)"), queryset=Post.objects.none(), required=False)
    name = forms.CharField(label=_("姓名或成员单位"), max_length=100, required=False)
    position = forms.CharField(label=_("职务说明"), max_length=100, required=False)
    duties = forms.CharField(
        label=_("职责"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    since = forms.DateField(label=_("任职日期"), widget=DATE, required=False)

    def __init__(self, *args: Any, posts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if posts is not None:
            self.fields["post"].queryset = posts  # type: ignore[attr-defined]


class DocumentForm(ActionForm):
    unit = _Unit(label=_("发文单位"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    number = forms.CharField(label=_("文号"), max_length=60, required=False)
    issuer = forms.CharField(label=_("发文机关"), max_length=100)
    issued_on = forms.DateField(label=_("发文日期"), widget=DATE)
    file = forms.FileField(label=_("文件(PDF/JPG/PNG)"), required=False)
    items = forms.ModelMultipleChoiceField(
        label=_("相关设施标准"), queryset=FacilityItem.objects.filter(active=True), required=False
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PledgeForm(ActionForm):
    unit = _Unit(label=_("承诺政府"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("实事"), max_length=200)
    measure = forms.ChoiceField(label=_("计量"), choices=PledgeMeasure.choices)
    target = forms.CharField(label=_("目标"), max_length=20)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class PledgeReportForm(ActionForm):
    value = forms.CharField(label=_("累计完成"), max_length=20)
    note = forms.CharField(label=_("说明"), max_length=200)
    evidence = forms.FileField(label=_("佐证(PDF/JPG/PNG)"))
