"""Forms of the governance pages. Each create form carries a client token (a retry of
the same submission returns the first result)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.governance.models import (
    Basis,
    CommentChannel,
    Committee,
    CommitteeMember,
    Group,
    Matter,
    MeetingType,
    MemberPost,
    Rating,
    Resolution,
    VoteMethod,
)
from shequ.orgs.models import OrgUnit
from shequ.people.forms import guard_choice_fields
from shequ.people.models import Household, Resident

AGENDA_ROWS = 5
DATE = {"type": "date"}


def _token() -> str:
    return uuid.uuid4().hex


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class ActionForm(forms.Form):
    """A form whose action may raise ValidationError with field names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)


class _ResidentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} {obj.id_number_masked}"


class _ResidentsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} {obj.id_number_masked}"


def _date(label: Any, **kw: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kw)


class ConveneForm(ActionForm):
    meeting_type = forms.ChoiceField(label=_("会议类型"), choices=())
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = _date(_("会议日期"))
    starts_at = forms.TimeField(
        label=_("开始时间"), initial=dt.time(9, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    notice_on = _date(_("通知日期"), initial=timezone.localdate)
    place = forms.CharField(label=_("地点"), max_length=200)
    convened_by = forms.CharField(label=_("召集人"), max_length=100, required=False)
    group = forms.ModelChoiceField(
        label=_("小组(小组会议)"), queryset=Group.objects.none(), required=False
    )
    authorised_by = forms.ModelChoiceField(
        label=_("村民会议的授权决议(村民代表会议决定第二十四条事项时)"),
        queryset=Resolution.objects.none(),
        required=False,
    )
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)

    def __init__(
        self,
        *args: Any,
        types: tuple[str, ...],
        groups: QuerySet[Group],
        delegations: QuerySet[Resolution],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].choices = [(t, MeetingType(t).label) for t in types]  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["authorised_by"].queryset = delegations  # type: ignore[attr-defined]
        for n in range(1, AGENDA_ROWS + 1):
            self.fields[f"agenda_{n}"] = forms.CharField(
                label=_("议题 %(n)d") % {"n": n}, max_length=200, required=n == 1
            )
            self.fields[f"matter_{n}"] = forms.ChoiceField(
                label=_("事项类别 %(n)d") % {"n": n}, choices=Matter.choices
            )
        _style(self)

    def agenda(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"agenda_{n}"], data[f"matter_{n}"])
            for n in range(1, AGENDA_ROWS + 1)
            if data.get(f"agenda_{n}")
        ]

    def agenda_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"agenda_{n}"], self[f"matter_{n}"]) for n in range(1, AGENDA_ROWS + 1)]


class SignInForm(ActionForm):
    resident = _ResidentChoice(label=_("签到人"), queryset=Resident.objects.none())
    for_household = forms.BooleanField(label=_("作为本户代表"), required=False)

    def __init__(self, *args: Any, residents: QuerySet[Resident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents  # type: ignore[attr-defined]


class DiscussionForm(ActionForm):
    discussion = forms.CharField(label=_("讨论情况"), widget=forms.Textarea(attrs={"rows": 2}))


class VoteForm(ActionForm):
    text = forms.CharField(label=_("决议内容"), widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.ChoiceField(
        label=_("表决方式"), choices=[(VoteMethod.SHOW_OF_HANDS, VoteMethod.SHOW_OF_HANDS.label)]
    )
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0, max_value=1_000_000)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0, max_value=1_000_000, initial=0)
    votes_abstain = forms.IntegerField(label=_("弃权"), min_value=0, max_value=1_000_000, initial=0)
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)


