"""Insights' pages: the three-rates report and its .xlsx export (officers' dashboards
and the assessment come here too)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shequ.insights import rates
from shequ.orgs.access import get_unit_for_user, scope_roots

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
