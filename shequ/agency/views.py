"""Pages: the agent's caseload and the community's agency work, authorisations, agency
cases with their receipts, village points, remote matters and the county figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ.agency import access, actions
from shequ.agency.figures import EXPIRING_DAYS, expiring, village_figures
from shequ.agency.forms import (
    AgencyCaseForm,
    AuthorizationForm,
    CommercialForm,
    CompleteItemForm,
    FiguresForm,
    HandoverForm,
    RemoteMatterForm,
    ResubmitForm,
    RevokeForm,
    resident_label,
)
from shequ.agency.models import AgencyItem, AgencyStatus, AuthStatus, RemoteMatter
from shequ.notify.models import Message
from shequ.orgs import access as org_access
from shequ.orgs.access import MAX_PK, acting_user
from shequ.orgs.files import serve_upload
from shequ.orgs.models import OrgUnit, Post, Role, UnitKind, User
from shequ.orgs.ratelimit import RateLimited
from shequ.people import access as people_access
from shequ.people.models import Category, Resident, ResidentStatus
from shequ.people.search import exact_kind, search_residents
from shequ.services import papers
from shequ.services.models import (
    FINAL_CASE_STATUSES,
    Case,
    CaseStatus,
    Grade,
    Rating,
    RatingChannel,
    ServiceItem,
)
from shequ.services.ratings import do_rate_case


def waiting_on(case: Case) -> str:
    """Who the case waits on now, in words for the agent's list."""
    if case.status == CaseStatus.RETURNED:
        return _("居民补正材料")
    if case.status == CaseStatus.SENT_UP:
        return case.handling_unit.name
    if case.is_final:
        return _("代办员送还结果")
    return case.unit.name


def _items_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "items",
        queryset=AgencyItem.objects.select_related(
            "case__item", "case__handling_unit", "case__unit"
        ),
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    cases = access.agency_cases_for_user(user).prefetch_related(_items_prefetch())
    view = request.GET.get("view", "mine")
    if view == "mine":
        cases = cases.filter(agent=user, status=AgencyStatus.OPEN)
    elif view == "open":
        cases = cases.filter(status=AgencyStatus.OPEN)
    else:
        view = "all"
    rows = []
    now = timezone.now()
    for ac in cases.order_by("-created_at")[:200]:
        items: list[dict[str, Any]] = [
            {
                "case": row.case,
                "waiting_on": waiting_on(row.case),
                "overdue": row.case.is_overdue(now),
            }
            for row in ac.items.all()
        ]
        due = [
            row.case.due_at for row in ac.items.all() if row.case.due_at and not row.case.is_final
        ]
        rows.append({"ac": ac, "items": items, "next_due": min(due) if due else None})
    stations = access.stations_for_user(user).annotate(n_agents=Count("agents"))
    authorizations = access.authorizations_for_user(user).filter(status=AuthStatus.ACTIVE)
    auth_view = "expiring" if request.GET.get("auth") == "expiring" else ""
    if auth_view:
        authorizations = expiring(authorizations, timezone.localdate()).order_by("valid_until")
    return render(
        request,
        "agency/overview.html",
        {
            "rows": rows,
            "view": view,
            "stations": stations,
            "authorizations": authorizations[:100],
            "auth_view": auth_view,
            "expiring_days": EXPIRING_DAYS,
            "today": timezone.localdate(),
        },
    )


def _authorization_form(request: HttpRequest) -> AuthorizationForm:
    user = request.user
    stations = access.stations_for_user(user).filter(active=True)
    units = [s.unit_id for s in stations]
    agents = User.objects.filter(
        pk__in=Post.objects.active().filter(role=Role.AGENT, unit_id__in=units).values("user_id")
    ).order_by("full_name")
    items = ServiceItem.objects.filter(active=True, agency_allowed=True).order_by("code")
    initial = {}
    if request.method == "GET" and request.GET.get("resident"):
        initial["resident"] = org_access.parse_pk(request.GET["resident"])
    return AuthorizationForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        stations=stations,
        residents=access.agency_residents_for_user(user),
        agents=agents,
        items=items,
    )