class CloseForm(ActionForm):
    chair = forms.CharField(label=_("主持人"), max_length=50)
    recorder = forms.CharField(label=_("记录人"), max_length=50)
    minutes = forms.CharField(
        label=_("会议记录"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RequestForm(ActionForm):
    meeting_type = forms.ChoiceField(label=_("提议召开的会议"), choices=())
    basis = forms.ChoiceField(
        label=_("提议人身份"),
        choices=[
            (b, Basis(b).label)
            for b in (Basis.ADULTS, Basis.HOUSEHOLDS, Basis.REPRESENTATIVES, Basis.GROUPS)
        ],
    )
    subject = forms.CharField(label=_("提议事项"), max_length=200)
    received_on = _date(_("收到日期"), initial=timezone.localdate)
    signatories = _ResidentsChoice(
        label=_("提议人(按住 Ctrl 多选)"), queryset=Resident.objects.none()
    )
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)

    def __init__(
        self, *args: Any, types: tuple[str, ...], residents: QuerySet[Resident], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].choices = [  # type: ignore[attr-defined]
            (t, MeetingType(t).label) for t in types if t != MeetingType.JOINT
        ]
        self.fields["signatories"].queryset = residents  # type: ignore[attr-defined]
        self.fields["signatories"].widget.attrs["size"] = 8
        guard_choice_fields(self)  # an id past BIGINT is an invalid choice, not a 500


class CommentForm(ActionForm):
    author = forms.CharField(label=_("意见人"), max_length=50)
    text = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))
    received_on = _date(_("收到日期"), initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("渠道"), choices=CommentChannel.choices)


class BallotForm(ActionForm):
    voter = _ResidentChoice(label=_("投票人(已签到)"), queryset=Resident.objects.none())

    def __init__(
        self, *args: Any, voters: QuerySet[Resident], members: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["voter"].queryset = voters  # type: ignore[attr-defined]
        for m in members:
            self.fields[f"member_{m.pk}"] = forms.ChoiceField(
                label=str(m), choices=Rating.choices, initial=Rating.FIT
            )
        _style(self)
        self.members = members

    def marks(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"member_{m.pk}"] for m in self.members}


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


class RollCallForm(ActionForm):
    """Tick the members present (点名); each becomes a sign-in."""

    present = _ResidentsChoice(
        label=_("到会人员"), queryset=Resident.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, residents: QuerySet[Resident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = residents  # type: ignore[attr-defined]
        guard_choice_fields(self)


class RepresentativeForm(ActionForm):
    resident = _ResidentChoice(label=_("代表"), queryset=Resident.objects.none())
    group = forms.ModelChoiceField(
        label=_("所属小组"), queryset=Group.objects.none(), required=False
    )
    households = forms.IntegerField(label=_("联系户数"), min_value=0, max_value=10_000, initial=0)
    term_from = _date(_("任期起"), initial=timezone.localdate)
    term_to = _date(_("任期止(留空按法定任期)"), required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)

    def __init__(
        self, *args: Any, residents: QuerySet[Resident], groups: QuerySet[Group], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        guard_choice_fields(self)


class GroupForm(ActionForm):
    """A 村民小组 / 居民小组 by name (saving an existing name updates it) and its head."""

    name = forms.CharField(label=_("小组名称"), max_length=50)
    leader = _ResidentChoice(label=_("组长"), queryset=Resident.objects.none(), required=False)
    area = forms.ModelChoiceField(
        label=_("覆盖的村或网格"), queryset=OrgUnit.objects.none(), required=False
    )
    households = forms.ModelMultipleChoiceField(
        label=_("所辖户(按住 Ctrl 多选)"), queryset=Household.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        residents: QuerySet[Resident],
        areas: QuerySet[OrgUnit],
        households: QuerySet[Household],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = residents  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["households"].queryset = households  # type: ignore[attr-defined]
        self.fields["households"].widget.attrs["size"] = 6
        guard_choice_fields(self)


MEMBER_ROWS = 7


class CommitteeForm(ActionForm):
    """A committee's new term with its members; a supervision committee needs the passed
    resolution that elected it."""

    kind = forms.ChoiceField(label=_("委员会"), choices=())
    elected_on = _date(_("选举日期"), initial=timezone.localdate)
    resolution = forms.ModelChoiceField(
        label=_("推选决议(监督委员会)"), queryset=Resolution.objects.none(), required=False
    )
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, Any]],
        residents: QuerySet[Resident],
        resolutions: QuerySet[Resolution],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["resolution"].queryset = resolutions  # type: ignore[attr-defined]
        for n in range(1, MEMBER_ROWS + 1):
            self.fields[f"resident_{n}"] = _ResidentChoice(
                label=_("成员 %(n)d") % {"n": n}, queryset=residents, required=n == 1
            )
            self.fields[f"post_{n}"] = forms.ChoiceField(
                label=_("职务 %(n)d") % {"n": n},
                choices=MemberPost.choices,
                initial=MemberPost.DIRECTOR if n == 1 else MemberPost.MEMBER,
            )
            self.fields[f"accounting_{n}"] = forms.BooleanField(
                label=_("具备财会知识"), required=False
            )
        _style(self)
        guard_choice_fields(self)

    def member_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"resident_{n}"], self[f"post_{n}"], self[f"accounting_{n}"])
            for n in range(1, MEMBER_ROWS + 1)
        ]

    def members(self) -> list[tuple[Resident, str, bool]]:
        data = self.cleaned_data
        return [
            (data[f"resident_{n}"], data[f"post_{n}"], data[f"accounting_{n}"])
            for n in range(1, MEMBER_ROWS + 1)
            if data.get(f"resident_{n}")
        ]


