"""Pages: a community's self-governance, the law in force, meetings from notice to
minutes, requests to convene, committees, charters, evaluations and the township view.

Every page fetches through ``access``; every change goes through ``actions``."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.governance import access, actions, figures, law, quorum
from shequ.governance.forms import (
    BallotForm,
    CloseForm,
    CommentForm,
    CommitteeForm,
    ConveneForm,
    DiscussionForm,
    EvaluationOpenForm,
    GroupForm,
    RecallForm,
    RecallVoteForm,
    RelationForm,
    RepresentativeForm,
    RequestForm,
    RollCallForm,
    SignInForm,
    VoteForm,
    YearForm,
)
from shequ.governance.models import (
    ART24_MATTERS,
    AgendaItem,
    Attendance,
    Committee,
    CommitteeKind,
    CommitteeMember,
    EvaluationResult,
    EvaluationStatus,
    Matter,
    Meeting,
    MeetingStatus,
    MeetingType,
    RecallStatus,
    Representative,
    Resolution,
    ResolutionResult,
    Rule,
    Statute,
    VersionStatus,
)
from shequ.governance.papers import qr_svg
from shequ.lib.xlsx import workbook_bytes
from shequ.orgs import access as org_access
from shequ.orgs.access import acting_user, parse_pk
from shequ.orgs.models import CommunityType, OrgUnit, UnitKind
from shequ.people.counts import adult_cutoff
from shequ.people.models import Household, Resident, ResidentStatus


def _fail(request: HttpRequest, error: PermissionDenied) -> None:
    messages.error(request, str(error) or _("您的岗位无权进行此操作。"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    posts = org_access.active_posts(user)
    communities = [p.unit for p in posts if p.unit.kind == UnitKind.COMMUNITY]
    if len(communities) == 1 and not user.is_superuser:
        return redirect("governance:community", communities[0].pk)
    return redirect("governance:township")


@login_required
def law_page(request: HttpRequest) -> HttpResponse:
    rows = list(Rule.objects.all())
    groups: dict[tuple[str, str], list[Rule]] = {}
    for r in rows:
        groups.setdefault((r.get_statute_display(), r.version), []).append(r)
    return render(
        request,
        "governance/law.html",
        {
            "groups": groups,
            "unconfirmed": sum(1 for r in rows if not r.confirmed),
            "statutes": Statute,
        },
    )


@login_required
def community(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = acting_user(request)
    unit = access.get_community_for_user(user, unit_id)
    today = timezone.localdate()
    meetings = (
        access.meetings_for_user(user)
        .filter(unit=unit)
        .annotate(n_resolutions=Count("resolutions"))[:100]
    )
    requests = access.requests_for_user(user).filter(unit=unit)[:50]
    committees = list(
        access.committees_for_user(user)
        .filter(unit=unit, ended_on__isnull=True)
        .prefetch_related("members__resident")
    )
    warnings = {c.pk: actions.committee_warnings(c, today) for c in committees}
    charters = [
        (ch, max(ch.versions.all(), key=lambda v: v.number, default=None))
        for ch in access.charters_for_user(user).filter(unit=unit).prefetch_related("versions")
    ]
    evaluations = access.evaluations_for_user(user).filter(unit=unit)[:20]
    reps = quorum.active_representatives(unit, today)
    reps_expiring = (
        actions.expiring_representatives(unit, today)
        .values("term_to")
        .annotate(n=Count("pk"))
        .order_by("term_to")
    )
    return render(
        request,
        "governance/community.html",
        {
            "reps_expiring": list(reps_expiring),
            "unit": unit,
            "statute": law.statute_for(unit),
            "types": [MeetingType(t).label for t in law.meeting_types_for(unit)],
            "meetings": meetings,
            "requests": requests,
            "committees": [(c, warnings[c.pk]) for c in committees],
            "charters": charters,
            "evaluations": evaluations,
            "reps": reps,
            "can_write": access.may_write(user, unit),
            "today": today,
        },
    )


def _convene_form(request: HttpRequest, unit: OrgUnit) -> ConveneForm:
    delegations = Resolution.objects.filter(
        unit=unit,
        matter=Matter.DELEGATION,
        result=ResolutionResult.PASSED,
        meeting__meeting_type=MeetingType.VILLAGERS,
    ).select_related("item")
    return ConveneForm(
        request.POST or None,
        types=law.meeting_types_for(unit),
        groups=actions.Group.objects.filter(unit=unit),
        delegations=delegations,
    )


@login_required
def meeting_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = acting_user(request)
    unit = access.get_community_for_user(user, unit_id)
    if not access.may_write(user, unit):
        raise Http404
    form = _convene_form(request, unit)
    pending = None
    if request.GET.get("request"):
        pending = access.get_request_for_user(user, request.GET["request"], write=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("request"):
            pending = access.get_request_for_user(user, request.POST["request"], write=True)
        try:
            meeting = actions.do_convene_meeting(
                user,
                unit=unit,
                meeting_type=data["meeting_type"],
                title=data["title"],
                held_on=data["held_on"],
                starts_at=data["starts_at"],
                notice_on=data["notice_on"],
                place=data["place"],
                convened_by=data["convened_by"],
                agenda=form.agenda(),
                group=data["group"],
                authorised_by=data["authorised_by"],
                request=pending,
                client_token=data["client_token"],
            )
        except ValidationError as e:
            form.add_action_errors(e)
        except PermissionDenied as e:
            _fail(request, e)
        else:
            messages.success(request, _("会议已召集,请打印通知张贴。"))
            return redirect(meeting)
    notice = {
        MeetingType(t).label: actions.notice_days(unit, t, timezone.localdate())
        for t in law.meeting_types_for(unit)
    }
    return render(
        request,
        "governance/meeting_new.html",
        {"unit": unit, "form": form, "notice": notice, "pending": pending},
    )


def _meeting_context(user: Any, meeting: Meeting) -> dict[str, Any]:
    status = quorum.quorum(meeting)
    items = list(meeting.agenda.all())
    decided = {
        r.item_id: r for r in Resolution.objects.filter(meeting=meeting).select_related("item")
    }
    attendances = list(
        Attendance.objects.filter(meeting=meeting).select_related("resident", "household")
    )
    return {
        "meeting": meeting,
        "status": status,
        "items": [
            {
                "item": i,
                "resolution": decided.get(i.pk),
                "refusal": actions.matter_refusal(meeting, i.matter),
                "reserved": i.matter in ART24_MATTERS,
                "matter_label": Matter(i.matter).label if i.matter in Matter.values else i.matter,
            }
            for i in items
        ],
        "attendances": attendances,
        "warnings": quorum.composition_warnings(meeting),
        "can_write": access.may_write(user, meeting.unit),
        "notice_days": actions.notice_days(meeting.unit, meeting.meeting_type, meeting.held_on),
    }


def _residents_for_sign_in(meeting: Meeting) -> Any:
    rows = Resident.objects.filter(community=meeting.unit, status=ResidentStatus.LIVING)
    if meeting.meeting_type in law.REPS_TYPES or meeting.meeting_type == MeetingType.JOINT:
        rows = rows.filter(pk__in=quorum.member_ids(meeting))
    else:  # only those who may attend: adults on the meeting date (of the group)
        rows = rows.filter(birth_date__lte=adult_cutoff(meeting.held_on))
        if meeting.group is not None:
            rows = rows.filter(pk__in=quorum.group_residents(meeting.group).values("pk"))
    signed = Attendance.objects.filter(meeting=meeting).values("resident_id")
    return rows.exclude(pk__in=signed).order_by("name", "pk")


def _evaluation_form(meeting: Meeting, data: Any = None) -> EvaluationOpenForm | None:
    """The form opening a democratic evaluation at this meeting, when it may hold one: a
    plenary or representatives' meeting in session, with a supervision committee."""
    if meeting.status != MeetingStatus.IN_SESSION or meeting.meeting_type not in (
        law.PLENARY_TYPES | law.REPS_TYPES
    ):
        return None
    chairs = quorum.active_members(
        meeting.unit, meeting.held_on, (CommitteeKind.SUPERVISION,)
    ).order_by("post", "pk")
    committees = Committee.objects.filter(
        unit=meeting.unit, kind__in=quorum.MAIN_COMMITTEES, ended_on__isnull=True
    )
    if not chairs.exists() or not committees.exists():
        return None
    return EvaluationOpenForm(
        data,
        committees=committees,
        chairs=chairs,
        prefix="ev",
        initial={"year": meeting.held_on.year, "committee": committees.first()},
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = acting_user(request)
    meeting = access.get_meeting_for_user(user, meeting_id)
    sign_in = SignInForm(residents=_residents_for_sign_in(meeting))
    roll_call = RollCallForm(residents=_residents_for_sign_in(meeting), prefix="roll")
    evaluation = _evaluation_form(meeting)
    vote_forms: dict[int, VoteForm] = {}
    discussion_forms: dict[int, DiscussionForm] = {}
    close = CloseForm(initial={"chair": "", "recorder": ""})
    if request.method == "POST":
        meeting = access.get_meeting_for_user(user, meeting_id, write=True)
        what = request.POST.get("action", "")
        try:
            if what == "open":
                actions.do_open_meeting(user, meeting)
                return redirect(meeting)
            if what == "sign_in":
                sign_in = SignInForm(request.POST, residents=_residents_for_sign_in(meeting))
                if sign_in.is_valid():
                    try:
                        a = actions.do_sign_in(
                            user,
                            meeting,
                            sign_in.cleaned_data["resident"],
                            for_household=sign_in.cleaned_data["for_household"],
                        )
                    except ValidationError as e:
                        sign_in.add_action_errors(e)
                    else:
                        messages.success(request, _("%(name)s已签到。") % {"name": a.resident.name})
                        return redirect(
                            reverse("governance:meeting", args=[meeting.pk]) + "#quorum"
                        )
            if what == "roll_call":
                roll_call = RollCallForm(
                    request.POST, residents=_residents_for_sign_in(meeting), prefix="roll"
                )
                if roll_call.is_valid():
                    try:
                        signed = actions.do_roll_call(
                            user, meeting, list(roll_call.cleaned_data["present"])
                        )
                    except ValidationError as e:
                        roll_call.add_action_errors(e)
                    else:
                        messages.success(request, _("点名完成,%(n)d 人签到。") % {"n": len(signed)})
                        return redirect(
                            reverse("governance:meeting", args=[meeting.pk]) + "#quorum"
                        )
            if what == "evaluation":
                evaluation = _evaluation_form(meeting, request.POST)
                if evaluation is not None and evaluation.is_valid():
                    d = evaluation.cleaned_data
                    try:
                        ev = actions.do_open_evaluation(
                            user,
                            committee=d["committee"],
                            meeting=meeting,
                            chair=d["chair"],
                            year=d["year"],
                            client_token=d["client_token"],
                        )
                    except ValidationError as e:
                        evaluation.add_action_errors(e)
                    else:
                        messages.success(request, _("民主评议已开始,请逐人投不记名票。"))
                        return redirect(ev)
            if what in ("discuss", "vote"):
                item = AgendaItem.objects.filter(
                    meeting=meeting, pk=parse_pk(request.POST.get("item"))
                ).first()
                if item is None:
                    raise Http404
                if what == "discuss":
                    form = DiscussionForm(request.POST)
                    discussion_forms[item.pk] = form
                    if form.is_valid():
                        actions.do_record_discussion(user, item, form.cleaned_data["discussion"])
                        messages.success(request, _("讨论情况已记录。"))
                        return redirect(meeting)
                else:
                    vote = VoteForm(request.POST)
                    vote_forms[item.pk] = vote
                    if vote.is_valid():
                        d = vote.cleaned_data
                        try:
                            r = actions.do_decide_resolution(
                                user,
                                item,
                                text=d["text"],
                                method=d["method"],
                                votes_for=d["votes_for"],
                                votes_against=d["votes_against"] or 0,
                                votes_abstain=d["votes_abstain"] or 0,
                                client_token=d["client_token"],
                            )
                        except ValidationError as e:
                            vote.add_action_errors(e)
                        else:
                            messages.success(
                                request,
                                _("表决结果:%(result)s(%(article)s)。")
                                % {"result": r.get_result_display(), "article": r.majority_article},
                            )
                            return redirect(meeting)
            if what == "close":
                close = CloseForm(request.POST)
                if close.is_valid():
                    try:
                        actions.do_close_meeting(user, meeting, **close.cleaned_data)
                    except ValidationError as e:
                        close.add_action_errors(e)
                    else:
                        messages.success(request, _("会议已结束,可打印会议记录。"))
                        return redirect(meeting)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        except PermissionDenied as e:
            _fail(request, e)
        meeting.refresh_from_db()
    context = _meeting_context(user, meeting)
    for row in context["items"]:
        pk = row["item"].pk
        row["vote_form"] = vote_forms.get(pk) or VoteForm()
        row["discussion_form"] = discussion_forms.get(pk) or DiscussionForm(
            initial={"discussion": row["item"].discussion}
        )
    context.update(
        {"sign_in": sign_in, "roll_call": roll_call, "evaluation": evaluation, "close": close}
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/meeting_detail.html", context, status=status)


def _paper_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    context = _meeting_context(request.user, meeting)
    url = request.build_absolute_uri(meeting.get_absolute_url())
    context.update(
        {
            "qr": qr_svg(url),
            "status_url": url,
            "township": meeting.unit.parent_unit(),
            "resolutions": list(
                Resolution.objects.filter(meeting=meeting).select_related("item").order_by("number")
            ),
            "printed_on": timezone.localdate(),
        }
    )
    return context


@login_required
def meeting_paper(request: HttpRequest, meeting_id: int, paper: str) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    if paper not in ("notice", "minutes", "archive", "signin"):
        raise Http404
    context = _paper_context(request, meeting)
    context["paper"] = paper
    return render(request, "governance/paper.html", context)


@login_required
def resolution_detail(request: HttpRequest, resolution_id: int) -> HttpResponse:
    r = access.get_resolution_for_user(request.user, resolution_id)
    url = request.build_absolute_uri(r.get_absolute_url())
    return render(
        request,
        "governance/resolution.html",
        {
            "r": r,
            "qr": qr_svg(url),
            "roll_call": r.roll_call.select_related("attendance__resident"),
            "reserved": r.matter in ART24_MATTERS,
        },
    )


@login_required
def request_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = acting_user(request)
    unit = access.get_community_for_user(user, unit_id)
    if not access.may_write(user, unit):
        raise Http404
    residents = Resident.objects.filter(community=unit, status=ResidentStatus.LIVING).order_by(
        "name", "pk"
    )
    form = RequestForm(request.POST or None, types=law.meeting_types_for(unit), residents=residents)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = actions.do_file_request(
                user,
                unit=unit,
                meeting_type=d["meeting_type"],
                basis=d["basis"],
                subject=d["subject"],
                received_on=d["received_on"],
                signatories=list(d["signatories"]),
                client_token=d["client_token"],
            )
        except ValidationError as e:
            form.add_action_errors(e)
        except PermissionDenied as e:
            _fail(request, e)
        else:
            return redirect(row)
    return render(request, "governance/request_new.html", {"unit": unit, "form": form})


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    row = access.get_request_for_user(request.user, request_id)
    return render(
        request,
        "governance/request_detail.html",
        {
            "row": row,
            "signatories": row.signatories.order_by("name"),
            "overdue": row.is_overdue(),
            "can_write": access.may_write(request.user, row.unit),
        },
    )


def _living(unit: OrgUnit) -> Any:
    return Resident.objects.filter(community=unit, status=ResidentStatus.LIVING).order_by(
        "name", "pk"
    )


def _writable_community(request: HttpRequest, unit_id: int) -> tuple[Any, OrgUnit]:
    user = acting_user(request)
    unit = access.get_community_for_user(user, unit_id)
    if not access.may_write(user, unit):
        raise Http404
    return user, unit


@login_required
def representatives(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The community's representatives and groups, and the forms registering them."""
    user, unit = _writable_community(request, unit_id)
    today = timezone.localdate()
    groups = actions.Group.objects.filter(unit=unit).select_related("leader", "area")

    def rep_form(data: Any = None) -> RepresentativeForm:
        return RepresentativeForm(data, residents=_living(unit), groups=groups, prefix="rep")

    def group_form(data: Any = None) -> GroupForm:
        return GroupForm(
            data,
            residents=_living(unit),
            areas=OrgUnit.objects.filter(
                path__startswith=unit.path, kind__in=[UnitKind.VILLAGE, UnitKind.GRID]
            ).order_by("path"),
            households=Household.objects.filter(community=unit).order_by("number", "pk"),
            prefix="group",
        )

    rep, group = rep_form(), group_form()
    if request.method == "POST":
        what = request.POST.get("action", "")
        try:
            if what == "representative":
                rep = rep_form(request.POST)
                if rep.is_valid():
                    d = rep.cleaned_data
                    try:
                        row = actions.do_add_representative(
                            user,
                            unit=unit,
                            resident=d["resident"],
                            term_from=d["term_from"],
                            term_to=d["term_to"],
                            group=d["group"],
                            households=d["households"] or 0,
                            client_token=d["client_token"],
                        )
                    except ValidationError as e:
                        rep.add_action_errors(e)
                    else:
                        messages.success(
                            request,
                            _("已登记代表%(name)s,任期至 %(to)s。")
                            % {"name": row.resident.name, "to": f"{row.term_to:%Y-%m-%d}"},
                        )
                        return redirect("governance:representatives", unit.pk)
            elif what == "group":
                group = group_form(request.POST)
                if group.is_valid():
                    d = group.cleaned_data
                    try:
                        g = actions.do_save_group(
                            user,
                            unit=unit,
                            name=d["name"],
                            area=d["area"],
                            leader=d["leader"],
                            households=list(d["households"]),
                        )
                    except ValidationError as e:
                        group.add_action_errors(e)
                    else:
                        messages.success(request, _("已保存%(name)s。") % {"name": g.name})
                        return redirect("governance:representatives", unit.pk)
        except PermissionDenied as e:
            _fail(request, e)
    reps = (
        Representative.objects.filter(unit=unit, term_to__gte=today)
        .select_related("resident", "group")
        .order_by("term_to", "resident__name", "pk")
    )
    expiring = set(actions.expiring_representatives(unit, today).values_list("pk", flat=True))
    return render(
        request,
        "governance/representatives.html",
        {
            "unit": unit,
            "statute": law.statute_for(unit),
            "reps": [(r, r.pk in expiring) for r in reps],
            "groups": groups.annotate(n_households=Count("households")),
            "rep_form": rep,
            "group_form": group,
            "today": today,
        },
        status=400 if request.method == "POST" else 200,
    )


def _committee_kinds(unit: OrgUnit) -> list[tuple[str, Any]]:
    main = (
        CommitteeKind.VILLAGE
        if unit.community_type == CommunityType.RURAL
        else CommitteeKind.RESIDENTS
    )
    return [(main, main.label), (CommitteeKind.SUPERVISION, CommitteeKind.SUPERVISION.label)]


@login_required
def committee_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Record a committee's new term (a supervision committee: the resolution electing it,
    each member's eligibility), and declare a close relation the registry does not show."""
    user, unit = _writable_community(request, unit_id)
    resolutions = Resolution.objects.filter(
        unit=unit, matter=Matter.SUPERVISION, result=ResolutionResult.PASSED
    ).select_related("item", "meeting")

    def committee_form(data: Any = None) -> CommitteeForm:
        return CommitteeForm(
            data,
            kinds=_committee_kinds(unit),
            residents=_living(unit),
            resolutions=resolutions,
            initial={"kind": request.GET.get("kind", "")},
        )

    form, relation = committee_form(), RelationForm(residents=_living(unit), prefix="rel")
    if request.method == "POST":
        what = request.POST.get("action", "")
        try:
            if what == "elect":
                form = committee_form(request.POST)
                if form.is_valid():
                    d = form.cleaned_data
                    try:
                        committee = actions.do_elect_committee(
                            user,
                            unit=unit,
                            kind=d["kind"],
                            elected_on=d["elected_on"],
                            members=[
                                actions.Candidate(r, post, accounting)
                                for r, post, accounting in form.members()
                            ],
                            resolution=d["resolution"],
                            client_token=d["client_token"],
                        )
                    except ValidationError as e:
                        form.add_action_errors(e)
                    else:
                        messages.success(
                            request,
                            _("已登记%(kind)s,任期至 %(to)s。")
                            % {
                                "kind": committee.get_kind_display(),
                                "to": f"{committee.term_to:%Y-%m-%d}",
                            },
                        )
                        return redirect(committee)
            elif what == "relation":
                relation = RelationForm(request.POST, residents=_living(unit), prefix="rel")
                if relation.is_valid():
                    d = relation.cleaned_data
                    try:
                        actions.do_declare_relation(
                            user, a=d["a"], b=d["b"], relation=d["relation"]
                        )
                    except ValidationError as e:
                        relation.add_action_errors(e)
                    else:
                        messages.success(request, _("已登记近亲属关系。"))
                        return redirect("governance:committee_new", unit.pk)
        except PermissionDenied as e:
            _fail(request, e)
    return render(
        request,
        "governance/committee_new.html",
        {
            "unit": unit,
            "form": form,
            "relation": relation,
            "relations": actions.DeclaredRelation.objects.filter(unit=unit).select_related(
                "a", "b"
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def committee_detail(request: HttpRequest, committee_id: int) -> HttpResponse:
    """A committee's term and members; recall proposals (第十六条) and their votes."""
    user = acting_user(request)
    c = access.get_committee_for_user(user, committee_id)
    active = CommitteeMember.objects.filter(committee=c, ended_on__isnull=True).select_related(
        "resident"
    )
    propose = RecallForm(members=active, prefix="recall")
    vote_forms: dict[int, RecallVoteForm] = {}
    if request.method == "POST":
        c = access.get_committee_for_user(user, committee_id, write=True)
        what = request.POST.get("action", "")
        try:
            if what == "propose":
                propose = RecallForm(request.POST, members=active, prefix="recall")
                if propose.is_valid():
                    d = propose.cleaned_data
                    try:
                        recall = actions.do_propose_recall(
                            user,
                            d["member"],
                            basis=d["basis"],
                            proposers=d["proposers"],
                            reason=d["reason"],
                            proposed_on=d["proposed_on"],
                            client_token=d["client_token"],
                        )
                    except ValidationError as e:
                        propose.add_action_errors(e)
                    else:
                        messages.success(
                            request,
                            _("罢免提议已登记:%(status)s(%(article)s)。")
                            % {"status": recall.get_status_display(), "article": recall.article},
                        )
                        return redirect(c)
            elif what == "vote":
                found = (
                    access.recalls_for_committee(c)
                    .filter(pk=parse_pk(request.POST.get("recall")))
                    .first()
                )
                if found is None:
                    raise Http404
                form = RecallVoteForm(request.POST, prefix=f"vote{found.pk}")
                vote_forms[found.pk] = form
                if form.is_valid():
                    try:
                        recall = actions.do_vote_recall(user, found, **form.cleaned_data)
                    except ValidationError as e:
                        form.add_action_errors(e)
                    else:
                        messages.success(
                            request,
                            _("罢免投票结果:%(status)s(%(article)s)。")
                            % {"status": recall.get_status_display(), "article": recall.article},
                        )
                        return redirect(c)
        except PermissionDenied as e:
            _fail(request, e)
    recalls = list(access.recalls_for_committee(c))
    return render(
        request,
        "governance/committee.html",
        {
            "c": c,
            "statute": law.statute_for(c.unit),
            "members": c.members.select_related("resident").order_by("ended_on", "post", "pk"),
            "warnings": actions.committee_warnings(c),
            "recalls": [
                (
                    r,
                    vote_forms.get(r.pk) or RecallVoteForm(prefix=f"vote{r.pk}")
                    if r.status == RecallStatus.PROPOSED
                    else None,
                )
                for r in recalls
            ],
            "propose": propose if active.exists() and c.ended_on is None else None,
            "can_write": access.may_write(user, c.unit),
        },
        status=400 if request.method == "POST" else 200,
    )


def side_by_side(old: str, new: str) -> list[tuple[str, str, str]]:
    """Rows of (tag, old line, new line) for a two-column comparison."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        left, right = a[i1:i2], b[j1:j2]
        for n in range(max(len(left), len(right))):
            rows.append(
                (
                    tag,
                    left[n] if n < len(left) else "",
                    right[n] if n < len(right) else "",
                )
            )
    return rows


@login_required
def charter_detail(request: HttpRequest, charter_id: int) -> HttpResponse:
    user = acting_user(request)
    charter = access.get_charter_for_user(user, charter_id)
    versions = list(
        charter.versions.order_by("number").select_related("adopted_by", "discussed_by")
    )
    current = versions[-1] if versions else None
    comment = CommentForm()
    if request.method == "POST" and current is not None:
        charter = access.get_charter_for_user(user, charter_id, write=True)
        what = request.POST.get("action", "")
        try:
            if what == "comment":
                comment = CommentForm(request.POST)
                if comment.is_valid():
                    actions.do_record_comment(user, current, **comment.cleaned_data)
                    return redirect(charter)
            elif what == "open_comment":
                today = timezone.localdate()
                actions.do_open_comment(
                    user, current, comment_from=today, comment_to=today + dt.timedelta(days=15)
                )
                return redirect(charter)
            elif what == "discussed":
                m = access.get_meeting_for_user(user, request.POST.get("meeting"))
                actions.do_mark_discussed(user, current, m)
                return redirect(charter)
            elif what == "adopt":
                r = access.get_resolution_for_user(user, request.POST.get("resolution"))
                actions.do_adopt_charter(user, current, r)
                return redirect(charter)
            elif what == "publish":
                actions.do_publish_charter(user, current, published_on=timezone.localdate())
                return redirect(charter)
            elif what == "file":
                actions.do_file_charter(
                    user,
                    current,
                    filed_on=timezone.localdate(),
                    filed_with=request.POST.get("filed_with", ""),
                    receipt=request.POST.get("receipt", ""),
                )
                return redirect(charter)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        except PermissionDenied as e:
            _fail(request, e)
    by_number = {v.number: v for v in versions}
    try:
        a = by_number.get(int(request.GET.get("a", "")))
        b = by_number.get(int(request.GET.get("b", "")))
    except ValueError:
        a = b = None
    if a is None and len(versions) >= 2:
        a, b = versions[-2], versions[-1]
    diff = side_by_side(a.text, b.text) if a and b else []
    reps_meetings = Meeting.objects.filter(
        unit=charter.unit, meeting_type__in=list(law.REPS_TYPES), status=MeetingStatus.CLOSED
    )[:20]
    adoptions = Resolution.objects.filter(
        unit=charter.unit, matter=Matter.CHARTER, result=ResolutionResult.PASSED
    ).select_related("item")[:20]
    return render(
        request,
        "governance/charter.html",
        {
            "charter": charter,
            "versions": versions,
            "current": current,
            "a": a,
            "b": b,
            "diff": diff,
            "comment": comment,
            "comments": current.comments.all() if current else [],
            "reps_meetings": reps_meetings,
            "adoptions": adoptions,
            "can_write": access.may_write(user, charter.unit),
            "VS": VersionStatus,
        },
    )


@login_required
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = acting_user(request)
    ev = access.get_evaluation_for_user(user, evaluation_id)
    members = actions.evaluated_members(ev)
    voted = ev.voters.values("resident_id")
    voters = Resident.objects.filter(
        pk__in=Attendance.objects.filter(meeting=ev.meeting).values("resident_id")
    ).exclude(pk__in=voted)
    form = BallotForm(voters=voters, members=members)
    if request.method == "POST":
        what = request.POST.get("action", "")
        try:
            if what == "confirm":
                result = EvaluationResult.objects.filter(
                    evaluation=ev, pk=parse_pk(request.POST.get("result"))
                ).first()
                if result is None:
                    raise Http404
                actions.do_confirm_dismissal(user, result)
                messages.success(request, _("已确认,该成员职务终止。"))
                return redirect(ev)
            ev = access.get_evaluation_for_user(user, evaluation_id, write=True)
            if what == "ballot":
                form = BallotForm(request.POST, voters=voters, members=members)
                if form.is_valid():
                    actions.do_cast_ballot(
                        user, ev, voter=form.cleaned_data["voter"], marks=form.marks()
                    )
                    messages.success(request, _("已投票(票面不记名)。"))
                    return redirect(ev)
            elif what == "close":
                actions.do_close_evaluation(user, ev)
                return redirect(ev)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        except PermissionDenied as e:
            _fail(request, e)
    return render(
        request,
        "governance/evaluation.html",
        {
            "ev": ev,
            "form": form,
            "results": ev.results.select_related("member__resident", "confirmed_by"),
            "ballots": ev.ballots.count(),
            "open": ev.status == EvaluationStatus.OPEN,
            "can_write": access.may_write(user, ev.unit),
            "can_confirm": access.may_confirm(user, ev.unit),
        },
    )


TOWNSHIP_TYPES = [
    MeetingType.VILLAGERS,
    MeetingType.VILLAGERS_REPS,
    MeetingType.RESIDENTS,
    MeetingType.RESIDENTS_REPS,
    MeetingType.VILLAGER_GROUP,
    MeetingType.RESIDENT_GROUP,
    MeetingType.JOINT,
]


@login_required
def township(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    roots = list(org_access.scope_roots(user))
    unit = (
        org_access.get_unit_for_user(user, request.GET["unit"])
        if request.GET.get("unit")
        else (roots[0] if roots else None)
    )
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    communities = (
        OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.COMMUNITY).order_by("path")
        if unit is not None
        else OrgUnit.objects.none()
    )
    touched = set(
        Meeting.objects.filter(unit__path__startswith=unit.path).values_list("unit_id", flat=True)
        if unit is not None
        else []
    ) | set(
        Committee.objects.filter(unit__path__startswith=unit.path).values_list("unit_id", flat=True)
        if unit is not None
        else []
    )
    # A county has hundreds of communities: list those with records, and count the rest.
    listed = communities if communities.count() <= 60 else communities.filter(pk__in=touched)
    rows = figures.township_rows(listed, year)
    if request.GET.get("format") == "xlsx":
        return _township_xlsx(rows, year, unit)
    children = unit.children().filter(kind__in=[UnitKind.COUNTY, UnitKind.TOWNSHIP]) if unit else []
    return render(
        request,
        "governance/township.html",
        {
            "unit": unit,
            "children": children,
            "year": year,
            "rows": rows,
            "types": [(t, t.label) for t in TOWNSHIP_TYPES],
            "total": communities.count(),
            "listed": len(rows),
            "totals": {
                "held": sum(r.held for r in rows),
                "quorate": sum(r.quorate for r in rows),
                "art24": sum(r.art24 for r in rows),
                "evaluated": sum(1 for r in rows if r.evaluated),
                "expiring": sum(1 for r in rows if r.term_expiring),
                "overdue": sum(r.overdue_requests for r in rows),
                "filed": sum(1 for r in rows if VersionStatus.FILED in r.charters.values()),
            },
            "VS": VersionStatus,
        },
    )


def _township_xlsx(
    rows: list[figures.TownshipRow], year: int, unit: OrgUnit | None
) -> HttpResponse:
    head = [
        _("社区(村)"),
        _("社区类型"),
        *[f"{t.label}{_('(召开/达法定人数)')}" for t in TOWNSHIP_TYPES],
        _("第二十四条事项决议"),
        _("其他决议"),
        _("自治章程"),
        _("居民公约/村规民约"),
        _("本年度民主评议"),
        _("委员会任期届满"),
        _("逾期未召集的提议"),
    ]
    data: list[list[Any]] = [head]
    for r in rows:
        data.append(
            [
                r.unit.name,
                r.unit.get_community_type_display(),
                *["{}/{}".format(*r.meetings.get(t, (0, 0))) for t in TOWNSHIP_TYPES],
                r.art24,
                r.other_resolutions,
                figures.charter_status_label(r.charters.get("charter", "")),
                figures.charter_status_label(r.charters.get("convention", "")),
                _("是") if r.evaluated else _("否"),
                r.term_to,
                r.overdue_requests,
            ]
        )
    body = workbook_bytes([(f"{year}", data)])
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"governance-{unit.pk if unit else 'all'}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def county(request: HttpRequest) -> HttpResponse:
    """Every community of a county with its governance status, for county officers (the
    prefecture's pick a county)."""
    user = acting_user(request)
    counties = list(access.counties_for_user(user))
    if not counties:
        raise Http404
    unit = (
        access.get_county_for_user(user, request.GET["unit"])
        if request.GET.get("unit")
        else counties[0]
    )
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    communities = OrgUnit.objects.filter(
        path__startswith=unit.path, kind=UnitKind.COMMUNITY
    ).order_by("path")
    rows = figures.county_rows(communities, year)
    townships = {
        t.path: t for t in OrgUnit.objects.filter(path__startswith=unit.path, kind="township")
    }
    if request.GET.get("format") == "xlsx":
        return _county_xlsx(rows, year, unit, townships)
    return render(
        request,
        "governance/county.html",
        {
            "unit": unit,
            "counties": counties if len(counties) > 1 else [],
            "year": year,
            "rows": [
                (
                    r,
                    townships.get(r.unit.path[: len(unit.path) + OrgUnit.steplen]),
                    [(MeetingType(t).label, r.last_meetings.get(t)) for t in _plain_types(r.unit)],
                )
                for r in rows
            ],
            "totals": {
                "communities": len(rows),
                "charter": sum(1 for r in rows if "charter" in r.in_force),
                "convention": sum(1 for r in rows if "convention" in r.in_force),
                "supervision": sum(1 for r in rows if r.supervision_members),
                "evaluated": sum(1 for r in rows if r.base.evaluated),
                "expiring": sum(1 for r in rows if r.base.term_expiring),
            },
            "VS": VersionStatus,
        },
    )


def _plain_types(unit: OrgUnit) -> list[str]:
    """The meeting types a community holds, group meetings and the joint one left out
    (their dates say little at the county's level)."""
    return [t for t in law.meeting_types_for(unit) if t in law.PLENARY_TYPES | law.REPS_TYPES]


def _county_xlsx(
    rows: list[figures.CountyRow], year: int, unit: OrgUnit, townships: dict[str, OrgUnit]
) -> HttpResponse:
    head = [
        _("乡镇(街道)"),
        _("社区(村)"),
        _("社区类型"),
        _("自治章程(施行版本)"),
        _("居民公约/村规民约(施行版本)"),
        _("最近一次村(居)民会议"),
        _("最近一次代表会议"),
        _("监督委员会成员数"),
        _("监督委员会任期届满"),
        _("本年度民主评议"),
        _("最近一次民主评议年度"),
        _("委员会任期届满"),
    ]
    data: list[list[Any]] = [head]
    for r in rows:
        township = townships.get(r.unit.path[: len(unit.path) + OrgUnit.steplen])
        plenary = [r.last_meetings[t] for t in law.PLENARY_TYPES if t in r.last_meetings]
        reps = [r.last_meetings[t] for t in law.REPS_TYPES if t in r.last_meetings]
        data.append(
            [
                township.name if township else "",
                r.unit.name,
                r.unit.get_community_type_display(),
                _in_force_label(r, "charter"),
                _in_force_label(r, "convention"),
                max(plenary) if plenary else None,
                max(reps) if reps else None,
                r.supervision_members,
                r.supervision_to,
                _("是") if r.base.evaluated else _("否"),
                r.last_evaluation,
                r.base.term_to,
            ]
        )
    body = workbook_bytes([(f"{year}", data)])
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="governance-county-{unit.pk}-{year}.xlsx"'
    )
    return response


def _in_force_label(row: figures.CountyRow, kind: str) -> str:
    found = row.in_force.get(kind)
    if found is None:
        return _("无")
    number, status = found
    return f"v{number} {figures.charter_status_label(status)}"
