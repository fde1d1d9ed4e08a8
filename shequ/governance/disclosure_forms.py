"""Forms of the disclosure pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.governance.forms import DATE, ActionForm, _token
from shequ.governance.models import CommitteeMember, DisclosureItem


class AtForm(forms.Form):
    """The date the calendar is read at, and the year shown."""

    at = forms.DateField(required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


class SettingForm(ActionForm):
    adopted_on = forms.DateField(
        label=_("纳入公开日历日期"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    frequent_finance = forms.BooleanField(label=_("集体财务往来较多(财务每月公开)"), required=False)
    board_location = forms.CharField(label=_("公开栏位置"), max_length=200, required=False)
    answer_days = forms.IntegerField(
        label=_("答复质询期限(天)"), min_value=1, max_value=60, initial=10
    )
    remind_days = forms.IntegerField(
        label=_("截止前几天提醒"), min_value=0, max_value=30, initial=5
    )


class DisclosureForm(ActionForm):
    item = forms.ModelChoiceField(label=_("公开事项"), queryset=DisclosureItem.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("公开内容"), widget=forms.Textarea(attrs={"rows": 6}))
    table = forms.CharField(
        label=_("表格(每行一条,用 | 或 Tab 分隔各栏,可从 Excel 粘贴)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachment = forms.FileField(label=_("附件(PDF/JPG/PNG,可选)"), required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]


class ReviewForm(ActionForm):
    reviewer = forms.ModelChoiceField(
        label=_("审核人(监督委员会成员)"), queryset=CommitteeMember.objects.none()
    )
    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[("approve", _("同意公开")), ("return", _("退回修改"))],
        widget=forms.RadioSelect,
        initial="approve",
    )
    note = forms.CharField(label=_("意见说明"), max_length=500, required=False)

    def __init__(self, *args: Any, members: list[CommitteeMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        field.queryset = CommitteeMember.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.pk for m in members]
        ).select_related("resident")
        field.label_from_instance = lambda m: f"{m.resident.name}({m.get_post_display()})"  # type: ignore[attr-defined]
        self.fields["decision"].widget.attrs["class"] = "form-check-input"


class PhotoForm(ActionForm):
    photo = forms.FileField(label=_("公开栏张贴照片(JPG/PNG/PDF)"))
    taken_on = forms.DateField(
        label=_("张贴日期"),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class QuestionForm(ActionForm):
    asker = forms.CharField(label=_("质询人"), max_length=50)
    text = forms.CharField(label=_("质询内容"), widget=forms.Textarea(attrs={"rows": 3}))
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=_token)


class AnswerForm(ActionForm):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintForm(ActionForm):
    complainant = forms.CharField(label=_("举报人"), max_length=50)
    text = forms.CharField(label=_("举报内容"), widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(
        label=_("收到日期"),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class CloseComplaintForm(ActionForm):
    outcome = forms.CharField(label=_("调查核实结果"), widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(
        label=_("办结日期"),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
