"""Forms of the deliberation pages (staff) and of the portal (residents). Create forms
carry a client token: a retried submission returns the first record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.governance.forms import DATE, ActionForm, _style, _token
from shequ.governance.models import ConsultationForm, Outcome, Resolution, Result, TopicSource
from shequ.orgs.models import Post
from shequ.people.models import ResidentUnit

PARTICIPANT_ROWS = 6


def _date(label: Any, **kw: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kw)


def _text(label: Any, rows: int = 3, **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kw)


class TopicForm(ActionForm):
    """Staff filing a topic: their own (committee, grid worker, township) or on behalf of
    a resident or a resident unit."""

    source = forms.ChoiceField(label=_("提出方"), choices=TopicSource.choices)
    proposer_name = forms.CharField(label=_("提出人"), max_length=100)
    resident_unit = forms.ModelChoiceField(
        label=_("驻区单位"), queryset=ResidentUnit.objects.none(), required=False
    )
    contact = forms.CharField(label=_("提出人手机(用于告知进展)"), max_length=20, required=False)
    title = forms.CharField(label=_("议题"), max_length=200)
    description = _text(_("议题说明"), 4, max_length=5000)
    concerned = _text(_("利益相关方"), 2, max_length=5000)
    major = forms.BooleanField(label=_("重大事项(须经村(居)民会议或代表会议决定)"), required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)

    def __init__(self, *args: Any, units: QuerySet[ResidentUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident_unit"].queryset = units  # type: ignore[attr-defined]


class ResidentTopicForm(ActionForm):
    """A resident proposing a topic on the portal."""

    title = forms.CharField(label=_("议题"), max_length=200)
    description = _text(_("想商量的事情"), 4, max_length=5000)
    concerned = _text(_("涉及哪些居民或单位"), 2, max_length=5000)
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)


class DeclineForm(ActionForm):
    reason = _text(_("不予受理的理由(提出人可见)"), 2, max_length=1000)


class NoticeForm(ActionForm):
    text = _text(_("协商预告(时间、地点、形式、参与人)"), 3, max_length=5000)
    notice_on = _date(_("预告日期"), initial=timezone.localdate)


class ConsultationRecordForm(ActionForm):
    form = forms.ChoiceField(label=_("协商形式"), choices=ConsultationForm.choices)
    held_on = _date(_("协商日期"), initial=timezone.localdate)
    place = forms.CharField(label=_("地点或方式"), max_length=200)
    record = _text(_("协商记录"), 4, max_length=20000)
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, PARTICIPANT_ROWS + 1):
            self.fields[f"name_{n}"] = forms.CharField(
                label=_("参与人 %(n)d") % {"n": n}, max_length=50, required=n == 1
            )
            self.fields[f"capacity_{n}"] = forms.CharField(
                label=_("身份 %(n)d") % {"n": n}, max_length=50, required=False
            )
            self.fields[f"position_{n}"] = forms.CharField(
                label=_("意见立场 %(n)d") % {"n": n}, max_length=2000, required=False
            )
            self.fields[f"contact_{n}"] = forms.CharField(
                label=_("手机 %(n)d") % {"n": n}, max_length=20, required=False
            )

        _style(self)

    def rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [
            (self[f"name_{n}"], self[f"capacity_{n}"], self[f"position_{n}"], self[f"contact_{n}"])
            for n in range(1, PARTICIPANT_ROWS + 1)
        ]

    def participants(self) -> list[tuple[str, str, str, str]]:
        d = self.cleaned_data
        return [
            (
                d[f"name_{n}"],
                d.get(f"capacity_{n}") or str(_("居民")),
                d.get(f"position_{n}", ""),
                d.get(f"contact_{n}", ""),
            )
            for n in range(1, PARTICIPANT_ROWS + 1)
            if d.get(f"name_{n}")
        ]


class OutcomeForm(ActionForm):
    outcome = forms.ChoiceField(label=_("协商结果"), choices=Outcome.choices)
    text = _text(_("协商结果说明"), 3, max_length=5000)
    referred_to = forms.CharField(label=_("提交至(提交上级时)"), max_length=100, required=False)
    decided_on = _date(_("形成结果日期"), initial=timezone.localdate)


class LinkResolutionForm(ActionForm):
    resolution = forms.ModelChoiceField(label=_("会议决议"), queryset=Resolution.objects.none())

    def __init__(self, *args: Any, resolutions: QuerySet[Resolution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = resolutions  # type: ignore[attr-defined]


class _PostChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name or obj.user.username} · {obj.get_role_display()}"


class ResultForm(ActionForm):
    title = forms.CharField(label=_("落实事项"), max_length=200)
    responsible = forms.CharField(label=_("责任岗位"), max_length=100)
    post = _PostChoice(label=_("责任人"), queryset=Post.objects.none(), required=False)
    due_on = _date(_("完成期限"))
    parent = forms.ModelChoiceField(
        label=_("上级成果"), queryset=Result.objects.none(), required=False
    )
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)

    def __init__(
        self, *args: Any, posts: QuerySet[Post], parents: QuerySet[Result], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class MilestoneForm(ActionForm):
    happened_on = _date(_("日期"), initial=timezone.localdate)
    progress = forms.IntegerField(label=_("进度(%)"), min_value=0, max_value=100)
    text = _text(_("进展情况"), 2, max_length=5000)
    photo = forms.FileField(label=_("照片"), required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)


class DatedTextForm(ActionForm):
    text = _text(_("内容"), 3, max_length=5000)
    on = _date(_("日期"), initial=timezone.localdate)


class HideCommentForm(ActionForm):
    reason = forms.CharField(label=_("隐藏理由"), max_length=200)


class CommentPostForm(ActionForm):
    text = _text(_("我的意见"), 3, max_length=2000)
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)
