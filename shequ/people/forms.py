from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit
from shequ.people.models import (
    ETHNICITIES,
    Category,
    DisabilityLevel,
    Gender,
    RegistrationType,
    Relation,
    ResidentStatus,
    ResidentUnitStatus,
    Trade,
    UnitSize,
)

# The largest primary key a BIGINT column holds.
_MAX_PK = 2**63 - 1


def _too_big(value: Any) -> bool:
    values = value if isinstance(value, list | tuple) else [value]
    for v in values:
        text = str(v).strip().lstrip("+-")
        if text.isdigit() and int(text) > _MAX_PK:
            return True
    return False


def guard_choice_fields(form: forms.Form) -> None:
    """A choice of a row by an id past BIGINT is an invalid choice, not a 500: SQLite
    cannot even bind such a number (OverflowError, issue 11). For every form with model
    choices (people's, services', agency's)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            original = field.clean

            def clean(value: Any, _original: Any = original, _field: Any = field) -> Any:
                if _too_big(value):
                    raise ValidationError(
                        _field.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(value)[:40]},
                    )
                return _original(value)

            field.clean = clean  # type: ignore[method-assign]


class BootstrapForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guard_choice_fields(self)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                # RadioSelect covers CheckboxSelectMultiple: a class for each box
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def add_action_errors(self, error: ValidationError) -> None:
        """Errors raised by an action, shown next to the field they concern."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                target = name if name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class TokenMixin(forms.Form):
    """A client token so a double submit creates one row (DESIGN rule 4)."""

    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4().hex)


def _units_field(units: QuerySet[OrgUnit]) -> forms.ModelChoiceField[OrgUnit]:
    field: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(
        queryset=units.order_by("path"), label=_("所属社区或网格")
    )
    field.label_from_instance = lambda u: (  # type: ignore[method-assign,assignment]
        f"{'　' * max(len(u.path) // OrgUnit.steplen - 4, 0)}{u.name}"
    )
    return field


