"""Pages: the disputes list, registration (a grid worker's phone included), a dispute's
file with its steps, the printed papers, committees, legal advisors, third-party bodies
and the figures with their Excel export. Views parse, call the action, answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shequ.governance.figures import resolution_refs
from shequ.lib.qr import qr_svg
from shequ.mediation import access, actions, forms
from shequ.mediation.figures import by_child, by_month, dispute_figures, figures_workbook
from shequ.mediation.models import (
    OPEN_STATUSES,
    AgreementForm,
    Committee,
    Dispute,
    DisputeKind,
    DisputeStatus,
    MediationType,
    Referrer,
    Source,
)
from shequ.mediation.steps import run_step, step_forms
from shequ.mediation.verbs import MediationVerb
from shequ.orgs import access as org_access
from shequ.orgs import ratelimit
from shequ.orgs.access import acting_user
from shequ.orgs.events import record_event
from shequ.orgs.models import Event, OrgUnit, Post, Role, UnitKind
from shequ.people.access import resident_units_for_user
from shequ.services.access import cases_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _units_with(user: Any, roles: frozenset[str], kinds: frozenset[str]) -> Any:
    units = org_access.units_for_user(user).filter(kind__in=kinds)
    if user.is_superuser:
        return units.order_by("path")
    paths = sorted({p.unit.path for p in org_access.active_posts(user) if p.role in roles})
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return units.filter(q).order_by("path")


# --- disputes -------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    disputes: Any = access.disputes_for_user(user).select_related("unit", "committee", "mediator")
    view = request.GET.get("view", "open")
    now = timezone.now()
    if view == "mine":
        disputes = disputes.filter(Q(mediator=user) | Q(reported_by=user)).filter(
            status__in=[*OPEN_STATUSES, DisputeStatus.PERFORMING]
        )
    elif view == "overdue":
        disputes = disputes.overdue(now)
    elif view == "confirm":
        today = timezone.localdate()
        disputes = disputes.filter(
            agreements__form=AgreementForm.WRITTEN,
            agreements__superseded=False,
            agreements__applied_on__isnull=True,
            agreements__confirmation_due_on__gte=today,
            status=DisputeStatus.PERFORMING,
        )
    elif view == "open":
        disputes = disputes.filter(status__in=[*OPEN_STATUSES, DisputeStatus.PERFORMING])
    else:
        view = "all"
    kind = request.GET.get("kind", "")
    if kind in DisputeKind.values:
        disputes = disputes.filter(kind=kind)
    rows = [{"d": d, "overdue": d.is_overdue(now)} for d in disputes.order_by("-received_at")[:200]]
    return render(
        request,
        "mediation/overview.html",
        {
            "rows": rows,
            "view": view,
            "kind": kind,
            "kinds": DisputeKind.choices,
            "may_register": _units_with(
                user, access.REGISTER_ROLES, actions.DISPUTE_UNIT_KINDS
            ).exists(),
            "lookup": forms.LookupForm(),
        },
    )


@login_required
@require_POST
def party_lookup(request: HttpRequest) -> HttpResponse:
    """Disputes of a party found by the exact ID number or phone, sent in a POST body so
    the number never reaches a URL; throttled and logged like the registry's lookup."""
    user = acting_user(request)
    form = forms.LookupForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写身份证号或手机号。"))
        return redirect("mediation:overview")
    try:
        found = actions.do_find_parties(
            user, id_number=form.cleaned_data["id_number"], phone=form.cleaned_data["phone"]
        )
    except ratelimit.RateLimited as limited:
        messages.error(
            request,
            _("查找过于频繁:每分钟最多 %(limit)d 次,请 %(seconds)d 秒后再试。")
            % {"limit": limited.verdict.limit, "seconds": limited.verdict.retry_after},
        )
        return redirect("mediation:overview")
    now = timezone.now()
    seen: set[int] = set()
    rows = []
    for p in found:
        if p.dispute_id not in seen:
            seen.add(p.dispute_id)
            rows.append({"d": p.dispute, "overdue": p.dispute.is_overdue(now)})
    return render(
        request,
        "mediation/overview.html",
        {
            "rows": rows,
            "view": "lookup",
            "kind": "",
            "kinds": DisputeKind.choices,
            "lookup": forms.LookupForm(),
            "looked_up": True,
            "may_register": False,
        },
    )


