"""Pages for residents, households and categories: access helper → form → action → redirect."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ.orgs import access as org_access
from shequ.orgs import ratelimit
from shequ.orgs.crypto import cipher
from shequ.orgs.models import OrgUnit, UnitKind
from shequ.people import access, actions
from shequ.people.counts import community_counts
from shequ.people.forms import (
    CategoryForm,
    ExportForm,
    FloatingForm,
    GrantForm,
    HouseholdForm,
    ImportForm,
    MemberForm,
    ReasonForm,
    ResidentForm,
    ResidentUnitForm,
    ResidentUnitSearchForm,
    ResidentUnitStatusForm,
    RevealForm,
    SearchForm,
    StatusForm,
)
from shequ.people.importing import error_workbook, template_workbook
from shequ.people.models import (
    Category,
    Household,
    HouseholdMember,
    RegistrationType,
    Resident,
    ResidentUnit,
)
from shequ.people.search import (
    exact_kind,
    filters_from,
    search_resident_units,
    search_residents,
    unit_exact_kind,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


def _filtered(
    request: HttpRequest, params: QueryDict | None = None
) -> tuple[SearchForm, OrgUnit | None, QuerySet[Resident]]:
    """The search of ``params`` (the query string, or a POST body for exact lookups)."""
    params = request.GET if params is None else params
    form = SearchForm(params or None)
    unit = None
    if params.get("unit"):
        unit = org_access.get_unit_for_user(request.user, access.parse_pk(params["unit"]))
    data = form.cleaned_data if form.is_valid() else {}
    qs = search_residents(
        request.user,
        q=data.get("q", ""),
        category=data.get("category"),
        unit=unit,
        status=data.get("status", ""),
        registration_type=data.get("registration_type", ""),
    )
    return form, unit, qs


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    messages.error(request, message)
    response = render(
        request,
        "people/resident_list.html",
        {"form": SearchForm(), "page": None, "export_form": None, "can_edit": False},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the refused URL may hold a full number
    return response


@login_required
def resident_list(request: HttpRequest) -> HttpResponse:
    if not access.may_read_registry(request.user):
        raise PermissionDenied(_("您的岗位不查阅居民名册,只能看到本人经办事项涉及的居民。"))
    if request.method == "POST":
        # Exact ID number or phone lookups come in the body, so no full number is in a URL
        # or an access log; anything else goes back to a shareable, pageable GET.
        if not exact_kind(request.POST.get("q", "")):
            return redirect(
                f"{reverse('people:residents')}?{urlencode(filters_from(request.POST))}"
            )
        params: QueryDict = request.POST
    else:
        if exact_kind(request.GET.get("q", "")):
            return _refused(
                request,
                _("身份证号和手机号请在查找框中提交,不要写在网址里(网址会留在日志中)。"),
                400,
            )
        params = request.GET
    try:
        form, unit, qs = _filtered(request, params)
    except ratelimit.RateLimited as limited:
        return _refused(
            request,
            _("查找过于频繁:每分钟最多 %(limit)d 次,请 %(seconds)d 秒后再试。")
            % {"limit": limited.verdict.limit, "seconds": limited.verdict.retry_after},
            429,
        )
    page = Paginator(qs.select_related("unit", "community"), PAGE_SIZE).get_page(params.get("page"))
    filters = filters_from(params)
    if request.method == "POST":
        form = SearchForm()  # the typed number is not echoed back into the page
    counts = None
    if unit is not None and unit.kind == UnitKind.COMMUNITY:
        counts = community_counts([unit], timezone.localdate())[unit.pk]
    export_unit = unit or _only_root(request)
    can_export = export_unit is not None and access.may_export(request.user, export_unit)
    response = render(
        request,
        "people/resident_list.html",
        {
            "form": form,
            "unit": unit,
            "counts": counts,
            "page": page,
            "query": urlencode(filters) if request.method == "GET" else "",
            "filters": filters,
            "can_edit": access.editable_units(request.user).exists(),
            "export_form": ExportForm() if can_export else None,
            "can_reveal_export": export_unit is not None
            and access.may_reveal_in(request.user, export_unit),
        },
    )
    if request.method == "POST":
        response["Cache-Control"] = "no-store"
    return response


def _only_root(request: HttpRequest) -> OrgUnit | None:
    roots = list(org_access.scope_roots(request.user)[:2])
    return roots[0] if len(roots) == 1 else None


@login_required
def resident_detail(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = access.get_resident_for_user(request.user, resident_id)
    return _detail(request, resident)


def _detail(
    request: HttpRequest,
    resident: Resident,
    *,
    revealed: dict[str, str] | None = None,
    reveal_form: RevealForm | None = None,
    status_form: StatusForm | None = None,
    grant_form: GrantForm | None = None,
    floating_form: FloatingForm | None = None,
    household_form: HouseholdForm | None = None,
    status: int = 200,
) -> HttpResponse:
    membership = (
        HouseholdMember.objects.filter(resident=resident).select_related("household").first()
    )
    floating = (
        getattr(resident, "floating", None) if resident.registration_type == "floating" else None
    )
    today = timezone.localdate()
    categories = resident.categories.select_related("category").order_by("-valid_from")
    if floating_form is None and floating is not None:
        floating_form = FloatingForm(
            initial={
                f: getattr(floating, f)
                for f in (
                    "origin",
                    "arrived_on",
                    "has_permit",
                    "permit_expires_on",
                    "workplace",
                    "school_age_children",
                    "children_note",
                )
            }
        )
    return render(
        request,
        "people/resident_detail.html",
        {
            "resident": resident,
            "membership": membership,
            "household_members": (
                membership.household.members.exclude(resident=resident)
                .select_related("resident")
                .order_by("pk")
                if membership is not None
                else []
            ),
            "floating": floating,
            "is_floating": resident.registration_type == RegistrationType.FLOATING,
            "categories": [(m, m.is_valid_on(today)) for m in categories],
            "can_edit": access.may_edit(request.user, resident.unit),
            "can_reveal": access.may_reveal(request.user, resident),
            "revealed": revealed or {},
            "reveal_form": reveal_form or RevealForm(initial={"field": "id_number"}),
            "status_form": status_form or StatusForm(initial={"status": resident.status}),
            "grant_form": grant_form or GrantForm(initial={"valid_from": today}),
            "floating_form": floating_form or FloatingForm(),
            "household_form": household_form or HouseholdForm(),
        },
        status=status,
    )


@login_required
def resident_create(request: HttpRequest) -> HttpResponse:
    units = access.editable_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("您的岗位无权登记居民。"))
    form = ResidentForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resident = actions.do_register_resident(
                org_access.acting_user(request),
                **form.resident_data(),
                client_token=data["client_token"] or None,
            )
        except actions.DuplicateResident as error:
            form.add_action_errors(error)
            return render(
                request,
                "people/resident_form.html",
                {"form": form, "existing": error.existing},
                status=400,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("已登记 %(name)s。") % {"name": resident.name})
            return redirect(resident)
    status = 400 if request.method == "POST" else 200
    return render(request, "people/resident_form.html", {"form": form}, status=status)


@login_required
def resident_edit(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = access.get_resident_for_user(request.user, resident_id, write=True)
    units = access.editable_units(request.user)
    initial = {
        "unit": resident.unit_id,
        "name": resident.name,
        "ethnicity": resident.ethnicity,
        "address": resident.address,
        "registration_type": resident.registration_type,
        "phone": resident.phone_masked,
    }
    form = ResidentForm(request.POST or None, units=units, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        phone = data["phone"]
        if phone == resident.phone_masked and phone:
            phone = cipher().decrypt(resident.phone_enc)  # unchanged: keep the stored number
        try:
            actions.do_update_resident(
                org_access.acting_user(request),
                resident,
                **{**form.resident_data(), "phone": phone},
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(resident)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "people/resident_form.html", {"form": form, "resident": resident}, status=status
    )


@login_required
@require_POST
def resident_reveal(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = access.get_resident_for_user(request.user, resident_id)
    form = RevealForm(request.POST)
    if not access.may_reveal(request.user, resident):
        raise PermissionDenied(_("您的岗位无权查看完整号码。"))
    if form.is_valid():
        try:
            value = actions.do_reveal_resident_field(
                org_access.acting_user(request),
                resident,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            response = _detail(request, resident, revealed={form.cleaned_data["field"]: value})
            response["Cache-Control"] = "no-store"
            return response
    return _detail(request, resident, reveal_form=form, status=400)


@login_required
@require_POST
def resident_status(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = access.get_resident_for_user(request.user, resident_id, write=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.do_change_resident_status(
                org_access.acting_user(request),
                resident,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("状态已更新。"))
            return redirect(resident)
    return _detail(request, resident, status_form=form, status=400)


@login_required
@require_POST
def resident_grant(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = access.get_resident_for_user(request.user, resident_id, write=True)
    form = GrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_grant_category(
                org_access.acting_user(request),
                resident,
                category=data["category"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                level=data["level"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("已添加帮扶类别。"))
            return redirect(resident)
    return _detail(request, resident, grant_form=form, status=400)


@login_required
@require_POST
def resident_floating(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = access.get_resident_for_user(request.user, resident_id, write=True)
    form = FloatingForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_floating_info(
                org_access.acting_user(request),
                resident,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("流动人口信息已保存。"))
            return redirect(resident)
    return _detail(request, resident, floating_form=form, status=400)


@login_required
@require_POST
def household_create(request: HttpRequest) -> HttpResponse:
    head = access.get_resident_for_user(request.user, request.POST.get("head"), write=True)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            household = actions.do_create_household(
                org_access.acting_user(request),
                head=head,
                number=form.cleaned_data["number"],
                address=form.cleaned_data["address"],
                client_token=form.cleaned_data["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("已建户。"))
            return redirect(household)
    return _detail(request, head, household_form=form, status=400)


@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access.get_household_for_user(request.user, household_id)
    return _household(request, household, MemberForm())


def _household(
    request: HttpRequest, household: Household, form: MemberForm, status: int = 200
) -> HttpResponse:
    members = (
        HouseholdMember.objects.filter(household=household)
        .select_related("resident")
        .order_by("pk")
    )
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "members": list(members),
            "form": form,
            "can_edit": access.may_edit(request.user, household.unit),
        },
        status=status,
    )


@login_required
@require_POST
def household_add_member(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access.get_household_for_user(request.user, household_id, write=True)
    form = MemberForm(request.POST)
    if request.POST.get("make_head"):
        resident = access.get_resident_for_user(request.user, request.POST["make_head"], write=True)
        try:
            actions.do_change_household_head(
                org_access.acting_user(request),
                household,
                resident=resident,
                former_head_relation=request.POST.get("former_head_relation", "other"),
            )
        except ValidationError as error:
            form = MemberForm()
            form.add_action_errors(error)
            return _household(request, household, form, status=400)
        messages.success(request, _("已更换户主。"))
        return redirect(household)
    if request.POST.get("remove"):
        resident = access.get_resident_for_user(request.user, request.POST["remove"], write=True)
        try:
            actions.do_remove_household_member(
                org_access.acting_user(request),
                household,
                resident=resident,
            )
        except ValidationError as error:
            form = MemberForm()
            form.add_action_errors(error)
            return _household(request, household, form, status=400)
        messages.success(request, _("已移出。"))
        return redirect(household)
    if form.is_valid():
        # Only an exact key: a name could match several people.
        who = form.cleaned_data["who"].replace(" ", "")
        if who.isdigit() and len(who) < 15:
            found = access.residents_for_user(request.user).filter(pk=int(who))
        elif len(who) in (15, 18):
            try:
                found = search_residents(request.user, q=who)
            except ratelimit.RateLimited:
                form.add_error("who", _("查找过于频繁,请稍后再试。"))
                return _household(request, household, form, status=429)
        else:
            found = access.residents_for_user(request.user).none()
        member = found.first()
        if member is None:
            form.add_error("who", _("在您的管辖范围内找不到此居民。"))
        else:
            try:
                actions.do_add_household_member(
                    org_access.acting_user(request),
                    household,
                    resident=member,
                    relation=form.cleaned_data["relation"],
                )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(request, _("已加入。"))
                return redirect(household)
    return _household(request, household, form, status=400)


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    can_define = access.may_define_categories(request.user)
    form = CategoryForm(request.POST or None)
    if request.method == "POST":
        if not can_define:
            raise PermissionDenied(_("只有州民政部门可以增加帮扶对象类别。"))
        if form.is_valid():
            try:
                actions.do_create_category(request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(request, _("已增加类别。"))
                return redirect("people:categories")
    today = timezone.localdate()
    scoped = access.residents_for_user(request.user)
    categories = Category.objects.annotate(
        members=Count(
            "memberships",
            filter=Q(
                memberships__resident__in=scoped,
                memberships__valid_from__lte=today,
            )
            & (Q(memberships__valid_to__isnull=True) | Q(memberships__valid_to__gte=today)),
        )
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "people/category_list.html",
        {"categories": categories, "form": form, "can_define": can_define},
        status=status,
    )


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    units = access.editable_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("您的岗位无权导入居民。"))
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = actions.do_import_residents(
                org_access.acting_user(request),
                unit=form.cleaned_data["unit"],
                handle=upload,
                file_name=upload.name,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            return redirect(batch)
    status = 400 if request.method == "POST" else 200
    return render(request, "people/import.html", {"form": form}, status=status)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(template_workbook(), "resident-import-template.xlsx")


@login_required
def import_result(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access.get_import_batch_for_user(request.user, batch_id)
    return render(
        request, "people/import_result.html", {"batch": batch, "errors": batch.errors[:200]}
    )


@login_required
def import_errors(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access.get_import_batch_for_user(request.user, batch_id)
    return _xlsx(error_workbook(batch.errors), f"import-{batch.pk}-errors.xlsx")


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """A POST, so the filters (an exact number among them) and the reason of a revealed
    export stay out of URLs and logs."""
    try:
        _form, unit, qs = _filtered(request, request.POST)
    except ratelimit.RateLimited:
        messages.error(request, _("查找过于频繁,请稍后再试。"))
        return redirect("people:residents")
    export_form = ExportForm(request.POST)
    reveal = export_form.is_valid() and export_form.cleaned_data["reveal"]
    reason = export_form.cleaned_data.get("reason", "") if export_form.is_valid() else ""
    if unit is None:
        roots = list(org_access.scope_roots(request.user)[:2])
        if len(roots) != 1:
            if reveal:
                messages.error(request, _("导出完整号码时请先选择一个单位。"))
                return redirect("people:residents")
            if not roots:
                raise Http404
        unit = roots[0]
    try:
        data = actions.do_export_residents(
            org_access.acting_user(request),
            qs,
            unit=unit,
            reveal=bool(reveal),
            reason=reason,
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        query = urlencode({k: v for k, v in filters_from(request.POST).items() if k != "q"})
        return redirect(f"{reverse('people:residents')}?{query}")
    response = _xlsx(data, f"residents-{timezone.localdate():%Y%m%d}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


# --- resident units (驻区单位) -------------------------------------------------------------


_UNIT_KEYS = ("q", "trade", "status", "co_building", "unit")


def _unit_refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    messages.error(request, message)
    return render(
        request,
        "people/resident_unit_list.html",
        {"form": ResidentUnitSearchForm(), "page": None, "can_edit": False},
        status=status,
    )


@login_required
def resident_unit_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # A contact's mobile comes in the body, as a resident's number does (see
        # resident_list); anything else goes back to a GET.
        if not unit_exact_kind(request.POST.get("q", "")):
            query = urlencode({k: request.POST[k] for k in _UNIT_KEYS if request.POST.get(k)})
            return redirect(f"{reverse('people:resident_units')}?{query}")
        params: QueryDict = request.POST
    else:
        if unit_exact_kind(request.GET.get("q", "")):
            return _unit_refused(
                request, _("手机号请在查找框中提交,不要写在网址里(网址会留在日志中)。"), 400
            )
        params = request.GET
    form = ResidentUnitSearchForm(params or None)
    unit = None
    if params.get("unit"):
        unit = org_access.get_unit_for_user(request.user, access.parse_pk(params["unit"]))
    data = form.cleaned_data if form.is_valid() else {}
    try:
        qs = search_resident_units(
            request.user,
            q=data.get("q", ""),
            unit=unit,
            trade=data.get("trade", ""),
            status=data.get("status", ""),
            co_building=bool(data.get("co_building")),
        )
    except ratelimit.RateLimited as limited:
        return _unit_refused(
            request,
            _("查找过于频繁:每分钟最多 %(limit)d 次,请 %(seconds)d 秒后再试。")
            % {"limit": limited.verdict.limit, "seconds": limited.verdict.retry_after},
            429,
        )
    page = Paginator(qs.select_related("community", "unit"), PAGE_SIZE).get_page(params.get("page"))
    query = ""
    if request.method == "POST":
        form = ResidentUnitSearchForm()  # the typed number is not echoed back into the page
    else:
        query = urlencode({k: params[k] for k in _UNIT_KEYS if params.get(k)})
    response = render(
        request,
        "people/resident_unit_list.html",
        {
            "form": form,
            "unit": unit,
            "page": page,
            "query": query,
            "can_edit": access.editable_units(request.user).exists(),
        },
    )
    if request.method == "POST":
        response["Cache-Control"] = "no-store"
    return response


@login_required
def resident_unit_create(request: HttpRequest) -> HttpResponse:
    units = access.editable_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("您的岗位无权登记驻区单位。"))
    form = ResidentUnitForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ru = actions.do_register_resident_unit(
                org_access.acting_user(request),
                unit=data["unit"],
                name=data["name"],
                credit_code=data["credit_code"],
                trade=data["trade"],
                size=data["size"],
                address=data["address"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                co_building=data["co_building"],
                client_token=data["client_token"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("已登记 %(name)s。") % {"name": ru.name})
            return redirect(ru)
    status = 400 if request.method == "POST" else 200
    return render(request, "people/resident_unit_form.html", {"form": form}, status=status)


@login_required
def resident_unit_edit(request: HttpRequest, resident_unit_id: int) -> HttpResponse:
    ru = access.get_resident_unit_for_user(request.user, resident_unit_id, write=True)
    units = access.editable_units(request.user)
    initial = {
        "unit": ru.unit_id,
        "name": ru.name,
        "credit_code": ru.credit_code,
        "trade": ru.trade,
        "size": ru.size,
        "address": ru.address,
        "contact_name": ru.contact_name,
        "contact_phone": ru.contact_phone_masked,
        "co_building": ru.co_building,
    }
    form = ResidentUnitForm(request.POST or None, units=units, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        phone = data["contact_phone"]
        if phone and phone == ru.contact_phone_masked:
            phone = cipher().decrypt(ru.contact_phone_enc)  # unchanged: keep the stored number
        try:
            actions.do_update_resident_unit(
                org_access.acting_user(request),
                ru,
                unit=data["unit"],
                name=data["name"],
                credit_code=data["credit_code"],
                trade=data["trade"],
                size=data["size"],
                address=data["address"],
                contact_name=data["contact_name"],
                contact_phone=phone,
                co_building=data["co_building"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(ru)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "people/resident_unit_form.html", {"form": form, "ru": ru}, status=status
    )


def _resident_unit_detail(
    request: HttpRequest,
    ru: ResidentUnit,
    *,
    revealed: str = "",
    reveal_form: ReasonForm | None = None,
    status_form: ResidentUnitStatusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "people/resident_unit_detail.html",
        {
            "ru": ru,
            "can_edit": access.may_edit(request.user, ru.unit),
            "can_reveal": access.may_reveal_in(request.user, ru.unit),
            "revealed": revealed,
            "reveal_form": reveal_form or ReasonForm(),
            "status_form": status_form
            or ResidentUnitStatusForm(initial={"status": ru.status, "on": ru.status_on}),
        },
        status=status,
    )


@login_required
def resident_unit_detail(request: HttpRequest, resident_unit_id: int) -> HttpResponse:
    ru = access.get_resident_unit_for_user(request.user, resident_unit_id)
    return _resident_unit_detail(request, ru)


@login_required
@require_POST
def resident_unit_reveal(request: HttpRequest, resident_unit_id: int) -> HttpResponse:
    ru = access.get_resident_unit_for_user(request.user, resident_unit_id)
    if not access.may_reveal_in(request.user, ru.unit):
        raise PermissionDenied(_("您的岗位无权查看完整号码。"))
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            value = actions.do_reveal_resident_unit_contact(
                org_access.acting_user(request), ru, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            response = _resident_unit_detail(request, ru, revealed=value)
            response["Cache-Control"] = "no-store"
            return response
    return _resident_unit_detail(request, ru, reveal_form=form, status=400)


@login_required
@require_POST
def resident_unit_status(request: HttpRequest, resident_unit_id: int) -> HttpResponse:
    ru = access.get_resident_unit_for_user(request.user, resident_unit_id, write=True)
    form = ResidentUnitStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.do_change_resident_unit_status(
                org_access.acting_user(request),
                ru,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("状态已更新。"))
            return redirect(ru)
    return _resident_unit_detail(request, ru, status_form=form, status=400)
