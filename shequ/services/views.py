from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, F, Q, When
from django.db.models import Case as DbCase
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shequ.lib.masking import mask_name
from shequ.orgs.access import (
    acting_user,
    active_posts,
    may,
    parse_pk,
)
from shequ.orgs.models import UnitKind
from shequ.orgs.ratelimit import RateLimited
from shequ.people import access as people_access
from shequ.people.actions import do_register_resident
from shequ.people.forms import ResidentForm
from shequ.people.models import Resident
from shequ.people.search import exact_kind
from shequ.services import access, case_files, lifecycle, papers, worklists
from shequ.services.access import HALL_ADMIN_ROLES
from shequ.services.actions import (
    StepInput,
    do_case_step,
    do_decide_case_extension,
    do_receive_case,
)
from shequ.services.forms import (
    CaseReceiveForm,
    CaseStepForm,
    CatalogueFilterForm,
    KioskForm,
    NoteForm,
    RatingForm,
    ServeTicketForm,
)
from shequ.services.hall import (
    do_add_hall_window,
    do_call_next_ticket,
    do_call_ticket,
    do_create_service_hall,
    do_finish_ticket,
    do_issue_hall_device_key,
    do_recall_ticket,
    do_serve_ticket,
    do_skip_ticket,
    do_take_ticket,
    do_transfer_ticket,
    hall_window_types,
    waiting_for,
)
from shequ.services.lifecycle import Step
from shequ.services.models import (
    FINAL_CASE_STATUSES,
    ApplicantKind,
    Case,
    CaseStatus,
    Rating,
    RatingChannel,
    Rectification,
    RectificationStatus,
    Requirement,
    ServiceHall,
    Ticket,
    TicketStatus,
    criteria_for,
)
from shequ.services.ratings import (
    case_for_rating_link,
    do_appeal_rating,
    do_decide_rating_appeal,
    do_fix_rectification,
    do_follow_up_rectification,
    do_rate_case,
    do_reply_rectification,
    do_verify_rectification,
)
from shequ.services.search import is_case_number, search_cases
from shequ.services.worklists import VIEWS


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


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = access.cases_for_user(request.user).select_related(
        "item", "unit", "handling_unit", "resident"
    )
    params = request.POST if request.method == "POST" else request.GET
    q = str(params.get("q", ""))[:50].strip()
    exact = bool(exact_kind(q)) and not is_case_number(cases, q)
    if request.method == "POST" and not exact:
        # Only an exact ID or phone search stays in a POST body (no full number in a URL
        # or an access log); anything else goes back to a shareable, pageable GET.
        query = {k: v for k, v in {"q": q, "view": params.get("view", "")}.items() if v}
        return redirect(f"{reverse('services:cases')}?{urlencode(query)}")
    status = 200
    if request.method == "GET" and exact:
        messages.error(
            request, _("身份证号和手机号请在查找框中提交,不要写在网址里(网址会留在日志中)。")
        )
        cases, q, status = cases.none(), "", 400
    found = worklists.parse(params, request.user)
    if q and not params.get("view"):
        found = found.with_(view="all")  # a search looks through every case
    cases = cases.filter(found.q(request.user, timezone.now()))
    try:
        cases = search_cases(request.user, cases, q)
    except RateLimited as limited:
        messages.error(
            request,
            _("查找过于频繁:每分钟最多 %(limit)d 次,请 %(seconds)d 秒后再试。")
            % {"limit": limited.verdict.limit, "seconds": limited.verdict.retry_after},
        )
        cases = cases.none()
        status = 429
    page = Paginator(cases.order_by("-received_at", "-pk"), 50).get_page(params.get("page"))
    response = render(
        request,
        "services/case_list.html",
        {
            "page": page,
            "view": found.view,
            "found": found,
            "tabs": [(key, label, found.with_(view=key).url()) for key, label in VIEWS.items()],
            "figures": [
                (key, worklists.FIGURES[key], found.with_(figure=key).url())
                for key in _rate_figures(found.figure)
            ],
            # the typed ID number is not echoed back into the page
            "q": "" if exact else q,
            "searched": bool(q),
            "now": timezone.now(),
            "can_receive": access.receiving_units(request.user).exists(),
        },
        status=status,
    )
    if exact:
        response["Cache-Control"] = "no-store"
    return response