def _dispute_form(request: HttpRequest) -> forms.DisputeForm:
    user = acting_user(request)
    units = _units_with(user, access.REGISTER_ROLES, actions.DISPUTE_UNIT_KINDS)
    # Committees of the units the user may register in, and above them.
    step = OrgUnit.steplen
    prefixes: set[str] = set()
    for post in org_access.active_posts(user):
        if post.role in access.REGISTER_ROLES:
            prefixes.update(post.unit.path[:n] for n in range(step, len(post.unit.path) + 1, step))
    committees = Committee.objects.filter(active=True).filter(
        Q(unit__path__in=sorted(prefixes)) | org_access.scope_q(user)
    )
    if user.is_superuser:
        committees = Committee.objects.filter(active=True)
    form = forms.DisputeForm(
        request.POST or None,
        units=units,
        committees=committees.select_related("unit").order_by("unit__path"),
    )
    if request.method == "GET":
        mine = [p.unit for p in org_access.active_posts(user) if p.role in access.REGISTER_ROLES]
        if mine:
            form.fields["unit"].initial = mine[0].pk
            nearest = access.committees_for_dispute_unit(mine[0]).order_by("-unit__depth")
            first = nearest.first()
            if first is not None:
                form.fields["committee"].initial = first.pk
        if any(p.role == Role.GRID_WORKER for p in org_access.active_posts(user)):
            form.fields["source"].initial = Source.REFERRAL
            form.fields["referrer"].initial = Referrer.GRID
    return form


@login_required
def dispute_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = _dispute_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data["case_number"].strip():
            case = cases_for_user(user).filter(number=data["case_number"].strip()).first()
            if case is None:
                form.add_error("case_number", _("在您的管辖范围内没有找到该办件。"))
        if not form.errors:
            parties = [
                actions.PartyInput(
                    side="applicant",
                    name=data["a_name"],
                    id_number=data["a_id_number"],
                    phone=data["a_phone"],
                ),
                actions.PartyInput(
                    side="respondent",
                    name=data["b_name"],
                    id_number=data["b_id_number"],
                    phone=data["b_phone"],
                ),
            ]
            try:
                dispute = actions.do_register_dispute(
                    user,
                    unit=data["unit"],
                    committee=data["committee"],
                    source=data["source"],
                    referrer=data["referrer"],
                    referrer_name=data["referrer_name"],
                    referrer_ref=data["referrer_ref"],
                    kind=data["kind"],
                    summary=data["summary"],
                    place=data["place"],
                    amount=data["amount"],
                    risk_criminal=data["risk_criminal"],
                    risk_group=data["risk_group"],
                    parties=parties,
                    case=case,
                    client_token=data["client_token"],
                )
            except ValidationError as e:
                form.add_action_errors(e)
            else:
                messages.success(
                    request, _("纠纷已登记,案号 %(number)s。") % {"number": dispute.number}
                )
                return redirect(dispute)
    return render(request, "mediation/dispute_new.html", {"form": form}, status=_status(form))


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