class RelationForm(ActionForm):
    a = _ResidentChoice(label=_("居民"), queryset=Resident.objects.none())
    b = _ResidentChoice(label=_("近亲属"), queryset=Resident.objects.none())
    relation = forms.CharField(label=_("关系"), max_length=30)

    def __init__(self, *args: Any, residents: QuerySet[Resident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = residents  # type: ignore[attr-defined]
        self.fields["b"].queryset = residents  # type: ignore[attr-defined]
        guard_choice_fields(self)


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.resident.name}({obj.get_post_display()})"


class RecallForm(ActionForm):
    member = _MemberChoice(label=_("被提议罢免的成员"), queryset=CommitteeMember.objects.none())
    basis = forms.ChoiceField(
        label=_("提议人身份"),
        choices=[(b, Basis(b).label) for b in (Basis.VOTERS, Basis.ADULTS, Basis.REPRESENTATIVES)],
    )
    proposers = forms.IntegerField(label=_("联名提议人数"), min_value=1, max_value=1_000_000)
    reason = forms.CharField(label=_("罢免理由"), widget=forms.Textarea(attrs={"rows": 2}))
    proposed_on = _date(_("提议日期"), initial=timezone.localdate)
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)

    def __init__(self, *args: Any, members: QuerySet[CommitteeMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        guard_choice_fields(self)


class RecallVoteForm(ActionForm):
    voters = forms.IntegerField(label=_("登记选民数"), min_value=0, max_value=1_000_000)
    votes_cast = forms.IntegerField(label=_("投票人数"), min_value=0, max_value=1_000_000)
    votes_for = forms.IntegerField(label=_("赞成罢免"), min_value=0, max_value=1_000_000)
    voted_on = _date(_("投票日期"), initial=timezone.localdate)


class EvaluationOpenForm(ActionForm):
    committee = forms.ModelChoiceField(label=_("被评议的委员会"), queryset=Committee.objects.none())
    chair = _MemberChoice(
        label=_("主持人(监督委员会成员)"), queryset=CommitteeMember.objects.none()
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    client_token = forms.CharField(widget=forms.HiddenInput, initial=_token)

    def __init__(
        self,
        *args: Any,
        committees: QuerySet[Committee],
        chairs: QuerySet[CommitteeMember],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees  # type: ignore[attr-defined]
        self.fields["chair"].queryset = chairs  # type: ignore[attr-defined]
        guard_choice_fields(self)
