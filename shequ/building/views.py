"""Pages of community building: the seed's figures, the ledger with its totals and
exports, projects and 一事一议, facility compliance and a community's checklist, leading
groups, policy documents and pledges. Views parse, call an action, answer; every fetch
goes through ``building.access`` or the kernel's scope helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ.building import access, actions, ledger, standards
from shequ.building.figures import SEED_DAY, pledge_progress, seed_figures
from shequ.building.forms import (
    AreaForm,
    CheckForm,
    DecisionForm,
    DocumentForm,
    EntryForm,
    EvidenceForm,
    GroupForm,
    LedgerFilterForm,
    MemberForm,
    PledgeForm,
    PledgeReportForm,
    ProgressForm,
    ProjectForm,
    ReverseForm,
    SubsidyForm,
    VillagersShareForm,
)
from shequ.building.models import (
    AreaCheck,
    EntryKind,
    FacilityCheck,
    FacilityEvidence,
    FacilityItem,
    FiscalLevel,
    FundSource,
    GroupKind,
    ItemGroup,
    Project,
    ProjectStatus,
    SixBits,
)
from shequ.building.verbs import BuildingVerb
from shequ.governance.figures import resolution_ref, resolutions_for
from shequ.lib.qr import qr_svg
from shequ.lib.xlsx import workbook_bytes
from shequ.orgs import access as org_access
from shequ.orgs.access import acting_user
from shequ.orgs.files import serve_upload
from shequ.orgs.models import CommunityType, Event, OrgUnit, Post, UnitKind

MONEY_FIGURES = (
    "county_investment",
    "plan_reward_subsidy",
    "plan_central_provincial",
    "plan_county_funds",
    "rural_disbursed",
    "rural_fiscal",
    "rural_department_aid",
    "rural_donations",
    "rural_self_raised",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AREA_KINDS = (UnitKind.PREFECTURE, UnitKind.COUNTY, UnitKind.TOWNSHIP)
LABELS: dict[str, dict[str, Any]] = {
    "level": dict(FiscalLevel.choices),
    "source": dict(FundSource.choices),
    "six_bits": dict(SixBits.choices),
    "kind": dict(EntryKind.choices),
}


def _xlsx(name: str, sheets: list[tuple[str, list[list[Any]]]]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _areas(user: Any) -> QuerySet[OrgUnit]:
    """The prefecture, counties and townships in the user's scope, for the unit choosers."""
    return org_access.units_for_user(user).filter(kind__in=AREA_KINDS).order_by("path")


def _home_unit(user: Any, requested: str | None) -> OrgUnit | None:
    if requested:
        return org_access.get_unit_for_user(user, requested)
    return org_access.scope_roots(user).first()


def _units_for(user: Any, kinds: tuple[str, ...]) -> QuerySet[OrgUnit]:
    return org_access.units_for_user(user).filter(kind__in=kinds).order_by("path")