def _timeline(dispute: Dispute) -> list[dict[str, Any]]:
    labels = dict(MediationVerb.choices)
    events = (
        Event.objects.filter(object_type="mediation.dispute", object_id=str(dispute.pk))
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    return [
        {"at": e.created_at, "label": labels.get(e.verb, e.verb), "actor": e.actor} for e in events
    ]


STEP_TITLES = {
    "accept": gettext_lazy("受理"),
    "refuse": gettext_lazy("不予受理"),
    "session": gettext_lazy("记录调解"),
    "agreement": gettext_lazy("达成调解协议"),
    "no_agreement": gettext_lazy("调解不成,终结调解"),
    "extend": gettext_lazy("延长调解期限"),
    "transfer": gettext_lazy("移交(三调联动、上报乡镇)"),
    "receive": gettext_lazy("签收移交"),
    "return": gettext_lazy("登记接收单位处理结果"),
    "apply": gettext_lazy("登记司法确认申请"),
    "decide": gettext_lazy("登记法院裁定"),
    "follow_up": gettext_lazy("回访"),
    "close": gettext_lazy("结案"),
    "archive": gettext_lazy("归档"),
    "result_returned": gettext_lazy("向移送单位反馈结果"),
    "link_case": gettext_lazy("关联求助办件"),
}
# Steps shown open (the usual next step); the others fold away.
MAIN_STEPS = ("accept", "session", "agreement", "receive", "apply", "follow_up", "close", "archive")


def _detail(
    request: HttpRequest, d: Dispute, forms_now: dict[str, Any], status: int = 200
) -> HttpResponse:
    user = acting_user(request)
    agreement = d.agreement
    today = timezone.localdate()
    days_left = None
    if agreement and agreement.confirmation_due_on and agreement.applied_on is None:
        days_left = (agreement.confirmation_due_on - today).days
    return render(
        request,
        "mediation/dispute_detail.html",
        {
            "d": d,
            "parties": list(d.parties.all()),
            "sessions": list(d.sessions.select_related("mediator")),
            "agreement": agreement,
            "old_agreements": list(d.agreements.filter(superseded=True)),
            "follow_ups": list(d.follow_ups.select_related("visited_by")),
            "transfers": list(d.transfers.all()),
            "timeline": _timeline(d),
            "steps": [
                {
                    "step": step,
                    "title": STEP_TITLES[step],
                    "form": form,
                    "main": step in MAIN_STEPS or (form.is_bound and form.errors),
                }
                for step, form in forms_now.items()
            ],
            "overdue": d.is_overdue(),
            "days_left": days_left,
            "may_reveal": access.may_reveal(user, d),
            "reveal_form": forms.RevealForm(),
            "revealed": getattr(request, "_revealed", None),
            "case": d.case if d.case_id else None,
        },
        status=status,
    )


@login_required
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = acting_user(request)
    d = access.get_dispute_for_user(user, dispute_id)
    return _detail(request, d, step_forms(user, d))


@login_required
@require_POST
def dispute_step(request: HttpRequest, dispute_id: int, step: str) -> HttpResponse:
    user = acting_user(request)
    d = access.get_dispute_for_user(user, dispute_id)
    form = step_forms(user, d, request.POST).get(step)
    if form is None:
        messages.error(request, _("当前状态不能进行此操作,或您的岗位无权办理。"))
        return _detail(request, d, step_forms(user, d), status=409)
    others = step_forms(user, d)
    others[step] = form
    if form.is_valid():
        try:
            text = run_step(user, d, step, form)
        except ValidationError as e:
            form.add_action_errors(e)
        except PermissionDenied as e:
            messages.error(request, str(e) or _("您的岗位无权办理。"))
            return _detail(request, d, others, status=403)
        else:
            messages.success(request, text)
            return redirect(d)
    d.refresh_from_db()
    return _detail(request, d, others, status=400)


@login_required
@require_POST
def party_reveal(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = acting_user(request)
    d = access.get_dispute_for_user(user, dispute_id)
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        return _detail(request, d, step_forms(user, d), status=400)
    party = d.parties.filter(pk=form.cleaned_data["party"]).first()
    if party is None:
        raise Http404
    try:
        value = actions.do_reveal_party_field(
            user, party, field=form.cleaned_data["field"], reason=form.cleaned_data["reason"]
        )
    except PermissionDenied:
        raise
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return _detail(request, d, step_forms(user, d), status=400)
    request._revealed = {"party": party.pk, "field": form.cleaned_data["field"], "value": value}  # type: ignore[attr-defined]
    return _detail(request, d, step_forms(user, d))


PAPERS = {
    "agreement": gettext_lazy("人民调解协议书"),
    "application": gettext_lazy("司法确认申请书"),
    "no_agreement": gettext_lazy("调解终结告知书"),
    "archive": gettext_lazy("人民调解案卷"),
}


@login_required
def dispute_paper(request: HttpRequest, dispute_id: int, kind: str) -> HttpResponse:
    """The printed papers, in Chinese, from what the file records."""
    user = acting_user(request)
    d = access.get_dispute_for_user(user, dispute_id)
    if kind not in PAPERS:
        raise Http404
    agreement = d.agreement
    if kind == "agreement" and (agreement is None or agreement.form != AgreementForm.WRITTEN):
        raise Http404
    if kind == "application" and (agreement is None or agreement.form != AgreementForm.WRITTEN):
        raise Http404
    if kind == "no_agreement" and not d.routes_told:
        raise Http404
    url = request.build_absolute_uri(d.get_absolute_url())
    committee = d.committee
    courts = _competent_courts(d)
    return render(
        request,
        "mediation/paper.html",
        {
            "d": d,
            "kind": kind,
            "title": PAPERS[kind],
            "committee": committee,
            "agreement": agreement,
            "parties": list(d.parties.all()),
            "sessions": list(d.sessions.select_related("mediator")),
            "follow_ups": list(d.follow_ups.all()),
            "transfers": list(d.transfers.all()),
            "routes": [actions.ROUTES[r] for r in d.routes_told.split(",") if r in actions.ROUTES],
            "courts": courts,
            "qr": mark_safe(qr_svg(url)),  # noqa: S308 - segno's own SVG markup
            "url": url,
            "today": timezone.localdate(),
            "rule": agreement.confirmation_rule if agreement else None,
        },
    )


def _competent_courts(d: Dispute) -> list[str]:
    """第三十三条 / 民诉法: the basic court where the mediating committee is, where a
    party lives or where the property is — named from the county of the committee."""
    county = d.committee.unit.ancestors().filter(kind=UnitKind.COUNTY).first()
    if county is None and d.committee.unit.kind == UnitKind.COUNTY:
        county = d.committee.unit
    names = []
    if county is not None:
        names.append(_("%(county)s人民法院(调解组织所在地基层人民法院)") % {"county": county.name})
    names.append(_("当事人住所地、标的物所在地基层人民法院"))
    return names


# --- committees, advisors, third parties -----------------------------------------------


@login_required
def committees(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = [
        {
            "c": c,
            "warnings": actions.committee_warnings(c),
            "members": len(actions.current_members(c)),
        }
        for c in access.committees_for_user(user).filter(active=True)[:300]
    ]
    units = _units_with(user, access.ADMIN_ROLES, actions.COMMITTEE_UNIT_KINDS)
    form = forms.CommitteeForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            committee = actions.do_create_committee(
                user,
                unit=c["unit"],
                name=c["name"],
                phone=c["phone"],
                address=c["address"],
                multi_ethnic=c["multi_ethnic"],
            )
        except ValidationError as e:
            form.add_action_errors(e)
        else:
            messages.success(request, _("调解委员会已设立。"))
            return redirect(committee)
    return render(
        request,
        "mediation/committees.html",
        {"rows": rows, "form": form if units.exists() else None},
        status=_status(form),
    )


@login_required
def committee_detail(request: HttpRequest, committee_id: int) -> HttpResponse:
    user = acting_user(request)
    c = access.get_committee_for_user(user, committee_id)
    may_admin = access.may(user, access.ADMIN_ROLES, c.unit)
    posts = Post.objects.active().filter(role=Role.MEDIATOR, unit__path__startswith=c.unit.path)
    form = forms.MemberForm(
        request.POST or None,
        posts=posts.select_related("user", "unit"),
        resolutions=actions.member_resolutions(c) if may_admin else (),
    )
    if request.method == "POST":
        if not may_admin:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_add_member(
                    user,
                    c,
                    name=data["name"],
                    gender=data["gender"],
                    ethnicity=data["ethnicity"],
                    role=data["role"],
                    chosen_on=data["chosen_on"],
                    post=data["post"],
                    resolution_ref=data["resolution_ref"],
                    resolution_id=data.get("resolution_id"),
                )
            except ValidationError as e:
                form.add_action_errors(e)
            else:
                messages.success(request, _("委员已增补。"))
                return redirect(c)
    members = actions.current_members(c)
    refs = resolution_refs(m.resolution_id for m in members if m.resolution_id)
    return render(
        request,
        "mediation/committee_detail.html",
        {
            "c": c,
            "members": [(m, refs.get(m.resolution_id or 0)) for m in members],
            "former": c.members.exclude(ended_on=None),
            "warnings": actions.committee_warnings(c),
            "mediators": actions.committee_mediators(c),
            "form": form if may_admin else None,
            "may_admin": may_admin,
            "today": timezone.localdate(),
            "open": c.disputes.filter(status__in=OPEN_STATUSES).count(),
        },
        status=_status(form),
    )


@login_required
@require_POST
def member_end(request: HttpRequest, committee_id: int, member_id: int) -> HttpResponse:
    user = acting_user(request)
    c = access.get_committee_for_user(user, committee_id)
    member = c.members.filter(pk=member_id).first()
    if member is None:
        raise Http404
    form = forms.EndForm(request.POST)
    if form.is_valid():
        try:
            actions.do_end_member(user, member, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("委员已离任。"))
    else:
        messages.error(request, _("请填写日期。"))
    return redirect(c)


@login_required
@require_POST
def advisor_end(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = acting_user(request)
    a = access.get_advisor_for_user(user, assignment_id)
    form = forms.EndForm(request.POST)
    if form.is_valid():
        try:
            actions.do_end_advisor(user, a, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("法律顾问已解聘。"))
    else:
        messages.error(request, _("请填写日期。"))
    return redirect(a)


@login_required
def advisors(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    year = timezone.localdate().year
    rows = [
        {"a": a, "plan": actions.plan_status(a, year)}
        for a in access.advisors_for_user(user).filter(ended_on=None)[:300]
    ]
    units = _units_with(user, access.ADMIN_ROLES, actions.ADVISOR_UNIT_KINDS)
    form = forms.AdvisorForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            a = actions.do_assign_advisor(
                user,
                unit=c["unit"],
                name=c["name"],
                firm=c["firm"],
                phone=c["phone"],
                started_on=c["started_on"],
            )
        except ValidationError as e:
            form.add_action_errors(e)
        else:
            messages.success(request, _("法律顾问已聘任。"))
            return redirect(a)
    return render(
        request,
        "mediation/advisors.html",
        {"rows": rows, "year": year, "form": form if units.exists() else None},
        status=_status(form),
    )


@login_required
def advisor_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = acting_user(request)
    a = access.get_advisor_for_user(user, assignment_id)
    may_log = a.user_id == user.pk or access.may(user, access.ADVISOR_LOG_ROLES, a.unit)
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST":
        if not may_log:
            raise PermissionDenied
        if form.is_valid():
            c = form.cleaned_data
            try:
                actions.do_log_advisor_activity(
                    user,
                    a,
                    kind=c["kind"],
                    on=c["on"],
                    note=c["note"],
                    client_token=c["client_token"],
                )
            except ValidationError as e:
                form.add_action_errors(e)
            else:
                messages.success(request, _("服务记录已登记。"))
                return redirect(a)
    year = timezone.localdate().year
    return render(
        request,
        "mediation/advisor_detail.html",
        {
            "a": a,
            "plan": actions.plan_status(a, year),
            "year": year,
            "activities": a.activities.all()[:200],
            "form": form if may_log else None,
            "may_admin": access.may(user, access.ADMIN_ROLES, a.unit) and a.ended_on is None,
            "today": timezone.localdate(),
        },
        status=_status(form),
    )


@login_required
def third_parties(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    units = _units_with(
        user, access.ADMIN_ROLES, actions.COMMITTEE_UNIT_KINDS | frozenset({UnitKind.COUNTY})
    )
    form = forms.ThirdPartyForm(
        request.POST or None,
        units=units,
        resident_units=resident_units_for_user(user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            actions.do_register_third_party(
                user,
                unit=c["unit"],
                kind=c["kind"],
                name=c["name"],
                resident_unit=c["resident_unit"],
                contact_name=c["contact_name"],
                contact_phone=c["contact_phone"],
            )
        except ValidationError as e:
            form.add_action_errors(e)
        else:
            messages.success(request, _("第三方调解组织已登记。"))
            return redirect("mediation:third_parties")
    return render(
        request,
        "mediation/third_parties.html",
        {
            "bodies": access.third_parties_for_user(user).filter(active=True)[:300],
            "form": form if units.exists() else None,
        },
        status=_status(form),
    )


# --- figures ---------------------------------------------------------------------------


def _figures_unit(request: HttpRequest) -> OrgUnit | None:
    user = acting_user(request)
    unit: OrgUnit | None
    if request.GET.get("unit"):
        unit = org_access.get_unit_for_user(user, request.GET["unit"])
    else:
        unit = org_access.scope_roots(user).first()
    if unit is None or not access.may(user, access.FIGURES_ROLES, unit):
        return None
    return unit


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    unit = _figures_unit(request)
    if unit is None:
        raise PermissionDenied
    form = forms.FiguresForm(request.GET or None)
    first, last = form.period()
    if request.GET.get("format") == "xlsx":
        data = figures_workbook(unit, first, last)
        record_event(
            user,
            MediationVerb.EXPORTED,
            unit,
            unit=unit,
            after={"first": first, "last": last},
        )
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="mediation-{unit.code}-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"'
        )
        return response
    f = dispute_figures(unit, first, last)
    kinds = [(label, f.by_kind.get(value, 0)) for value, label in DisputeKind.choices]
    sources = [(label, f.by_source.get(value, 0)) for value, label in Source.choices]
    return render(
        request,
        "mediation/figures.html",
        {
            "unit": unit,
            "f": f,
            "first": first,
            "last": last,
            "kinds": kinds,
            "sources": sources,
            "children": by_child(unit, first, last),
            "months": by_month(unit, first, last),
            "types": MediationType.choices,
        },
    )
