from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ.orgs.access import active_posts
from shequ.services import access, calendar
from shequ.services.actions import (
    EXTENDABLE_STATUSES,
    do_accept_case,
    do_close_case,
    do_complete_case,
    do_decide_case_extension,
    do_receive_case,
    do_refuse_case,
    do_request_case_extension,
    do_return_case_for_correction,
    do_send_up_case,
    do_start_case,
)
from shequ.services.forms import CaseReceiveForm, CaseStepForm, CatalogueFilterForm
from shequ.services.models import Case, CaseStatus, ItemKind, Requirement


def catalogue(request: HttpRequest) -> HttpResponse:
    """The service catalogue (事项目录); public, like every hall's notice board."""
    windows = access.window_types_for_user(request.user)
    form = CatalogueFilterForm(request.GET or None, windows=windows)
    items = form.filter(access.items_for_user(request.user)).select_related("window_type")
    return render(
        request,
        "services/catalogue.html",
        {"form": form, "items": items, "windows": windows},
    )


def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    """The guide (办事指南) of one item; printable."""
    item = access.get_item_for_user(request.user, code)
    materials = list(item.materials.all())
    return render(
        request,
        "services/item_guide.html",
        {
            "item": item,
            "materials": materials,
            "has_deferrable": any(m.requirement == Requirement.DEFERRABLE for m in materials),
        },
    )


# --- cases ----------------------------------------------------------------------------

STEP_LABELS = {
    "accept": _("受理"),
    "return": _("退回补正"),
    "refuse": _("不予受理"),
    "start": _("开始办理"),
    "arrive": _("到达现场"),
    "send_up": _("报送上级"),
    "complete": _("办结"),
    "close": _("归档"),
    "extend": _("申请延期"),
}


