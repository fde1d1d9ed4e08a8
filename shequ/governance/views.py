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
    ConveneForm,
    DiscussionForm,
    RequestForm,
    SignInForm,
    VoteForm,
    YearForm,
)
from shequ.governance.models import (
    ART24_MATTERS,
    AgendaItem,
    Attendance,
    Committee,
    EvaluationResult,
    EvaluationStatus,
    Matter,
    Meeting,
    MeetingStatus,
    MeetingType,
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
from shequ.orgs.models import OrgUnit, UnitKind
from shequ.people.counts import adult_cutoff
from shequ.people.models import Resident, ResidentStatus


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
    return render(
        request,
        "governance/community.html",
        {
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


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = acting_user(request)
    meeting = access.get_meeting_for_user(user, meeting_id)
    sign_in = SignInForm(residents=_residents_for_sign_in(meeting))
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
    context.update({"sign_in": sign_in, "close": close})
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


@login_required
def committee_detail(request: HttpRequest, committee_id: int) -> HttpResponse:
    c = access.get_committee_for_user(request.user, committee_id)
    return render(
        request,
        "governance/committee.html",
        {
            "c": c,
            "members": c.members.select_related("resident").order_by("ended_on", "post", "pk"),
            "warnings": actions.committee_warnings(c),
            "recalls": actions.Recall.objects.filter(member__committee=c).select_related(
                "member__resident"
            ),
        },
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