class ResidentForm(TokenMixin, BootstrapForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=24,
        help_text=_("18位;旧15位号码会自动转换。"),
    )
    gender = forms.ChoiceField(
        label=_("性别"),
        choices=[("", _("按身份证号")), *list(Gender.choices)],
        required=False,
    )
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("可不填,按身份证号计算;填写时须一致。"),
    )
    ethnicity = forms.ChoiceField(
        label=_("民族"), choices=[(e, e) for e in ETHNICITIES], initial="汉族"
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    registration_type = forms.ChoiceField(
        label=_("户籍类型"), choices=RegistrationType.choices, initial=RegistrationType.REGISTERED
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _units_field(units), **self.fields}
        self.fields["unit"].widget.attrs["class"] = "form-select"
        if editing:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("不修改请留空(完整号码不在此显示)。")
            self.fields["birth_date"].help_text = _("按身份证号计算;只在修改身份证号时填写。")
            self.fields["phone"].help_text = _("不修改请保留原值;清空则删除手机号。")
            del self.fields["client_token"]

    RESIDENT_FIELDS = (
        "unit", "name", "id_number", "gender", "birth_date", "ethnicity", "phone", "address",
        "registration_type",
    )  # fmt: skip

    def resident_data(self) -> dict[str, Any]:
        """The cleaned fields as the registry's actions take them (``do_register_resident``,
        ``do_update_resident``)."""
        return {name: self.cleaned_data[name] for name in self.RESIDENT_FIELDS}


class SearchForm(BootstrapForm):
    q = forms.CharField(
        label=_("查找"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("姓名、拼音首字母、身份证号或手机号")}),
    )
    category = forms.ModelChoiceField(
        label=_("帮扶类别"), queryset=Category.objects.filter(active=True), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *list(ResidentStatus.choices)], required=False
    )
    registration_type = forms.ChoiceField(
        label=_("户籍类型"),
        choices=[("", _("全部")), *list(RegistrationType.choices)],
        required=False,
    )
    unit = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RevealForm(BootstrapForm):
    field = forms.ChoiceField(
        choices=[("id_number", _("身份证号")), ("phone", _("手机号"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("查看事由"), max_length=200)


class StatusForm(BootstrapForm):
    status = forms.ChoiceField(label=_("状态"), choices=ResidentStatus.choices)
    on = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class GrantForm(BootstrapForm):
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=Category.objects.filter(active=True)
    )
    level = forms.ChoiceField(
        label=_("等级"),
        choices=[("", _("不适用")), *list(DisabilityLevel.choices)],
        required=False,
    )
    valid_from = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.CharField(label=_("认定依据"), max_length=200)


class FloatingForm(BootstrapForm):
    origin = forms.CharField(label=_("来源地"), max_length=100)
    arrived_on = forms.DateField(
        label=_("来本地日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    has_permit = forms.BooleanField(label=_("已办居住证"), required=False)
    permit_expires_on = forms.DateField(
        label=_("居住证有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    workplace = forms.CharField(label=_("工作单位或地点"), max_length=100, required=False)
    school_age_children = forms.IntegerField(
        label=_("随迁学龄子女人数"), min_value=0, max_value=20, initial=0
    )
    children_note = forms.CharField(label=_("子女就学情况"), max_length=200, required=False)


class HouseholdForm(TokenMixin, BootstrapForm):
    number = forms.CharField(label=_("户号"), max_length=32, required=False)
    address = forms.CharField(label=_("住址"), max_length=200, required=False)


class MemberForm(BootstrapForm):
    who = forms.CharField(
        label=_("居民"),
        max_length=24,
        help_text=_("填写本社区居民的身份证号或居民编号。"),
    )
    relation = forms.ChoiceField(
        label=_("与户主关系"), choices=[c for c in Relation.choices if c[0] != Relation.HEAD]
    )


class CategoryForm(BootstrapForm):
    code = forms.SlugField(label=_("代码"), max_length=32, help_text=_("英文,如 veteran"))
    name = forms.CharField(label=_("名称"), max_length=50)
    has_level = forms.BooleanField(label=_("需填写等级"), required=False)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class ImportForm(BootstrapForm):
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _units_field(units), **self.fields}
        self.fields["unit"].label = _("导入到")
        self.fields["unit"].widget.attrs["class"] = "form-select"

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise ValidationError(_("请上传 .xlsx 格式的 Excel 文件(可先下载导入模板)。"))
        if f.size > 50 * 1024 * 1024:
            raise ValidationError(_("文件不能超过50MB,请拆分后导入。"))
        return f


class ExportForm(BootstrapForm):
    reveal = forms.BooleanField(label=_("导出完整号码"), required=False)
    reason = forms.CharField(label=_("事由"), max_length=200, required=False)


# --- resident units ----------------------------------------------------------------------


class ResidentUnitForm(TokenMixin, BootstrapForm):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=24, help_text=_("18位,见营业执照或登记证书。")
    )
    trade = forms.ChoiceField(label=_("行业"), choices=[("", "—"), *list(Trade.choices)])
    size = forms.ChoiceField(label=_("规模"), choices=[("", "—"), *list(UnitSize.choices)])
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("联系人手机"),
        max_length=20,
        required=False,
        help_text=_("空岗位报告提醒以短信发到此号码。"),
    )
    co_building = forms.BooleanField(label=_("参加共驻共建"), required=False)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _units_field(units), **self.fields}
        self.fields["unit"].widget.attrs["class"] = "form-select"
        if editing:
            self.fields["contact_phone"].help_text = _("不修改请保留原值;清空则删除手机号。")
            del self.fields["client_token"]


class ResidentUnitSearchForm(BootstrapForm):
    q = forms.CharField(
        label=_("查找"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("单位名称、信用代码或联系人手机")}),
    )
    trade = forms.ChoiceField(
        label=_("行业"), choices=[("", _("全部")), *list(Trade.choices)], required=False
    )
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部")), *list(ResidentUnitStatus.choices)],
        required=False,
    )
    co_building = forms.BooleanField(label=_("只看共驻共建单位"), required=False)
    unit = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ResidentUnitStatusForm(BootstrapForm):
    status = forms.ChoiceField(label=_("状态"), choices=ResidentUnitStatus.choices)
    on = forms.DateField(
        label=_("迁离或注销日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("查看事由"), max_length=200)