def _rate_figures(figure: str) -> tuple[str, ...]:
    """The other lists of the same rate (its denominator, met, missed)."""
    return next((keys for keys in worklists.RATE_FIGURES.values() if figure in keys), ())


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """Register a case. Two detours before anything is saved: an ID number not in the
    registry offers to register the resident on the spot (the draft kept), and a second
    open case of the same item for the same resident asks to be confirmed."""
    user = request.user
    units = access.receiving_units(user)
    if not units.exists():
        raise PermissionDenied(_("您的岗位无权登记办件。"))
    items = access.items_for_user(user)
    chosen: Resident | None = None
    initial: dict[str, Any] = {}
    if request.method == "GET" and request.GET.get("resident"):
        chosen = people_access.get_resident_for_user(user, request.GET["resident"])
        initial = {"resident": chosen.pk, "applicant_kind": ApplicantKind.RESIDENT}
    data = request.POST.copy() if request.method == "POST" else None
    resident_form = None
    if data is not None and data.get("op") == "register_resident":
        resident_form = _new_resident_form(request, data)
        if resident_form is not None and resident_form.is_valid():
            resident = _register_resident(request, resident_form)
            if resident is not None:
                data["resident"] = str(resident.pk)
                data["applicant_kind"] = ApplicantKind.RESIDENT
                resident_form = None
    form = CaseReceiveForm(data, initial=initial, units=units, items=items, user=user)
    duplicates: list[Case] = []
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        chosen = cleaned["resident"]
        if chosen is not None and not cleaned["confirm_duplicate"]:
            duplicates = list(
                access.open_cases_like(
                    user, chosen, cleaned["item"], client_token=cleaned["client_token"]
                )[:5]
            )
        if not duplicates:
            try:
                case = do_receive_case(
                    acting_user(request),
                    unit=cleaned["unit"],
                    item=cleaned["item"],
                    channel=cleaned["channel"],
                    applicant_kind=cleaned["applicant_kind"],
                    resident=chosen,
                    org_name=cleaned["org_name"],
                    org_credit_code=cleaned["org_credit_code"],
                    contact_name=cleaned["contact_name"],
                    contact_phone=cleaned["contact_phone"],
                    summary=cleaned["summary"],
                    client_token=cleaned["client_token"] or None,
                )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(
                    request, _("已登记,办件编号 %(number)s。") % {"number": case.number}
                )
                return redirect(case)
    elif data is not None:
        chosen = form.cleaned_data.get("resident")
        if resident_form is None and form.unknown_id_number:
            resident_form = _new_resident_form(request, None, form=form)
    hidden = {"resident", "confirm_duplicate"} | ({"resident_id_number"} if chosen else set())
    return render(
        request,
        "services/case_new.html",
        {
            "form": form,
            "fields": [f for f in form.visible_fields() if f.name not in hidden],
            "chosen": chosen,
            "duplicates": duplicates,
            "resident_form": resident_form,
        },
    )


def _new_resident_form(
    request: HttpRequest, data: Any, *, form: CaseReceiveForm | None = None
) -> ResidentForm | None:
    """The registry's own form, prefilled from what the clerk typed in the case form;
    none for a user who may not register residents."""
    units = people_access.editable_units(request.user)
    if not units.exists():
        return None
    initial: dict[str, Any] = {}
    if form is not None:
        typed = form.cleaned_data
        unit = typed.get("unit")
        initial = {
            "id_number": form.unknown_id_number,
            "name": typed.get("contact_name", ""),
            "phone": typed.get("contact_phone", ""),
            "unit": unit.pk if unit is not None and units.filter(pk=unit.pk).exists() else None,
        }
    return ResidentForm(data, prefix="new", units=units, initial=initial)


