"""Insights' pages: the three-rates report and its .xlsx export (officers' dashboards
and the assessment come here too)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.insights import access as ins_access
from shequ.insights import actions, assessment, dashboards, forms, rates, schemes, seed
from shequ.lib.qr import qr_svg
from shequ.lib.xlsx import workbook_bytes
from shequ.orgs import access as org_access
from shequ.orgs.access import get_unit_for_user, scope_roots
from shequ.services import figures as service_figures

# --- the three rates ------------------------------------------------------------------


def _rates_report(request: HttpRequest) -> rates.Report:
    unit_id = request.GET.get("unit")
    if unit_id:
        unit = get_unit_for_user(request.user, unit_id)
    else:
        roots = list(scope_roots(request.user)[:1])
        if not roots:
            raise Http404
        unit = roots[0]
    try:
        year, mon = (int(part) for part in request.GET.get("month", "").split("-"))
        month = dt.date(year, mon, 1)
    except (ValueError, OverflowError):  # 99999999999999999999-1 overflows a C long
        month = timezone.localdate()
    if not dt.date(2000, 1, 1) <= month <= dt.date(2100, 1, 1):
        month = timezone.localdate()
    return rates.report(unit, rates.month_start(month))


@login_required
def three_rates(request: HttpRequest) -> HttpResponse:
    rep = _rates_report(request)
    return render(
        request,
        "insights/three_rates.html",
        {
            "rep": rep,
            "weights": settings.SHEQU_RATE_WEIGHTS,
            "prev": rates.month_start(rep.month - dt.timedelta(days=1)),
            "next": rates.next_month(rep.month),
        },
    )


@login_required
def three_rates_export(request: HttpRequest) -> HttpResponse:
    rep = _rates_report(request)
    response = HttpResponse(
        rates.export_xlsx(rep),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="three-rates-{rep.unit.code}-{rep.month:%Y-%m}.xlsx"'
    )
    return response


# --- the dashboard, the records behind it, the seed's figures -------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _dashboard(request: HttpRequest) -> dashboards.Dashboard:
    if request.GET.get("unit"):
        unit = get_unit_for_user(request.user, request.GET["unit"])
    else:
        found = dashboards.home_unit(request.user)
        if found is None:
            raise Http404
        unit = found
    return dashboards.build(request.user, unit, _year(request))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    dash = _dashboard(request)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(dashboards.export_xlsx(dash), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="dashboard-{dash.unit.code}-{dash.year}.xlsx"'
        )
        return response
    return render(request, "insights/dashboard.html", {"dash": dash.as_dict()})


@login_required
def records(request: HttpRequest) -> HttpResponse:
    unit = get_unit_for_user(request.user, request.GET.get("unit"))
    tz = timezone.get_current_timezone()
    label = ""
    try:
        if request.GET.get("month"):
            y, m = (int(p) for p in request.GET["month"].split("-"))
            first = dt.date(y, m, 1)
            last = rates.next_month(first)
            label = f"{first:%Y-%m}"
        else:
            first = dt.date(_year(request), 1, 1)
            last = dt.date(first.year + 1, 1, 1)
            label = str(first.year)
    except (ValueError, OverflowError):
        raise Http404 from None
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last, dt.time.min, tzinfo=tz)
    channel = request.GET.get("channel", "")[:16]
    overdue = request.GET.get("overdue") == "1"
    rows = service_figures.case_rows(request.user, unit.path, start, end, channel, overdue)
    return render(
        request,
        "insights/records.html",
        {"unit": unit, "rows": rows, "label": label, "channel": channel, "overdue": overdue},
    )


def _seed_day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return seed.SEED_DAY


@login_required
def seed_figures(request: HttpRequest) -> HttpResponse:
    if not scope_roots(request.user).filter(kind="prefecture").exists():
        raise Http404
    day = _seed_day(request)
    figures = seed.seed_page(day)
    if request.GET.get("format") == "xlsx":
        rows: list[list[object]] = [[_("指标"), _("数值"), _("来源"), _("数字")]]
        for f in figures:
            rows.append([str(f.label), f.value, f.source, *f.numbers])
        data = workbook_bytes([(f"{day}", rows)])
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="seed-figures-{day}.xlsx"'
        return response
    return render(request, "insights/seed.html", {"figures": figures, "day": day})


# --- quantified assessment ------------------------------------------------------------


def _may(user: Any, roles: frozenset[str], unit: Any) -> bool:
    return bool(user.is_authenticated and org_access.may(user, roles, unit))


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    home = dashboards.home_unit(user)
    can_create = (
        home is not None and home.kind != "community" and _may(user, actions.ASSESSOR_ROLES, home)
    )
    form = forms.NewSchemeForm(request.POST or None)
    if request.method == "POST":
        if not can_create or home is None:
            raise PermissionDenied
        if form.is_valid():
            spec = schemes.COUNTY_SCHEME if home.kind == "prefecture" else schemes.TOWNSHIP_SCHEME
            name = str(spec["name"])
            if home.kind == "township":
                name = "社区(村)建设量化考核"
            try:
                scheme = actions.do_create_scheme(
                    user,  # type: ignore[arg-type]
                    home,
                    year=form.cleaned_data["year"],
                    indicators=schemes.township_indicators(),
                    **{**spec, "name": name},
                )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                return redirect("insights:scheme", scheme.pk)
    rows = ins_access.schemes_for_user(user).distinct().order_by("-year", "unit__path")
    return render(
        request,
        "insights/assessment_list.html",
        {"schemes": rows, "form": form, "can_create": can_create, "home": home},
    )


@login_required
def scheme_detail(request: HttpRequest, scheme_id: int) -> HttpResponse:
    user = request.user
    scheme = ins_access.get_scheme_for_user(user, scheme_id)
    assessor = _may(user, actions.ASSESSOR_ROLES, scheme.unit)
    error = ""
    if request.method == "POST":
        if not assessor:
            raise PermissionDenied
        for unit in assessment.assessed_units(scheme):
            actions.do_compute_sheet(user, scheme, unit)  # type: ignore[arg-type]
        return redirect("insights:scheme", scheme.pk)
    sheets = list(
        ins_access.sheets_for_user(user).filter(scheme=scheme).order_by("-total", "unit__path")
    )
    for rank, sheet in enumerate(sheets, start=1):
        sheet.rank = rank  # type: ignore[attr-defined]
    if request.GET.get("format") == "xlsx":
        rows: list[list[object]] = [
            [_("排名"), _("单位"), _("总分"), _("等次"), _("一票否决"), _("状态")]
        ]
        rows += [
            [
                s.rank,  # type: ignore[attr-defined]
                s.unit.name,
                s.total,
                s.get_grade_display(),
                _("是") if s.vetoed else "",
                s.get_status_display(),
            ]
            for s in sheets
        ]
        response = HttpResponse(workbook_bytes([(f"{scheme.year}", rows)]), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="scheme-{scheme.pk}.xlsx"'
        return response
    leaves = assessment.leaves(scheme)
    return render(
        request,
        "insights/scheme.html",
        {
            "scheme": scheme,
            "sheets": sheets,
            "assessor": assessor,
            "error": error,
            "indicators": scheme.indicators.all(),
            "leaf_ids": {i.pk for i in leaves},
            "measures": assessment.MEASURES,
        },
    )


def _sheet_rows(sheet: Any) -> list[list[object]]:
    rows: list[list[object]] = [
        ["编号", "指标", "类型", "分值", "目标值", "数值", "得分", "数据来源", "佐证"]
    ]
    for line in sheet.lines.select_related("indicator"):
        i = line.indicator
        rows.append(
            [
                i.code,
                i.name,
                i.get_kind_display(),
                i.weight,
                i.target,
                line.value,
                line.points,
                line.source,
                line.evidence,
            ]
        )
    rows.append(["", _("基础分"), "", "", "", "", sheet.scheme.base_score, "", ""])
    rows.append(["", _("总分"), "", "", "", "", sheet.total, sheet.get_grade_display(), ""])
    return rows


@login_required
def sheet_detail(request: HttpRequest, sheet_id: int) -> HttpResponse:
    user = request.user
    sheet = ins_access.get_sheet_for_user(user, sheet_id)
    assessor = _may(user, actions.ASSESSOR_ROLES, sheet.scheme.unit)
    assessed = _may(user, actions.ASSESSED_ROLES, sheet.unit) and not assessor
    if request.GET.get("format") == "xlsx":
        data = workbook_bytes([(f"{sheet.unit.name}"[:31], _sheet_rows(sheet))])
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="score-sheet-{sheet.pk}.xlsx"'
        return response
    action = request.POST.get("action", "")
    bound: dict[str, Any] = {}
    if request.method == "POST":
        try:
            if action in ("review", "approve", "recompute"):
                form: Any = forms.NoteForm(request.POST)
                bound["note"] = form
                if form.is_valid():
                    if action == "review":
                        actions.do_review_sheet(user, sheet, form.cleaned_data["note"])  # type: ignore[arg-type]
                    elif action == "approve":
                        actions.do_approve_sheet(user, sheet)  # type: ignore[arg-type]
                    else:
                        actions.do_compute_sheet(user, sheet.scheme, sheet.unit)  # type: ignore[arg-type]
                    return redirect(sheet.get_absolute_url())
            elif action in ("enter", "object"):
                line = ins_access.get_line_for_user(user, request.POST.get("line"))
                if line.sheet_id != sheet.pk:
                    raise Http404
                if action == "enter":
                    form = forms.EnterValueForm(request.POST)
                    bound[f"enter-{line.pk}"] = form
                    if form.is_valid():
                        actions.do_enter_value(
                            user,  # type: ignore[arg-type]
                            line,
                            form.cleaned_data["value"],
                            form.cleaned_data["evidence"],
                        )
                        return redirect(sheet.get_absolute_url())
                else:
                    form = forms.ObjectionForm(request.POST)
                    bound[f"object-{line.pk}"] = form
                    if form.is_valid():
                        actions.do_raise_objection(
                            user,  # type: ignore[arg-type]
                            line,
                            form.cleaned_data["reason"],
                            form.cleaned_data["claimed_value"],
                            form.cleaned_data["client_token"] or None,
                        )
                        return redirect(sheet.get_absolute_url())
            elif action == "decide":
                objection = ins_access.get_objection_for_user(user, request.POST.get("objection"))
                form = forms.DecideForm(request.POST)
                bound[f"decide-{objection.pk}"] = form
                if form.is_valid():
                    actions.do_decide_objection(
                        user,  # type: ignore[arg-type]
                        objection,
                        upheld=form.cleaned_data["upheld"],
                        note=form.cleaned_data["note"],
                    )
                    return redirect(sheet.get_absolute_url())
            else:
                return HttpResponse(status=400)
        except ValidationError as error:
            form.add_action_errors(error)
        status = 400
    else:
        status = 200
    lines = list(sheet.lines.select_related("indicator").prefetch_related("objections"))
    for line in lines:
        line.enter_form = bound.get(f"enter-{line.pk}") or forms.EnterValueForm(  # type: ignore[attr-defined]
            initial={"value": line.value, "evidence": line.evidence}
        )
        line.object_form = bound.get(f"object-{line.pk}") or forms.ObjectionForm()  # type: ignore[attr-defined]
        for o in line.objections.all():
            o.decide_form = bound.get(f"decide-{o.pk}") or forms.DecideForm()  # type: ignore[attr-defined]
    target_points = None
    if sheet.scheme.target_weight is not None:
        target_points = assessment.q2(sheet.total * sheet.scheme.target_weight / 100)
    return render(
        request,
        "insights/sheet.html",
        {
            "sheet": sheet,
            "lines": lines,
            "assessor": assessor,
            "assessed": assessed,
            "note_form": bound.get("note") or forms.NoteForm(),
            "target_points": target_points,
            "groups": {i.pk: i for i in sheet.scheme.indicators.all()},
        },
        status=status,
    )


@login_required
def sheet_print(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = ins_access.get_sheet_for_user(request.user, sheet_id)
    url = request.build_absolute_uri(sheet.get_absolute_url())
    qr = qr_svg(url)
    return render(
        request,
        "insights/sheet_print.html",
        {"sheet": sheet, "rows": _sheet_rows(sheet)[1:], "url": url, "qr": qr},
    )