# --- overview and the seed's figures ------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    unit = _home_unit(user, None)
    today = timezone.localdate()
    summary = standards.summary(today, unit)[0] if unit is not None else None
    return render(
        request,
        "building/overview.html",
        {
            "unit": unit,
            "summary": summary,
            "funds": ledger.total(entries=access.entries_for_user(user), kind=EntryKind.DISBURSED),
            "projects": access.projects_for_user(user).count(),
            "pledges": access.pledges_for_user(user).filter(year=today.year).count(),
        },
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    unit = _home_unit(user, request.GET.get("unit"))
    day = _day(request.GET.get("day"), SEED_DAY)
    f = seed_figures(day, unit) if unit is not None else None
    if f is not None and request.GET.get("format") == "xlsx":
        rows: list[list[Any]] = [
            [_("指标"), _("数值"), _("单位")],
            [_("城市、集镇社区"), f.communities, _("个")],
            [_("其中城市社区"), f.urban, _("个")],
            [_("其中集镇社区"), f.town, _("个")],
            [_("县市累计投入社区建设资金"), ledger.to_wan(f.county_investment), _("万元")],
            [_("“十二五”州以奖代补资金"), ledger.to_wan(f.plan_reward_subsidy), _("万元")],
            [_("“十二五”中央和省项目补助"), ledger.to_wan(f.plan_central_provincial), _("万元")],
            [_("“十二五”县市投入"), ledger.to_wan(f.plan_county_funds), _("万元")],
            [_("累计拨付农村社区建设资金"), ledger.to_wan(f.rural_disbursed), _("万元")],
            [_("其中财政统筹强农惠农资金"), ledger.to_wan(f.rural_fiscal), _("万元")],
            [_("其中部门帮扶"), ledger.to_wan(f.rural_department_aid), _("万元")],
            [_("其中社会捐助"), ledger.to_wan(f.rural_donations), _("万元")],
            [_("其中一事一议自筹"), ledger.to_wan(f.rural_self_raised), _("万元")],
            [_("服务中心面积达标的城镇社区"), f.centres_meeting_area, _("个")],
            [_("设立为民服务大厅的农村社区"), f.rural_with_hall, _("个")],
        ]
        return _xlsx(f"building-figures-{day}", [(_("社区建设指标"), rows)])
    return render(
        request,
        "building/figures.html",
        {
            "f": f,
            "wan": {name: ledger.to_wan(getattr(f, name)) for name in MONEY_FIGURES} if f else {},
            "unit": unit,
            "day": day,
            "units": _units_for(user, AREA_KINDS[:2]),
            "query": request.GET.urlencode(),
        },
    )


# --- the ledger ------------------------------------------------------------------------------


def _key_names(rows: list[ledger.TotalRow], by: str) -> dict[Any, str]:
    ids = [r.key[by] for r in rows if r.key[by] is not None]
    if by == "unit":
        return dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name"))
    if by == "project":
        return dict(Project.objects.filter(pk__in=ids).values_list("pk", "name"))
    if by == "year":
        return {i: str(i) for i in ids}
    return {k: str(v) for k, v in LABELS[by].items()}


@login_required
def ledger_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    unit = _home_unit(user, request.GET.get("unit"))
    form = LedgerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    by = data.get("by") or "source"
    filters = {k: data.get(k) or None for k in ("level", "source", "six_bits", "kind")}
    scope: dict[str, Any] = {
        "entries": access.entries_for_user(user),
        "within": unit,
        "first": data.get("first"),
        "last": data.get("last"),
        **filters,
    }
    rows = ledger.totals(by=(by,), **scope) if unit is not None else []
    grand = ledger.total(**scope) if unit is not None else ledger.ZERO
    names = _key_names(rows, by)
    entries = access.entries_for_user(user).filter(
        unit__path__startswith=unit.path if unit else "-"
    )
    for name, value in filters.items():
        if value:
            entries = entries.filter(**{name: value})
    if data.get("first"):
        entries = entries.filter(entry_date__gte=data["first"])
    if data.get("last"):
        entries = entries.filter(entry_date__lte=data["last"])
    if request.GET.get("format") == "xlsx":
        head = [_("汇总"), _("金额(元)"), _("金额(万元)"), _("笔数")]
        total_rows = [head] + [
            [names.get(r.key[by], r.key[by]), r.amount, r.amount_wan, r.entries] for r in rows
        ]
        total_rows.append([_("合计"), grand, ledger.to_wan(grand), sum(r.entries for r in rows)])
        lines: list[list[Any]] = [
            [
                _("日期"),
                _("资金年度"),
                _("收款单位"),
                _("财政层级"),
                _("资金来源"),
                _("六个一点"),
                _("类别"),
                _("金额(元)"),
                _("项目"),
                _("文件依据"),
                _("摘要"),
                _("冲销的流水"),
            ]
        ]
        for e in entries.order_by("entry_date", "pk")[:50000]:
            lines.append(
                [
                    e.entry_date,
                    e.year,
                    e.unit.name,
                    e.get_level_display(),
                    e.get_source_display(),
                    e.get_six_bits_display(),
                    e.get_kind_display(),
                    e.amount,
                    e.project.name if e.project else "",
                    e.document_ref,
                    e.note,
                    e.reverses_id or "",
                ]
            )
        return _xlsx("building-ledger", [(_("汇总"), total_rows), (_("流水"), lines)])
    return render(
        request,
        "building/ledger.html",
        {
            "form": form,
            "unit": unit,
            "units": _areas(user),
            "rows": [(names.get(r.key[by], r.key[by]), r) for r in rows],
            "grand": grand,
            "grand_wan": ledger.to_wan(grand),
            "entries": entries.order_by("-entry_date", "-pk")[:100],
            "may_record": unit is not None and org_access.may(user, access.LEDGER_ROLES, unit),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def entry_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    units = org_access.units_for_user(user).exclude(kind__in=[UnitKind.GRID]).order_by("path")
    form = EntryForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = actions.do_record_entry(
                user,
                unit=data["unit"],
                entry_date=data["entry_date"],
                year=data["year"],
                level=data["level"],
                source=data["source"],
                six_bits=data["six_bits"],
                kind=data["kind"],
                amount=data["amount"],
                document_ref=data["document_ref"],
                note=data["note"],
                client_token=data["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("资金流水已登记。"))
            return redirect(entry)
    return render(request, "building/form.html", {"form": form, "title": _("登记资金流水")})


@login_required
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = acting_user(request)
    entry = access.get_entry_for_user(user, entry_id)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = actions.do_reverse_entry(
                user,
                entry,
                reason=form.cleaned_data["reason"],
                entry_date=form.cleaned_data["entry_date"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已登记冲销流水。"))
            return redirect(reversal)
    reversed_by = type(entry).objects.filter(reverses=entry).first()
    return render(
        request,
        "building/entry_detail.html",
        {
            "entry": entry,
            "form": form,
            "reversed_by": reversed_by,
            "may_reverse": entry.reverses_id is None
            and reversed_by is None
            and org_access.may(user, access.LEDGER_ROLES, entry.unit),
        },
    )


# --- projects ---------------------------------------------------------------------------------


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = access.projects_for_user(user)
    status = request.GET.get("status") or ""
    if status in ProjectStatus.values:
        rows = rows.filter(status=status)
    if request.GET.get("format") == "xlsx":
        lines: list[list[Any]] = [
            [_("项目名称"), _("实施单位"), _("项目类型"), _("程序"), _("状态"), _("预算(元)"),
             _("进度(%)"), _("村民会议决议"), _("村民自筹已到位(元)"), _("已拨付补助(元)")]
        ]  # fmt: skip
        for p in rows.order_by("unit__path", "pk")[:5000]:
            lines.append(
                [p.name, p.unit.name, p.get_kind_display(), p.get_procedure_display(),
                 p.get_status_display(), p.budget, p.progress, p.resolution_ref,
                 actions.villagers_raised(p), actions.subsidy_paid(p)]
            )  # fmt: skip
        return _xlsx("building-projects", [(_("建设项目"), lines)])
    return render(
        request,
        "building/projects.html",
        {"projects": rows[:200], "status": status, "statuses": ProjectStatus.choices},
    )


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    units = _units_for(user, (UnitKind.TOWNSHIP, UnitKind.COMMUNITY, UnitKind.VILLAGE))
    form = ProjectForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = actions.do_create_project(
                user,
                unit=data["unit"],
                name=data["name"],
                kind=data["kind"],
                procedure=data["procedure"],
                budget=data["budget"],
                plan=form.plan(),
                resolution_ref=data["resolution_ref"],
                client_token=data["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("项目已登记。"))
            return redirect(project)
    return render(request, "building/form.html", {"form": form, "title": _("登记建设项目")})


STEPS = {
    "apply": (access.APPLY_ROLES, (ProjectStatus.DRAFT,)),
    "review": (access.REVIEW_ROLES, (ProjectStatus.APPLIED,)),
    "approve": (access.APPROVE_ROLES, (ProjectStatus.REVIEWED,)),
    "refuse_review": (access.REVIEW_ROLES, (ProjectStatus.APPLIED,)),
    "refuse_approve": (access.APPROVE_ROLES, (ProjectStatus.REVIEWED,)),
}


def _do_step(user: Any, project: Project, step: str, request: HttpRequest) -> Any:
    post, files = request.POST, request.FILES
    if step in STEPS:
        form: Any = DecisionForm(post, resolutions=resolutions_for(project.unit))
        if not form.is_valid():
            return form
        note = form.cleaned_data["note"]
        if step == "apply":
            actions.do_apply_project(
                user,
                project,
                resolution_ref=form.cleaned_data["resolution_ref"],
                resolution_id=form.cleaned_data["resolution_id"],
            )
        elif step == "review":
            actions.do_review_project(user, project, note=note)
        elif step == "approve":
            actions.do_approve_project(user, project, note=note)
        else:
            actions.do_refuse_project(user, project, note=note)
        return None
    if step == "progress":
        form = ProgressForm(post, files)
        if not form.is_valid():
            return form
        d = form.cleaned_data
        actions.do_report_progress(
            user, project, progress=d["progress"], note=d["note"], photo=d["photo"]
        )
        return None
    if step == "subsidy":
        form = SubsidyForm(post)
        if not form.is_valid():
            return form
        d = form.cleaned_data
        actions.do_pay_subsidy(
            user,
            project,
            amount=d["amount"],
            level=d["level"],
            source=d["source"],
            entry_date=d["entry_date"],
            document_ref=d["document_ref"],
            client_token=d["client_token"] or None,
        )
        return None
    if step == "raise":
        form = VillagersShareForm(post)
        if not form.is_valid():
            return form
        d = form.cleaned_data
        try:
            actions.do_record_villagers_share(
                user,
                project,
                amount=d["amount"],
                entry_date=d["entry_date"],
                document_ref=d["document_ref"],
                note=d["note"],
                client_token=d["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
            return form
        return None
    if step == "complete":
        actions.do_complete_project(user, project)
        return None
    raise Http404


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    user = acting_user(request)
    project = access.get_project_for_user(user, project_id)
    errors: list[str] = []
    share_form = VillagersShareForm()
    step = request.POST.get("step", "")
    if request.method == "POST":
        try:
            bad = _do_step(user, project, step, request)
        except ValidationError as error:
            errors = [
                m
                for ms in getattr(error, "message_dict", {"": error.messages}).values()
                for m in ms
            ]
        except PermissionDenied as error:
            errors = [str(error)]
        else:
            if bad is None:
                messages.success(request, _("已保存。"))
                return redirect(project)
            if isinstance(bad, VillagersShareForm):
                share_form = bad  # its errors show beside its fields
            else:
                errors = [m for ms in bad.errors.values() for m in ms]
        project.refresh_from_db()
    offered = [
        name
        for name, (roles, states) in STEPS.items()
        if project.is_case_by_case
        and project.status in states
        and org_access.may(user, roles, project.unit)
    ]
    county = project.unit.ancestors().filter(kind=UnitKind.COUNTY).first()
    may_pay = county is not None and org_access.may(user, access.LEDGER_ROLES, county)
    may_work = org_access.may(user, access.PROJECT_ROLES, project.unit)
    today = timezone.localdate()
    return render(
        request,
        "building/project_detail.html",
        {
            "project": project,
            "plan": project.plan.all(),
            "reports": project.reports.all()[:20],
            "entries": access.entries_for_user(user).filter(project=project),
            "raised": actions.villagers_raised(project),
            "subsidy": actions.subsidy_paid(project),
            "problem": actions.subsidy_problem(project, ledger.FEN, today),
            "rule": actions.subsidy_rule(today),
            "offered": offered,
            "may_pay": may_pay and project.status != ProjectStatus.REFUSED,
            "may_progress": may_work
            and project.status in (ProjectStatus.APPROVED, ProjectStatus.BUILDING),
            "errors": errors,
            "decision": DecisionForm(
                resolutions=resolutions_for(project.unit)
                if project.status == ProjectStatus.DRAFT
                else ()
            ),
            "resolution": resolution_ref(project.resolution_id) if project.resolution_id else None,
            "decision_note": [DecisionForm()["note"]],
            "progress_form": ProgressForm(),
            "subsidy_form": SubsidyForm(),
            "share_form": share_form,
            "may_raise": may_pay
            and project.is_case_by_case
            and project.status != ProjectStatus.REFUSED,
            "documents": project.documents.all(),
        },
    )


APPROVAL_STEPS = (
    BuildingVerb.PROJECT_APPLIED,
    BuildingVerb.PROJECT_REVIEWED,
    BuildingVerb.PROJECT_APPROVED,
    BuildingVerb.PROJECT_REFUSED,
)


def _approval_trail(project: Project) -> dict[str, Event]:
    """The latest event of each 一事一议 step, keyed "applied", "reviewed", "approved" (a
    refusal fills the step it refused: review when the project stood applied)."""
    trail: dict[str, Event] = {}
    for event in (
        Event.objects.filter(
            object_type=Project._meta.label_lower,
            object_id=str(project.pk),
            verb__in=[str(v) for v in APPROVAL_STEPS],
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    ):
        step = event.verb.removeprefix("building.project_")
        if event.verb == BuildingVerb.PROJECT_REFUSED:
            was = (event.before or {}).get("status")
            step = "reviewed" if was == ProjectStatus.APPLIED else "approved"
        trail[step] = event
    return trail


@login_required
def approval_sheet(request: HttpRequest, project_id: int) -> HttpResponse:
    """The 一事一议 approval sheet on paper: the project, the villagers' meeting decision,
    the amounts by source (planned, and paid in from the ledger), the three steps with
    their opinions, signature and seal places, and a QR code to the project page."""
    user = acting_user(request)
    project = access.get_project_for_user(user, project_id)
    if not project.is_case_by_case:
        raise Http404
    planned = {line.source: line.amount for line in project.plan.all()}
    paid = {
        r.key["source"]: r.amount
        for r in ledger.totals(by=("source",), project=project.pk, kind=EntryKind.DISBURSED)
    }
    labels = dict(FundSource.choices)
    sources = [s for s in FundSource.values if s in planned or s in paid]
    rows = [(labels[s], planned.get(s), paid.get(s, ledger.ZERO)) for s in sources]
    ancestors = {u.kind: u for u in project.unit.ancestors()}
    url = request.build_absolute_uri(project.get_absolute_url())
    trail = _approval_trail(project)
    return render(
        request,
        "building/approval_sheet.html",
        {
            "project": project,
            "township": ancestors.get(UnitKind.TOWNSHIP),
            "county": ancestors.get(UnitKind.COUNTY),
            "resolution": resolution_ref(project.resolution_id) if project.resolution_id else None,
            "rows": rows,
            "planned_total": sum(planned.values(), ledger.ZERO),
            "paid_total": sum(paid.values(), ledger.ZERO),
            "rule": actions.subsidy_rule(project.approved_on or timezone.localdate()),
            "applied": trail.get("applied"),
            "reviewed": trail.get("reviewed"),
            "approved": trail.get("approved"),
            "qr": mark_safe(qr_svg(url)),  # noqa: S308 - segno's own SVG markup of our URL
            "url": url,
            "printed_on": timezone.localdate(),
        },
    )


# --- standards --------------------------------------------------------------------------------


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    unit = _home_unit(user, request.GET.get("unit"))
    day = _day(request.GET.get("day"), timezone.localdate())
    if unit is None:
        return render(request, "building/compliance.html", {"unit": None})
    total, children = standards.summary(day, unit)
    rows = standards.compliance(day, unit)
    names = dict(OrgUnit.objects.filter(pk__in=rows.keys()).values_list("pk", "name"))
    short = sorted(
        (r for r in rows.values() if r.urban_or_town and not r.meets_standard),
        key=lambda r: names[r.unit_id],
    )
    if request.GET.get("format") == "xlsx":
        head = [
            _("单位"),
            _("城市社区"),
            _("集镇社区"),
            _("农村社区"),
            _("面积达标"),
            _("“13个一”齐全"),
            _("城镇社区全面达标"),
            _("农村社区设施齐全"),
            _("设立服务大厅的农村社区"),
        ]
        lines = [head] + [
            [
                s.unit.name,
                s.urban,
                s.town,
                s.rural,
                s.area_ok,
                s.thirteen_ok,
                s.urban_town_met,
                s.rural_met,
                s.rural_with_hall,
            ]
            for s in [*children, total]
        ]
        missing = [[_("社区"), _("面积(平方米)"), _("缺少")]] + [
            [names[r.unit_id], r.area_m2, _("、").join(i.name for i in r.missing)] for r in short
        ]
        return _xlsx(
            f"building-compliance-{day}", [(_("达标情况"), lines), (_("未达标社区"), missing)]
        )
    return render(
        request,
        "building/compliance.html",
        {
            "unit": unit,
            "day": day,
            "total": total,
            "children": children,
            "short": [(names[r.unit_id], r) for r in short[:300]],
            "short_count": len(short),
            "units": _areas(user),
            "standard": standards.area_standard(day),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def community(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = acting_user(request)
    unit = org_access.get_unit_for_user(user, unit_id)
    if unit.kind != UnitKind.COMMUNITY:
        raise Http404
    group = (
        ItemGroup.RURAL if unit.community_type == CommunityType.RURAL else ItemGroup.THIRTEEN_ONES
    )
    items = FacilityItem.objects.filter(active=True, group=group).order_by("sort", "pk")
    day = timezone.localdate()
    row = standards.compliance(day, None, units={unit.pk: unit.community_type})[unit.pk]
    latest: dict[int, FacilityCheck] = {}
    for check in (
        FacilityCheck.objects.filter(unit=unit)
        .select_related("checked_by", "evidence")
        .order_by("checked_on", "pk")
    ):
        latest[check.item_id] = check
    area = AreaCheck.objects.filter(unit=unit).order_by("-checked_on", "-pk").first()
    may_check = org_access.may(user, access.CHECK_ROLES, unit)
    may_upload = org_access.may(user, access.EVIDENCE_ROLES | access.CHECK_ROLES, unit)
    check_form = CheckForm(items=items)
    area_form = AreaForm()
    evidence_form = EvidenceForm(items=items)
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "check":
                check_form = CheckForm(request.POST, request.FILES, items=items)
                if check_form.is_valid():
                    d = check_form.cleaned_data
                    actions.do_check_facility(
                        user,
                        unit,
                        d["item"],
                        present=d["present"],
                        checked_on=d["checked_on"],
                        photo=d["photo"],
                        evidence=_latest_evidence(unit, d["item"]) if not d["photo"] else None,
                        note=d["note"],
                    )
                    messages.success(request, _("核查结果已登记。"))
                    return redirect("building:community", unit.pk)
            elif what == "area":
                area_form = AreaForm(request.POST, request.FILES)
                if area_form.is_valid():
                    d = area_form.cleaned_data
                    actions.do_check_area(
                        user,
                        unit,
                        area_m2=d["area_m2"],
                        checked_on=d["checked_on"],
                        photo=d["photo"],
                        evidence=_latest_evidence(unit, None) if not d["photo"] else None,
                    )
                    messages.success(request, _("面积核查已登记。"))
                    return redirect("building:community", unit.pk)
            elif what == "evidence":
                evidence_form = EvidenceForm(request.POST, request.FILES, items=items)
                if evidence_form.is_valid():
                    d = evidence_form.cleaned_data
                    actions.do_upload_evidence(
                        user, unit, file=d["file"], item=d["item"], note=d["note"]
                    )
                    messages.success(request, _("佐证已上传,待乡镇(街道)核查。"))
                    return redirect("building:community", unit.pk)
        except ValidationError as error:
            form = {"check": check_form, "area": area_form}.get(what or "", evidence_form)
            form.add_action_errors(error)
        except PermissionDenied as error:
            messages.error(request, str(error))
    return render(
        request,
        "building/community.html",
        {
            "unit": unit,
            "row": row,
            "items": [(item, latest.get(item.pk)) for item in items],
            "area": area,
            "standard": standards.area_standard(day),
            "evidence": FacilityEvidence.objects.filter(unit=unit).select_related("item")[:30],
            "may_check": may_check,
            "may_upload": may_upload,
            "check_form": check_form,
            "area_form": area_form,
            "evidence_form": evidence_form,
            "rural": group == ItemGroup.RURAL,
        },
    )


def _latest_evidence(unit: OrgUnit, item: FacilityItem | None) -> FacilityEvidence | None:
    """The community's latest upload for the item, which a check without a photo cites."""
    return (
        FacilityEvidence.objects.filter(unit=unit, item=item)
        .order_by("-uploaded_at", "-pk")
        .first()
    )


# --- groups, documents, pledges ---------------------------------------------------------------


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = access.groups_for_user(user)
    form = GroupForm(
        request.POST or None,
        units=_units_for(user, (UnitKind.PREFECTURE, UnitKind.COUNTY, UnitKind.COMMUNITY)),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            group = actions.do_create_group(
                user,
                d["unit"],
                kind=d["kind"],
                name=d["name"],
                established_on=d["established_on"],
                client_token=d["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect(group)
    if request.GET.get("format") == "xlsx":
        lines: list[list[Any]] = [[_("名称"), _("类型"), _("所属单位"), _("职务"), _("姓名或单位"), _("身份"),
                  _("职务说明"), _("职责"), _("任职日期"), _("离任")]]  # fmt: skip
        for g in rows.prefetch_related("members")[:1000]:
            for m in g.members.all():
                lines.append(
                    [g.name, g.get_kind_display(), g.unit.name, m.get_role_display(), m.name,
                     m.get_walk_display(), m.position, m.duties, m.since, m.until]
                )  # fmt: skip
        return _xlsx("building-groups", [(_("领导小组"), lines)])
    return render(request, "building/groups.html", {"groups": rows[:300], "form": form})


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    user = acting_user(request)
    group = access.get_group_for_user(user, group_id)
    posts = (
        Post.objects.active()
        .filter(unit__path__startswith=group.unit.path)
        .select_related("user", "unit")
        .order_by("unit__path", "role")[:300]
    )
    roles = access.COMMITTEE_ROLES if group.kind == GroupKind.COMMITTEE else access.GROUP_ROLES
    form = MemberForm(request.POST or None, posts=Post.objects.filter(pk__in=[p.pk for p in posts]))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_add_member(
                user,
                group,
                role=d["role"],
                walk=d["walk"],
                name=d["name"],
                position=d["position"],
                post=d["post"],
                duties=d["duties"],
                since=d["since"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("成员已增加。"))
            return redirect(group)
    return render(
        request,
        "building/group_detail.html",
        {
            "group": group,
            "members": group.members.select_related("post__user"),
            "form": form,
            "may_edit": org_access.may(user, roles, group.unit),
        },
    )


@login_required
@require_POST
def member_end(request: HttpRequest, member_id: int) -> HttpResponse:
    user = acting_user(request)
    member = access.get_member_for_user(user, member_id)
    try:
        actions.do_end_member(
            user, member, until=_day(request.POST.get("until"), timezone.localdate())
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect(member.group)


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        units=_units_for(user, (UnitKind.PREFECTURE, UnitKind.COUNTY)),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            document = actions.do_file_document(
                user,
                d["unit"],
                title=d["title"],
                number=d["number"],
                issuer=d["issuer"],
                issued_on=d["issued_on"],
                file=d["file"],
                items=d["items"],
                client_token=d["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("政策文件已登记。"))
            return redirect(document)
    may_file = any(
        org_access.may(user, access.DOCUMENT_ROLES, u)
        for u in _units_for(user, (UnitKind.PREFECTURE, UnitKind.COUNTY))[:20]
    )
    if request.GET.get("format") == "xlsx":
        lines: list[list[Any]] = [
            [_("标题"), _("文号"), _("发文机关"), _("发文日期"), _("发文单位")]
        ]
        for doc in access.documents_for_user(user)[:5000]:
            lines.append([doc.title, doc.number, doc.issuer, doc.issued_on, doc.unit.name])
        return _xlsx("building-documents", [(_("政策文件"), lines)])
    return render(
        request,
        "building/documents.html",
        {"documents": access.documents_for_user(user)[:300], "form": form, "may_file": may_file},
    )


@login_required
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    user = acting_user(request)
    document = access.get_document_for_user(user, document_id)
    return render(
        request,
        "building/document_detail.html",
        {
            "document": document,
            "projects": access.projects_for_user(user).filter(documents=document),
            "items": document.items.all(),
            "groups": access.groups_for_user(user).filter(document=document),
            "pledges": access.pledges_for_user(user).filter(document=document),
        },
    )


@login_required
def pledges(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = PledgeForm(
        request.POST or None, units=_units_for(user, (UnitKind.PREFECTURE, UnitKind.COUNTY))
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            pledge = actions.do_make_pledge(
                user,
                d["unit"],
                year=d["year"],
                title=d["title"],
                measure=d["measure"],
                target=d["target"],
                client_token=d["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("实事已登记。"))
            return redirect(pledge)
    rows = [(p, pledge_progress(p)) for p in access.pledges_for_user(user)[:100]]
    if request.GET.get("format") == "xlsx":
        lines: list[list[Any]] = [[_("年度"), _("实事"), _("承诺政府"), _("计量"), _("目标"), _("完成"),
                  _("办结日期")]]  # fmt: skip
        for p, done in rows:
            lines.append(
                [p.year, p.title, p.unit.name, p.get_measure_display(), p.target, done,
                 p.completed_on]
            )  # fmt: skip
        return _xlsx("building-pledges", [(_("十件实事"), lines)])
    return render(request, "building/pledges.html", {"rows": rows, "form": form})


@login_required
def pledge_detail(request: HttpRequest, pledge_id: int) -> HttpResponse:
    user = acting_user(request)
    pledge = access.get_pledge_for_user(user, pledge_id)
    form = PledgeReportForm()
    if request.method == "POST":
        try:
            if request.POST.get("what") == "complete":
                actions.do_complete_pledge(user, pledge)
                messages.success(request, _("实事已办结。"))
                return redirect(pledge)
            form = PledgeReportForm(request.POST, request.FILES)
            if form.is_valid():
                d = form.cleaned_data
                actions.do_report_pledge(
                    user, pledge, value=d["value"], note=d["note"], evidence=d["evidence"]
                )
                messages.success(request, _("进展已登记。"))
                return redirect(pledge)
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            messages.error(request, str(error))
    # A pledge of a government above the user's scope is read, not worked on: the page
    # shows how far the user's own part of it has come.
    here = None
    if not org_access.in_scope(user, pledge.unit) and pledge.measure != "manual":
        root = org_access.scope_roots(user).filter(path__startswith=pledge.unit.path).first()
        if root is not None:
            here = (root, pledge_progress(pledge, within=root))
    return render(
        request,
        "building/pledge_detail.html",
        {
            "pledge": pledge,
            "progress": pledge_progress(pledge),
            "here": here,
            "reports": pledge.reports.all(),
            "form": form,
            "may_edit": org_access.may(user, access.PLEDGE_ROLES, pledge.unit),
            "manual": pledge.measure == "manual",
        },
    )


# --- files: each through its record's access helper (out of scope is a 404) -----------------


@login_required
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = access.get_evidence_for_user(acting_user(request), evidence_id)
    return serve_upload(evidence.file, f"evidence-{evidence.pk}")


@login_required
def project_photo(request: HttpRequest, report_id: int) -> FileResponse:
    report = access.get_project_report_for_user(acting_user(request), report_id)
    return serve_upload(report.photo, f"project-{report.project_id}-{report.pk}")


@login_required
def document_file(request: HttpRequest, document_id: int) -> FileResponse:
    document = access.get_document_for_user(acting_user(request), document_id)
    return serve_upload(document.file, f"document-{document.pk}")


@login_required
def pledge_evidence(request: HttpRequest, report_id: int) -> FileResponse:
    report = access.get_pledge_report_for_user(acting_user(request), report_id)
    return serve_upload(report.evidence, f"pledge-{report.pledge_id}-{report.pk}")