def _register_resident(request: HttpRequest, form: ResidentForm) -> Resident | None:
    data = form.cleaned_data
    try:
        return do_register_resident(
            acting_user(request),
            **form.resident_data(),
            client_token=data["client_token"] or None,
        )
    except ValidationError as error:
        form.add_action_errors(error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


@login_required
def resident_cases(request: HttpRequest, resident_id: int) -> HttpResponse:
    """A resident's cases, open first: a panel of the resident's page (htmx), or a page."""
    resident = people_access.get_resident_for_user(request.user, resident_id)
    cases = (
        access.cases_for_user(request.user)
        .filter(resident=resident)
        .select_related("item", "unit", "handling_unit")
        .alias(done=DbCase(When(status__in=FINAL_CASE_STATUSES, then=1), default=0))
        .order_by("done", "-received_at", "-pk")
    )
    template = "services/resident_cases.html"
    if request.headers.get("HX-Request"):
        template += "#panel"
    return render(
        request,
        template,
        {
            "resident": resident,
            "cases": cases[:30],
            "total": cases.count(),
            "can_receive": access.receiving_units(request.user).exists(),
            "now": timezone.now(),
        },
    )


def _step_form(case: Case, data: Any = None) -> CaseStepForm:
    materials = list(case.item.materials.all())
    return CaseStepForm(
        data,
        deferrable=[m.name for m in materials if m.requirement == Requirement.DEFERRABLE],
        materials=[m.name for m in materials],
        up_units=access.send_up_units(case),
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id)
    return render(
        request, "services/case_detail.html", _detail_context(case, _step_form(case), request.user)
    )


def _detail_context(case: Case, form: CaseStepForm, user: Any) -> dict[str, Any]:
    return {
        "case": case,
        "events": case.events.select_related("actor"),
        "pauses": case.pauses.order_by("started_at"),
        "extensions": case.extensions.select_related("requested_by", "decided_by").order_by(
            "requested_at"
        ),
        "steps": [(step.value, step.label) for step in lifecycle.allowed_steps(case, user)],
        "files": case_files.files_for(case, user),
        "notices": papers.available_notices(case),
        "form": form,
        "now": timezone.now(),
    }


@login_required
@require_POST
def case_step(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id)
    if step not in Step.values:
        raise Http404
    form = _step_form(case, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_case_step(
                acting_user(request),
                case,
                Step(step),
                StepInput(
                    note=data["note"],
                    result=data["result"],
                    reason=data["reason"],
                    legal_basis=data["legal_basis"],
                    missing=form.missing_list,
                    deferred_materials=data["deferred_materials"],
                    materials_due_on=data["materials_due_on"],
                    to_unit=data["to_unit"],
                    days=data["days"] or 0,
                ),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已%(step)s。") % {"step": Step(step).label})
            return redirect(case)
    case.refresh_from_db()
    return render(
        request,
        "services/case_detail.html",
        _detail_context(case, form, request.user),
        status=400,
    )


@login_required
@require_POST
def case_extension_decide(request: HttpRequest, case_id: int, extension_id: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, case_id)
    extension = get_object_or_404(case.extensions, pk=extension_id)
    try:
        do_decide_case_extension(
            acting_user(request),
            extension,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", "")[:500],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("已审批延期申请。"))
    return redirect(case)


@login_required
def case_notice(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """Printable notices in Chinese, from what the case and its timeline record, with the
    issuing office's contacts, the clerk, signature and seal places, and a QR code to the
    case's public status page."""
    case = access.get_case_for_user(request.user, case_id)
    available = dict(papers.available_notices(case))
    if kind not in available:
        raise Http404
    event = None
    if kind in papers.EVENT_NOTICES:
        event = papers.latest_event(case, kind)
    elif kind == "certificate":
        event = papers.latest_event(case, "completed")
    unit = papers.issuing_unit(case, event)
    url = request.build_absolute_uri(papers.status_path(case))
    return render(
        request,
        "services/case_notice.html",
        {
            "case": case,
            "kind": kind,
            "title": papers.notice_title(case, kind),
            "event": event,
            "pause": case.pauses.order_by("-started_at").first() if kind == "returned" else None,
            "office": papers.office_of(unit),
            "clerk": papers.clerk_of(case, event),
            "status_url": url,
            "qr": papers.status_qr(url),
            "today": timezone.localdate(),
        },
    )


def case_status(request: HttpRequest, token: str) -> HttpResponse:
    """A case's public status page, opened from the QR code on its papers (no sign-in):
    what was asked, where it stands and by when, without the applicant's personal data."""
    case_id = papers.case_for_status_token(token)
    if case_id is None:
        raise Http404
    case = get_object_or_404(
        Case.objects.select_related("item", "unit", "handling_unit", "resident"), pk=case_id
    )
    return render(
        request,
        "services/case_status.html",
        {
            "case": case,
            "applicant": mask_name(case.applicant_name),
            "events": case.events.order_by("at", "pk"),
            "office": papers.office_of(case.unit),
        },
    )


# --- the one-stop hall: staff pages ---------------------------------------------------


def _may_admin_hall(user: Any, hall: ServiceHall) -> bool:
    return may(user, HALL_ADMIN_ROLES, hall.unit)


@login_required
def hall_list(request: HttpRequest) -> HttpResponse:
    halls = access.halls_for_user(request.user).select_related("unit").order_by("unit__path")
    lead_units = [
        post.unit
        for post in active_posts(request.user)
        if post.role in HALL_ADMIN_ROLES and post.unit.kind == UnitKind.COMMUNITY
    ]
    missing = [u for u in lead_units if not ServiceHall.objects.filter(unit=u).exists()]
    if request.method == "POST":
        unit = next((u for u in missing if str(u.pk) == request.POST.get("unit")), None)
        if unit is None:
            raise Http404
        hall = do_create_service_hall(acting_user(request), unit)
        messages.success(request, _("已设立便民服务大厅。"))
        return redirect("services:hall", hall.pk)
    return render(request, "services/hall_list.html", {"halls": halls, "missing": missing})


@login_required
def hall_detail(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = access.get_hall_for_user(request.user, hall_id)
    can_admin = _may_admin_hall(request.user, hall)
    if request.method == "POST":
        if not can_admin:
            raise PermissionDenied
        if request.POST.get("op") == "rotate":
            do_issue_hall_device_key(acting_user(request), hall)
            messages.success(request, _("已更换设备密钥,请在各设备上打开新的链接。"))
        elif request.POST.get("op") == "window":
            types = access.window_types_for_user(request.user)
            window_type = types.filter(pk=parse_pk(request.POST.get("window_type"))).first()
            try:
                number = int(request.POST.get("number", ""))
            except ValueError:
                number = 0
            if window_type is None or not 1 <= number <= 99:
                messages.error(request, _("请填写窗口号(1-99)并选择窗口类型。"))
            else:
                do_add_hall_window(
                    acting_user(request), hall, number=number, window_type=window_type
                )
        return redirect("services:hall", hall.pk)
    today = timezone.localdate()
    tickets = Ticket.objects.filter(hall=hall, day=today)
    stats = tickets.aggregate(
        taken=Count("pk"),
        waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
        wait=Avg(F("called_at") - F("taken_at"), filter=Q(called_at__isnull=False)),
        service=Avg(F("finished_at") - F("called_at"), filter=Q(finished_at__isnull=False)),
    )
    return render(
        request,
        "services/hall_detail.html",
        {
            "hall": hall,
            "windows": hall.windows.select_related("window_type", "post__user"),
            "can_admin": can_admin,
            "stats": stats,
            "window_types": access.window_types_for_user(request.user),
            "recent": tickets.select_related("window", "window_type").order_by("-taken_at")[:30],
        },
    )


MAX_SEQ = 2_147_483_647  # PositiveIntegerField


@login_required
def hall_window(request: HttpRequest, hall_id: int, window_id: int) -> HttpResponse:
    """The clerk's console at one window: call, recall, skip, transfer, serve."""
    window = access.get_window_for_user(request.user, hall_id, window_id)
    hall = window.hall
    current = (
        Ticket.objects.filter(window=window, status=TicketStatus.CALLED)
        .select_related("resident", "case")
        .first()
    )
    items = access.items_for_user(request.user).filter(window_type=window.window_type)
    form = ServeTicketForm(request.POST or None, items=items, prefix="serve")
    if request.method == "POST":
        op = request.POST.get("op", "")
        actor = acting_user(request)
        try:
            if op == "next":
                ticket = do_call_next_ticket(actor, window)
                if ticket is None:
                    messages.info(request, _("没有等候的号。"))
            elif op == "call":
                try:
                    seq = int(request.POST.get("seq", "").strip().lstrip("Aa") or 0)
                except ValueError:
                    seq = 0
                if not 1 <= seq <= MAX_SEQ:
                    raise ValidationError(_("今天没有这个号。"))
                do_call_ticket(actor, window, seq=seq)
            elif current is None:
                raise ValidationError(_("当前没有已叫的号。"))
            elif op == "recall":
                do_recall_ticket(actor, current)
            elif op == "skip":
                do_skip_ticket(actor, current)
            elif op == "finish":
                do_finish_ticket(actor, current)
            elif op == "transfer":
                to = hall.windows.filter(pk=parse_pk(request.POST.get("to_window"))).first()
                if to is None:
                    raise ValidationError(_("请选择转往的窗口。"))
                do_transfer_ticket(actor, current, to_window=to)
            elif op == "serve":
                if not form.is_valid():
                    raise ValidationError(_("请检查填写的内容。"))
                data = form.cleaned_data
                case = do_serve_ticket(
                    actor,
                    current,
                    item=data["item"],
                    contact_phone=data["contact_phone"],
                    summary=data["summary"],
                    result=data["result"],
                    client_token=data["client_token"] or None,
                )
                if case.status != CaseStatus.COMPLETED:
                    return redirect(case)
                messages.success(request, _("已办结,请申请人在评价器上评价。"))
            else:
                raise Http404
        except ValidationError as error:
            if op == "serve":
                form.add_action_errors(error)
            else:
                messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("您的岗位无权进行此操作。"))
        if not (op == "serve" and form.errors):
            return redirect("services:hall_window", hall.pk, window.pk)
    waiting = waiting_for(window).select_related("window_type")
    # the case the last number served here produced, with its papers to print
    served_q = Ticket.objects.filter(window=window, day=timezone.localdate(), case__isnull=False)
    if current is not None:
        served_q = served_q.exclude(pk=current.pk)
    served = served_q.select_related("case__item").order_by("-called_at", "-pk").first()
    served_case = served.case if served is not None else None
    return render(
        request,
        "services/hall_window.html",
        {
            "hall": hall,
            "window": window,
            "current": current,
            "served": served,
            "served_notices": papers.available_notices(served_case) if served_case else [],
            "waiting": waiting[:20],
            "waiting_count": waiting.count(),
            "others": hall.windows.exclude(pk=window.pk).select_related("window_type"),
            "form": form,
        },
    )


# --- the one-stop hall: its devices (public, bound by the device key) -----------------


def kiosk(request: HttpRequest, device_key: str) -> HttpResponse:
    hall = access.get_hall_for_device(device_key)
    types = hall_window_types(hall)
    form = KioskForm(request.POST or None, window_types=types)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = do_take_ticket(
                hall,
                window_type=data["window_type"],
                name=data["name"],
                id_number=data["id_number"],
                client_token=data["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            ahead = Ticket.objects.filter(
                hall=hall,
                day=ticket.day,
                status=TicketStatus.WAITING,
                window_type=ticket.window_type,
                seq__lt=ticket.seq,
            ).count()
            return render(
                request,
                "services/kiosk_ticket.html",
                {"hall": hall, "ticket": ticket, "ahead": ahead},
            )
    return render(
        request,
        "services/kiosk.html",
        {"hall": hall, "form": form},
        status=400 if form.errors else 200,
    )


def hall_screen(request: HttpRequest, device_key: str) -> HttpResponse:
    """The hall screen: the number each window serves now, and how many wait."""
    hall = access.get_hall_for_device(device_key)
    today = timezone.localdate()
    called = {
        t.window_id: t
        for t in Ticket.objects.filter(hall=hall, day=today, status=TicketStatus.CALLED)
    }
    windows = [
        (w, called.get(w.pk))
        for w in hall.windows.filter(active=True).select_related("window_type")
    ]
    waiting = Ticket.objects.filter(hall=hall, day=today, status=TicketStatus.WAITING).count()
    latest = (
        Ticket.objects.filter(hall=hall, day=today, status=TicketStatus.CALLED)
        .select_related("window")
        .order_by(Coalesce("recalled_at", "called_at").desc())
        .first()
    )
    template = "services/hall_screen.html"
    if request.headers.get("HX-Request"):
        template += "#board"
    return render(
        request,
        template,
        {"hall": hall, "windows": windows, "waiting": waiting, "latest": latest},
    )


PAD_WINDOW = dt.timedelta(hours=2)
MAX_WINDOW_NUMBER = 32767  # PositiveSmallIntegerField


def rating_pad(request: HttpRequest, device_key: str, number: int) -> HttpResponse:
    """The rating pad at a window: offers the last case completed there, not yet rated."""
    hall = access.get_hall_for_device(device_key)
    if not 1 <= number <= MAX_WINDOW_NUMBER:
        raise Http404
    window = get_object_or_404(hall.windows, number=number)
    ticket = (
        Ticket.objects.filter(
            window=window,
            case__isnull=False,
            case__rating__isnull=True,
            case__status__in=[CaseStatus.COMPLETED, CaseStatus.CLOSED],
            called_at__gte=timezone.now() - PAD_WINDOW,
        )
        .select_related("case__item")
        .order_by("-called_at")
        .first()
    )
    case = ticket.case if ticket is not None else None
    form = RatingForm(request.POST or None, criteria=criteria_for(RatingChannel.PAD))
    if request.method == "POST":
        if case is None or str(case.pk) != request.POST.get("case"):
            messages.info(request, _("该办件已评价或不在本窗口。"))
            return redirect("services:pad", device_key, number)
        if form.is_valid():
            try:
                do_rate_case(
                    None,
                    case,
                    channel=RatingChannel.PAD,
                    grade=form.cleaned_data["grade"],
                    criteria=form.criteria(),
                    comment=form.cleaned_data["comment"],
                    client_token=form.cleaned_data["client_token"] or None,
                )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                return render(request, "services/rating_thanks.html", {"hall": hall})
    return render(
        request,
        "services/rating_pad.html",
        {"hall": hall, "window": window, "case": case, "form": form},
        status=400 if form.errors else 200,
    )


def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Rating by the signed link of the completion message (no sign-in)."""
    case_id = case_for_rating_link(token)
    if case_id is None:
        raise Http404
    case = get_object_or_404(Case.objects.select_related("item", "unit"), pk=case_id)
    return _rate_page(request, case, RatingChannel.LINK, None)


@login_required
def case_rate(request: HttpRequest, case_id: int) -> HttpResponse:
    """A clerk records the applicant's rating given on the phone (电话回访)."""
    case = access.get_case_for_user(request.user, case_id)
    return _rate_page(request, case, RatingChannel.PHONE, acting_user(request))


def _rate_page(request: HttpRequest, case: Case, channel: str, actor: Any) -> HttpResponse:
    rated = Rating.objects.filter(case=case).exists()
    form = RatingForm(request.POST or None, criteria=criteria_for(channel))
    if request.method == "POST" and not rated and form.is_valid():
        try:
            do_rate_case(
                actor,
                case,
                channel=channel,
                grade=form.cleaned_data["grade"],
                criteria=form.criteria(),
                comment=form.cleaned_data["comment"],
                client_token=form.cleaned_data["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if actor is not None:
                messages.success(request, _("已录入评价。"))
                return redirect(case)
            return render(request, "services/rating_thanks.html", {})
    return render(
        request,
        "services/rating_form.html",
        {"case": case, "form": form, "rated": rated, "channel": channel},
        status=400 if form.errors else 200,
    )


# --- rectification --------------------------------------------------------------------


@login_required
def rectification_list(request: HttpRequest) -> HttpResponse:
    rects = access.rectifications_for_user(request.user).select_related(
        "unit", "rating__case__item", "rating__unit"
    )
    found = worklists.parse_rectifications(request.GET, request.user)
    rects = rects.filter(found.q(timezone.now()))
    page = Paginator(rects.order_by("due_at", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "services/rectification_list.html",
        {"page": page, "view": found.view, "found": found, "now": timezone.now()},
    )


RectStep = Callable[..., Rectification]
RECT_STEPS: dict[str, tuple[RectStep, Promise]] = {
    "verify": (do_verify_rectification, gettext_lazy("核实")),
    "fix": (do_fix_rectification, gettext_lazy("整改")),
    "reply": (do_reply_rectification, gettext_lazy("答复")),
    "follow_up": (do_follow_up_rectification, gettext_lazy("回访")),
}
NEXT_STEP = {
    RectificationStatus.OPEN: "verify",
    RectificationStatus.VERIFIED: "fix",
    RectificationStatus.FIXED: "reply",
    RectificationStatus.REPLIED: "follow_up",
}


@login_required
def rectification_detail(request: HttpRequest, rect_id: int) -> HttpResponse:
    rect = access.get_rectification_for_user(request.user, rect_id)
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        op = request.POST.get("op", "")
        actor = acting_user(request)
        try:
            if op in RECT_STEPS:
                if not form.is_valid():
                    raise ValidationError(_("请填写说明。"))
                action, _label = RECT_STEPS[op]
                if op == "follow_up":
                    do_follow_up_rectification(
                        actor,
                        rect,
                        note=form.cleaned_data["note"],
                        second_grade=form.cleaned_data["second_grade"] or 0,
                    )
                else:
                    action(actor, rect, note=form.cleaned_data["note"])
            elif op == "appeal":
                do_appeal_rating(actor, rect.rating, reason=request.POST.get("reason", "")[:2000])
            elif op in ("uphold", "reject"):
                appeal = get_object_or_404(
                    rect.rating.appeals, pk=parse_pk(request.POST.get("appeal"))
                )
                do_decide_rating_appeal(
                    actor, appeal, uphold=op == "uphold", note=request.POST.get("note", "")[:2000]
                )
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("您的岗位无权进行此操作。"))
        else:
            messages.success(request, _("已保存。"))
        return redirect(rect)
    step = NEXT_STEP.get(RectificationStatus(rect.status))
    return render(
        request,
        "services/rectification_detail.html",
        {
            "rect": rect,
            "rating": rect.rating,
            "case": rect.rating.case,
            "appeals": rect.rating.appeals.select_related("requested_by", "decided_by"),
            "step": step,
            "step_label": RECT_STEPS[step][1] if step else "",
            "form": NoteForm(),
            "now": timezone.now(),
        },
    )