@login_required
def authorization_new(request: HttpRequest) -> HttpResponse:
    form = _authorization_form(request)
    finding = request.method == "POST" and request.POST.get("op") == "find"
    if request.method == "POST" and not finding and form.is_valid():
        data = form.cleaned_data
        try:
            auth = actions.do_register_authorization(
                acting_user(request),
                station=data["station"],
                resident=data["resident"],
                agent=data["agent"],
                channel=data["channel"],
                valid_until=data["valid_until"],
                form_scan=data["form_scan"],
                items=data["items"],
                all_items=data["all_items"],
                family_name=data["family_name"],
                family_phone=data["family_phone"],
                client_token=data["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("授权委托已登记。"))
            return redirect(auth)
    # The resident picker: who the search finds, and the one already chosen.
    q = request.POST.get("resident_q", "")[:50] if request.method == "POST" else ""
    chosen = str(form["resident"].value() or "")
    status = 200
    try:
        candidates = access.find_agency_residents(request.user, q)
    except RateLimited:
        candidates, status = [], 429
        form.add_error("resident", _("查找过于频繁,请稍后再试。"))
    if chosen.isdigit() and int(chosen) <= MAX_PK and all(str(r.pk) != chosen for r in candidates):
        candidates = [
            *access.agency_residents_for_user(request.user).filter(pk=int(chosen)),
            *candidates,
        ]
    if request.method == "POST" and not finding and status == 200:
        status = 400
    return render(
        request,
        "agency/authorization_new.html",
        {
            "form": form,
            "before": [form["station"]],
            "after": [
                f
                for f in form.visible_fields()
                if f.name not in {"station", "resident", "resident_q"}
            ],
            "candidates": [(r, resident_label(r)) for r in candidates],
            "chosen": chosen,
            # a typed ID number is not echoed back into the page
            "resident_q": "" if exact_kind(q) else q,
        },
        status=status,
    )


@login_required
@require_POST
def resident_search(request: HttpRequest) -> JsonResponse:
    """The resident picker's answers (JSON), in the POST body so an ID number typed never
    reaches a URL: who may give an authorisation at the user's stations."""
    try:
        found = access.find_agency_residents(request.user, request.POST.get("q", "")[:50])
    except RateLimited:
        return JsonResponse({"error": _("查找过于频繁,请稍后再试。")}, status=429)
    response = JsonResponse({"results": [{"id": r.pk, "label": resident_label(r)} for r in found]})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def authorization_detail(request: HttpRequest, auth_id: int) -> HttpResponse:
    auth = access.get_authorization_for_user(request.user, auth_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_revoke_authorization(
                acting_user(request), auth, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("授权已撤销。"))
            return redirect(auth)
    return render(
        request,
        "agency/authorization_detail.html",
        {
            "auth": auth,
            "form": form,
            "problem": actions.authorization_problem(auth, []),
            "cases": auth.cases.order_by("-created_at"),
            "items": auth.items.all(),
            "groups": Category.objects.filter(code__in=auth.categories).order_by("sort"),
        },
    )


def _paper_context(request: HttpRequest, unit: OrgUnit, path: str) -> dict[str, Any]:
    url = request.build_absolute_uri(path)
    return {
        "office": papers.office_of(unit),
        "status_url": url,
        "qr": papers.status_qr(url),
        "today": timezone.localdate(),
    }


@login_required
def authorization_paper(request: HttpRequest, auth_id: int) -> HttpResponse:
    """The 授权委托书 to print and have signed (its scan is then uploaded)."""
    auth = access.get_authorization_for_user(request.user, auth_id)
    return render(
        request,
        "agency/authorization_paper.html",
        {
            "auth": auth,
            "items": auth.items.order_by("code"),
            "groups": Category.objects.filter(code__in=auth.categories).order_by("sort"),
            "clerk": auth.created_by,
            **_paper_context(request, auth.unit, auth.get_absolute_url()),
        },
    )


@login_required
def handover_receipt(request: HttpRequest, handover_id: int) -> HttpResponse:
    """The handover receipt (交接回执) both sides sign; it may cover several items."""
    handover = access.get_handover_for_user(request.user, handover_id)
    cases = handover.covered_cases()
    # the QR code opens the (first) item's public status page, for the resident to follow
    path = papers.status_path(cases[0]) if cases else handover.unit.get_absolute_url()
    return render(
        request,
        "agency/handover_receipt.html",
        {
            "h": handover,
            "cases": cases,
            "clerk": handover.recorded_by,
            **_paper_context(request, handover.unit, path),
        },
    )


@login_required
def resident_authorizations(request: HttpRequest, resident_id: int) -> HttpResponse:
    """A resident's authorisations, in force first: a panel of the resident's page
    (htmx), or a page."""
    resident = people_access.get_resident_for_user(request.user, resident_id)
    auths = access.authorizations_for_user(request.user).filter(resident=resident)
    today = timezone.localdate()
    rows = sorted(
        auths,
        key=lambda a: (not (a.status == AuthStatus.ACTIVE and a.valid_until >= today), -a.pk),
    )
    template = "agency/resident_authorizations.html"
    if request.headers.get("HX-Request"):
        template += "#panel"
    may_authorise = access.agency_residents_for_user(request.user).filter(pk=resident.pk)
    return render(
        request,
        template,
        {
            "resident": resident,
            "authorizations": rows,
            "today": today,
            "can_authorise": may_authorise.exists(),
        },
    )


@login_required
def case_new(request: HttpRequest, auth_id: int) -> HttpResponse:
    auth = access.get_authorization_for_user(request.user, auth_id)
    items = ServiceItem.objects.filter(active=True, agency_allowed=True).order_by("code")
    if not auth.all_items:
        items = items.filter(pk__in=auth.items.values("pk"))
    form = AgencyCaseForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ac = actions.do_open_agency_case(
                acting_user(request),
                authorization=auth,
                items=list(data["items"]),
                summary=data["summary"],
                client_token=data["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("代理件已登记。"))
            return redirect(ac)
    return render(
        request,
        "agency/case_new.html",
        {"auth": auth, "form": form, "problem": actions.authorization_problem(auth, [])},
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    ac = access.get_agency_case_for_user(request.user, case_id)
    cases = (
        Case.objects.filter(agency_item__agency_case=ac)
        .select_related("item", "handling_unit", "unit")
        .order_by("pk")
    )
    handover = HandoverForm(None, cases=cases)
    complete = CompleteItemForm()
    if request.method == "POST":
        step = request.POST.get("step")
        user = acting_user(request)
        if step == "handover":
            handover = HandoverForm(request.POST, cases=cases)
            if handover.is_valid():
                data = handover.cleaned_data
                try:
                    actions.do_record_handover(
                        user,
                        ac,
                        kind=data["kind"],
                        from_party=data["from_party"],
                        to_party=data["to_party"],
                        documents=data["documents"].splitlines(),
                        cases=list(data["cases"]),
                        client_token=data["client_token"] or None,
                    )
                except ValidationError as error:
                    handover.add_action_errors(error)
                else:
                    messages.success(request, _("交接已登记,回执已生成。"))
                    return redirect(ac)
        elif step == "complete":
            complete = CompleteItemForm(request.POST)
            if complete.is_valid():
                case = cases.filter(pk=complete.cleaned_data["case"]).first()
                if case is None:
                    raise Http404
                try:
                    actions.do_complete_agency_item(
                        user, ac, case, result=complete.cleaned_data["result"]
                    )
                except ValidationError as error:
                    complete.add_action_errors(error)
                else:
                    messages.success(request, _("事项已办结。"))
                    return redirect(ac)
        elif step == "rate":  # the resident's rating, given to the agent on the phone
            case = cases.filter(pk=access.parse_pk(request.POST.get("case"))).first()
            grade = request.POST.get("grade", "")
            if case is None:
                raise Http404
            try:
                do_rate_case(
                    user,
                    case,
                    channel=RatingChannel.PHONE,
                    grade=int(grade) if grade.isdigit() else 0,
                    client_token=request.POST.get("client_token") or None,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("已录入评价。"))
            return redirect(ac)
        else:
            raise Http404
    # Items finished elsewhere (sent up and completed) are settled by the worker, never by
    # a page view: until it has told the family, the page shows what the items say.
    ratings = {r.case_id: r for r in Rating.objects.filter(case__in=cases)}
    rows = [{"case": c, "waiting_on": waiting_on(c), "rating": ratings.get(c.pk)} for c in cases]
    return render(
        request,
        "agency/case_detail.html",
        {
            "ac": ac,
            "rows": rows,
            "receipts": ac.handovers.select_related("case__item", "recorded_by").prefetch_related(
                "cases__item"
            ),
            # what the resident and the family contact were told (masked numbers)
            "told": Message.objects.filter(
                dedupe_key__startswith=f"agency:{ac.authorization_id}:"
            ).order_by("created_at", "pk"),
            "handover": handover,
            "complete": complete,
            "final": FINAL_CASE_STATUSES,
            "grades": Grade.choices,
            "all_final": ac.status == AgencyStatus.OPEN
            and bool(rows)
            and all(c.is_final for c in cases),
        },
    )


@login_required
def point_list(request: HttpRequest) -> HttpResponse:
    points = access.points_for_user(request.user).annotate(n_matters=Count("matters"))
    return render(request, "agency/point_list.html", {"points": points[:500]})


@login_required
def point_detail(request: HttpRequest, point_id: int) -> HttpResponse:
    point = access.get_point_for_user(request.user, point_id)
    commerce = CommercialForm()
    if request.method == "POST":
        user = acting_user(request)
        step = request.POST.get("step")
        if step == "hand_over":
            matter = access.get_matter_for_user(request.user, request.POST.get("matter"))
            if matter.point_id != point.pk:
                raise Http404
            try:
                handover = actions.do_hand_over_remote_result(user, matter)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("结果已交付,回执 %(n)s。") % {"n": handover.receipt_number}
                )
            return redirect(point)
        if step == "commerce":
            commerce = CommercialForm(request.POST)
            if commerce.is_valid():
                data = commerce.cleaned_data
                try:
                    actions.do_record_commercial_service(
                        user,
                        point,
                        kind=data["kind"],
                        amount_yuan=data["amount_yuan"],
                        note=data["note"],
                        client_token=data["client_token"] or None,
                    )
                except ValidationError as error:
                    commerce.add_action_errors(error)
                else:
                    messages.success(request, _("商务服务已登记。"))
                    return redirect(point)
        else:
            raise Http404
    matters = (
        RemoteMatter.objects.filter(point=point)
        .select_related("case__item", "case__handling_unit")
        .order_by("-pk")[:100]
    )
    filed = request.GET.get("filed", "")
    return render(
        request,
        "agency/point_detail.html",
        {
            "point": point,
            "matters": matters,
            "filed": next((m for m in matters if str(m.pk) == filed), None),
            "resubmit_form": ResubmitForm(),
            "commerce_form": commerce,
            "commerce": point.commerce.order_by("-at")[:20],
            "final": FINAL_CASE_STATUSES,
        },
    )


def _villager(user: Any, point: Any, id_number: str) -> Resident:
    """The villager of ``point`` with this ID number, from the registry (the lookup is
    throttled and logged like every exact ID search)."""
    found = list(search_residents(user, q=id_number, unit=point.unit)[:2])
    if len(found) != 1 or exact_kind(id_number) != "id_number":
        raise ValidationError(
            {
                "id_number": _(
                    "居民登记库中没有本村这个身份证号的村民,请核对号码,或先在居民信息中登记。"
                )
            }
        )
    if found[0].status != ResidentStatus.LIVING:
        raise ValidationError({"id_number": _("该村民不在册,不能代为申报。")})
    return found[0]


@login_required
def matter_new(request: HttpRequest, point_id: int) -> HttpResponse:
    point = access.get_point_for_user(request.user, point_id)
    items = (
        ServiceItem.objects.filter(active=True, village_point_allowed=True)
        .prefetch_related("materials")
        .order_by("code")
    )
    form = RemoteMatterForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matter = actions.do_file_remote_matter(
                acting_user(request),
                point,
                item=data["item"],
                scan=data["scan"],
                resident=_villager(request.user, point, data["id_number"].strip()),
                villager_phone=data["villager_phone"],
                summary=data["summary"],
                client_token=data["client_token"] or None,
            )
        except RateLimited:
            form.add_error("id_number", _("查询过于频繁,请稍后再试。"))
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("已报送,办件编号 %(number)s。请打印受理回执交村民留存。")
                % {"number": matter.case.number},
            )
            return redirect(f"{point.get_absolute_url()}?filed={matter.pk}")
    return render(request, "agency/matter_new.html", {"point": point, "form": form, "items": items})


@login_required
@require_POST
def matter_resubmit(request: HttpRequest, matter_id: int) -> HttpResponse:
    """The point sends a returned matter up again with the corrected materials."""
    matter = access.get_matter_for_user(request.user, matter_id)
    form = ResubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.do_resubmit_remote_matter(
                acting_user(request), matter, scan=form.cleaned_data["scan"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("补正材料已重新报送。"))
    return redirect(matter.point)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The county page: points, matters, completion, commercial services, savings."""
    counties = org_access.units_for_user(request.user).filter(kind=UnitKind.COUNTY)
    if not counties.exists():  # a township officer sees its township's figures
        counties = org_access.units_for_user(request.user).filter(
            kind__in=[UnitKind.TOWNSHIP, UnitKind.COMMUNITY]
        )
    counties = counties.order_by("path")
    unit: OrgUnit | None
    if request.GET.get("unit"):
        unit = org_access.get_unit_for_user(request.user, request.GET["unit"])
    else:  # the county of the first point in scope, else the first county
        point = access.points_for_user(request.user).order_by("unit__path").first()
        county = point.unit.ancestors().filter(kind=UnitKind.COUNTY).first() if point else None
        unit = county if county is not None and org_access.in_scope(request.user, county) else None
        unit = unit or counties.first()
    form = FiguresForm(request.GET or None)
    first, last = dt.date(2013, 1, 1), timezone.localdate()
    if form.is_valid():
        first = form.cleaned_data["first"] or first
        last = form.cleaned_data["last"] or last
    result = village_figures(unit, first, last) if unit is not None else None
    return render(
        request,
        "agency/figures.html",
        {
            "figures": result,
            "counties": counties[:50],
            "unit": unit,
            "form": form,
            "first": first,
            "last": last,
        },
    )


# --- stored scans, served only through the access helpers (issue 11) -------------------


def _serve_scan(stored: Any) -> FileResponse:
    return serve_upload(stored, "scan")


@login_required
def authorization_scan(request: HttpRequest, auth_id: int) -> HttpResponse | FileResponse:
    """The signed authorisation form: for those who may see the authorisation."""
    return _serve_scan(access.get_authorization_for_user(request.user, auth_id).form_scan)


@login_required
def matter_scan(request: HttpRequest, matter_id: int) -> HttpResponse | FileResponse:
    """A village matter's materials: the point's staff and the units above it (the
    township that approves the matter)."""
    return _serve_scan(access.get_matter_for_user(request.user, matter_id).scan)
