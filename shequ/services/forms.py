from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from shequ.orgs.models import OrgUnit
from shequ.orgs.ratelimit import RateLimited
from shequ.people.access import residents_for_user
from shequ.people.forms import BootstrapForm, TokenMixin
from shequ.people.search import search_residents
from shequ.services.models import (
    ApplicantKind,
    Channel,
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


# --- cases ----------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def item_initials(name: str) -> str:
    """Pinyin initials of an item's name: 最低生活保障申请 → ``zdshbzsq``."""
    return "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


class ItemSelect(forms.Select):
    """The plain select of items; each option carries what the type-ahead matches (code,
    name, pinyin initials), so ``services/typeahead.js`` filters it in the page."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"data-typeahead": "", **(attrs or {})})

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        item = getattr(value, "instance", None)
        if isinstance(item, ServiceItem):
            option["attrs"]["data-search"] = (
                f"{item.code} {item.name} {item_initials(item.name)}".lower()
            )
        return option


class CaseReceiveForm(TokenMixin, BootstrapForm):
    unit = forms.ModelChoiceField(label=_("登记单位"), queryset=OrgUnit.objects.none())
    item = forms.ModelChoiceField(
        label=_("事项"),
        queryset=ServiceItem.objects.none(),
        to_field_name="code",
        widget=ItemSelect(attrs={"data-filter-label": _("筛选事项:名称、编码或拼音首字母")}),
    )
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices)
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    resident_id_number = forms.CharField(
        label=_("居民身份证号"), max_length=24, required=False, help_text=_("申请人为居民时填写")
    )
    org_name = forms.CharField(label=_("单位名称"), max_length=100, required=False)
    org_credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    contact_name = forms.CharField(label=_("联系人或来电人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    summary = forms.CharField(
        label=_("诉求摘要"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The resident already chosen (from the resident page, or found by a first submit),
    # so a confirm step does not look the ID number up again.
    resident = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1
    )
    confirm_duplicate = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        items: QuerySet[ServiceItem],
        user: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["item"].queryset = items.order_by("code")  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {i.name}"  # type: ignore[attr-defined]
        if units.count() == 1:
            self.initial.setdefault("unit", units.first())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("resident")
        data["resident"] = None
        #: an ID number typed but not in the registry: the page offers to register it
        self.unknown_id_number = ""
        if data.get("applicant_kind") == ApplicantKind.RESIDENT:
            number = (data.get("resident_id_number") or "").strip()
            if chosen:
                data["resident"] = residents_for_user(self.user).filter(pk=chosen).first()
                if data["resident"] is None:
                    self.add_error(None, _("在您的管辖范围内未找到该居民。"))
            elif not number:
                self.add_error("resident_id_number", _("请填写申请人的身份证号。"))
            else:
                try:
                    data["resident"] = search_residents(self.user, q=number).first()
                except RateLimited:
                    self.add_error("resident_id_number", _("查找过于频繁,请稍后再试。"))
                    return data
                if data["resident"] is None:
                    self.unknown_id_number = number
                    self.add_error(
                        "resident_id_number", _("在您的管辖范围内未找到该居民,请先登记居民信息。")
                    )
        return data


class CaseStepForm(BootstrapForm):
    """The inputs of any step; each step's view reads only the ones it needs."""

    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.CharField(label=_("办理结果"), required=False)
    reason = forms.CharField(label=_("不予受理理由"), required=False)
    legal_basis = forms.CharField(label=_("法律依据"), required=False)
    missing = forms.MultipleChoiceField(
        label=_("需补正的材料(勾选缺少或不合格的)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    missing_other = forms.CharField(
        label=_("其他需补正的内容"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("材料清单以外的,每行一项"),
    )
    deferred_materials = forms.MultipleChoiceField(
        label=_("容缺材料"), required=False, widget=forms.CheckboxSelectMultiple
    )
    materials_due_on = forms.DateField(
        label=_("容缺材料补交期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(label=_("延长工作日"), required=False, min_value=1, max_value=30)
    to_unit = forms.ModelChoiceField(
        label=_("报送单位"), queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        deferrable: list[str] | None = None,
        materials: list[str] | None = None,
        up_units: QuerySet[OrgUnit] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deferred_materials"].choices = [(m, m) for m in deferrable or []]  # type: ignore[attr-defined]
        self.fields["missing"].choices = [(m, m) for m in materials or []]  # type: ignore[attr-defined]
        if up_units is not None:
            self.fields["to_unit"].queryset = up_units  # type: ignore[attr-defined]

    @property
    def missing_list(self) -> list[str]:
        """The ticked materials, in the item's order, then the other lines; each once."""
        names = [*self.cleaned_data.get("missing", [])]
        names += [line.strip() for line in self.cleaned_data.get("missing_other", "").splitlines()]
        return list(dict.fromkeys(n for n in names if n))


# --- the hall, ratings, rectification ------------------------------------------------


class KioskForm(TokenMixin, BootstrapForm):
    """Take a number: a service type, and a name or the ID card number."""

    window_type = forms.ModelChoiceField(
        label=_("办理业务"),
        queryset=WindowType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    id_number = forms.CharField(label=_("身份证号(老用户)"), max_length=18, required=False)

    def __init__(self, *args: Any, window_types: list[WindowType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["window_type"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = WindowType.objects.filter(pk__in=[w.pk for w in window_types])
        field.widget.attrs["class"] = "form-check-input"


class ServeTicketForm(TokenMixin, BootstrapForm):
    item = forms.ModelChoiceField(label=_("事项"), queryset=ServiceItem.objects.none())
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, help_text=_("未登记居民必填")
    )
    summary = forms.CharField(label=_("诉求摘要"), required=False, max_length=500)
    result = forms.CharField(
        label=_("办理结果"),
        required=False,
        max_length=500,
        help_text=_("即办件当场办结时填写;不填则转到办件页继续办理"),
    )

    def __init__(self, *args: Any, items: QuerySet[ServiceItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = items


GRADE_CHOICES = [
    (5, _("非常满意")),
    (4, _("满意")),
    (3, _("基本满意")),
    (2, _("不满意")),
    (1, _("非常不满意")),
]


class RatingForm(TokenMixin, BootstrapForm):
    grade = forms.TypedChoiceField(
        label=_("总体评价"), choices=GRADE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见和建议"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, criteria: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].widget.attrs["class"] = "form-check-input"
        self.criteria_keys = [key for key in criteria if key != "overall"]
        for key in self.criteria_keys:
            self.fields[f"c_{key}"] = forms.TypedChoiceField(
                label=criteria[key],
                choices=[("", "—"), *GRADE_CHOICES],
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"c_{key}"].widget.attrs["class"] = "form-select"

    def criteria(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(f"c_{key}") for key in self.criteria_keys}


class NoteForm(BootstrapForm):
    note = forms.CharField(
        label=_("说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    second_grade = forms.TypedChoiceField(
        label=_("回访评价"),
        choices=[("", "—"), (4, _("满意")), (3, _("基本满意")), (2, _("不满意"))],
        coerce=int,
        required=False,
        empty_value=None,
    )