def steps_for(case: Case) -> list[str]:
    """The steps the case's status allows (the actions check again, and win or lose)."""
    status, item = case.status, case.item
    on_site = item.kind == ItemKind.ON_SITE
    steps: list[str] = []
    if status == CaseStatus.RECEIVED:
        steps = ["accept", "return", "refuse"]
        if item.kind == ItemKind.IMMEDIATE:
            steps.append("complete")
    elif status == CaseStatus.RETURNED:
        steps = ["accept"] if case.accepted_at else ["accept", "refuse"]
    elif status == CaseStatus.ACCEPTED:
        steps = ["arrive" if on_site else "start", "return", "complete"]
        if item.sent_up:
            steps.append("send_up")
    elif status == CaseStatus.IN_PROGRESS:
        steps = ["return", "complete"] + (["send_up"] if item.sent_up else [])
    elif status == CaseStatus.SENT_UP:
        steps = ["complete"]
    elif status in (CaseStatus.COMPLETED, CaseStatus.REFUSED):
        steps = ["close"]
    if status in EXTENDABLE_STATUSES and item.kind != ItemKind.IMMEDIATE:
        steps.append("extend")
    return steps


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = access.cases_for_user(request.user).select_related(
        "item", "unit", "handling_unit", "resident"
    )
    view = request.GET.get("view", "open")
    if view == "mine":
        # The queue of the user's own units: what waits on them (cases sent up included).
        units = {post.unit_id for post in active_posts(request.user)}
        cases = cases.open().filter(handling_unit__in=units)
    elif view == "overdue":
        cases = cases.overdue()
    elif view == "quarter_hour":
        cases = cases.filter(quarter_hour_applies=True, quarter_hour_met__isnull=True)
    elif view != "all":
        view = "open"
        cases = cases.open()
    page = Paginator(cases.order_by("-received_at", "-pk"), 50).get_page(request.GET.get("page"))
    calendar_until = calendar.known_until()
    return render(
        request,
        "services/case_list.html",
        {
            "page": page,
            "view": view,
            "now": timezone.now(),
            "can_receive": access.receiving_units(request.user).exists(),
            "calendar_until": calendar_until,
            "calendar_short": calendar_until is None
            or calendar_until < timezone.localdate() + dt.timedelta(days=90),
        },
    )


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    units = access.receiving_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("您的岗位无权登记办件。"))
    items = access.items_for_user(request.user)
    form = CaseReceiveForm(request.POST or None, units=units, items=items, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = do_receive_case(
                request.user,  # type: ignore[arg-type]
                unit=data["unit"],
                item=data["item"],
                channel=data["channel"],
                applicant_kind=data["applicant_kind"],
                resident=data["resident"],
                org_name=data["org_name"],
                org_credit_code=data["org_credit_code"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                summary=data["summary"],
                client_token=data["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("已登记,办件编号 %(number)s。") % {"number": case.number})
            return redirect(case)
    return render(request, "services/case_new.html", {"form": form})


def _step_form(case: Case, data: Any = None) -> CaseStepForm:
    deferrable = [
        m.name for m in case.item.materials.all() if m.requirement == Requirement.DEFERRABLE
    ]
    return CaseStepForm(data, deferrable=deferrable, up_units=access.send_up_units(case))


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id)
    return render(request, "services/case_detail.html", _detail_context(case, _step_form(case)))


def _detail_context(case: Case, form: CaseStepForm) -> dict[str, Any]:
    return {
        "case": case,
        "events": case.events.select_related("actor"),
        "pauses": case.pauses.order_by("started_at"),
        "extensions": case.extensions.select_related("requested_by", "decided_by").order_by(
            "requested_at"
        ),
        "steps": [(step, STEP_LABELS[step]) for step in steps_for(case)],
        "form": form,
        "now": timezone.now(),
    }


@login_required
@require_POST
def case_step(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id)
    if step not in STEP_LABELS:
        raise Http404
    form = _step_form(case, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actor = request.user
        try:
            if step == "accept":
                do_accept_case(
                    actor,  # type: ignore[arg-type]
                    case,
                    deferred_materials=data["deferred_materials"],
                    materials_due_on=data["materials_due_on"],
                    note=data["note"],
                )
            elif step == "return":
                do_return_case_for_correction(
                    actor,  # type: ignore[arg-type]
                    case,
                    missing=form.missing_list,
                    note=data["note"],
                )
            elif step == "refuse":
                do_refuse_case(
                    actor,  # type: ignore[arg-type]
                    case,
                    reason=data["reason"],
                    legal_basis=data["legal_basis"],
                )
            elif step in ("start", "arrive"):
                do_start_case(actor, case, note=data["note"])  # type: ignore[arg-type]
            elif step == "send_up":
                if data["to_unit"] is None:
                    raise ValidationError({"to_unit": _("请选择报送单位。")})
                do_send_up_case(
                    actor,  # type: ignore[arg-type]
                    case,
                    to_unit=data["to_unit"],
                    note=data["note"],
                )
            elif step == "complete":
                do_complete_case(actor, case, result=data["result"])  # type: ignore[arg-type]
            elif step == "extend":
                do_request_case_extension(
                    actor,  # type: ignore[arg-type]
                    case,
                    days=data["days"] or 0,
                    reason=data["reason"],
                )
            else:
                do_close_case(actor, case)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已%(step)s。") % {"step": STEP_LABELS[step]})
            return redirect(case)
    case.refresh_from_db()
    return render(request, "services/case_detail.html", _detail_context(case, form), status=400)


@login_required
@require_POST
def case_extension_decide(request: HttpRequest, case_id: int, extension_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id)
    extension = get_object_or_404(case.extensions, pk=extension_id)
    try:
        do_decide_case_extension(
            request.user,  # type: ignore[arg-type]
            extension,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", "")[:500],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("已审批延期申请。"))
    return redirect(case)


NOTICE_TITLES = {
    "receipt": _("办件登记回执"),
    "accepted": _("受理通知书"),
    "returned": _("补正材料一次性告知书"),
    "refused": _("不予受理通知书"),
    "completed": _("办结通知书"),
}


@login_required
def case_notice(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """Printable notices in Chinese, from what the case and its timeline record."""
    case = access.get_case_for_user(request.user, case_id)
    if kind not in NOTICE_TITLES:
        raise Http404
    event = case.events.filter(verb=kind).order_by("-at").first() if kind != "receipt" else None
    if kind != "receipt" and event is None:
        raise Http404
    pause = case.pauses.order_by("-started_at").first() if kind == "returned" else None
    return render(
        request,
        "services/case_notice.html",
        {
            "case": case,
            "kind": kind,
            "title": NOTICE_TITLES[kind],
            "event": event,
            "pause": pause,
            "today": timezone.localdate(),
        },
    )
