"""Pages: the community's jobs desk (reports due, open posts, zero-employment households),
a unit's report, a vacancy with its local-first suggestions and referrals, job seekers,
training with attendance and certificates, the floating population's services, the
figures and their export, and a resident unit's own page (its signed link)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ.jobs import access, actions, matching, unitlink
from shequ.jobs.figures import (
    figures_by_month,
    figures_by_unit,
    figures_workbook,
    jobs_figures,
    local_hire_share,
)
from shequ.jobs.forms import (
    ActivityForm,
    AttendanceForm,
    CloseForm,
    CompleteForm,
    ContactForm,
    EndSeekerForm,
    EnrolForm,
    FiguresForm,
    FollowUpForm,
    OutcomeForm,
    PlacementForm,
    ReferForm,
    ReportForm,
    SchoolHelpForm,
    SeekerForm,
    TrainingForm,
)
from shequ.jobs.models import (
    EnrolmentStatus,
    JobSeeker,
    Referral,
    ReferralStatus,
    ReportChannel,
    SeekerStatus,
    Vacancy,
    VacancyReport,
    VacancyStatus,
    ZeroHousehold,
    ZeroStatus,
)
from shequ.orgs import access as org_access
from shequ.orgs.access import acting_user
from shequ.orgs.models import OrgUnit, UnitKind
from shequ.people import access as people_access
from shequ.people.models import HouseholdMember, Resident, ResidentStatus, ResidentUnit


def _qr_svg(url: str) -> str:
    """The QR code printed on papers (segno, DESIGN.md)."""
    return str(segno.make(url, error="m").svg_inline(scale=3))


def _guard(call: Any, form: Any) -> bool:
    """Run an action; put its errors on the form. True when it succeeded."""
    try:
        call()
    except ValidationError as error:
        form.add_action_errors(error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    else:
        return True
    return False


def _communities(user: Any) -> list[OrgUnit]:
    return list(
        org_access.units_for_user(user).filter(kind=UnitKind.COMMUNITY).order_by("path")[:500]
    )


# --- the desk -------------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    today = timezone.localdate()
    month = actions.reporting_month(today)
    units = people_access.resident_units_for_user(user).select_related("community")
    missing = list(actions.unreported_units(units, month).order_by("community__path", "name")[:200])
    reported = (
        access.reports_for_user(user)
        .filter(month=month)
        .annotate(n=Count("vacancies"))
        .order_by("-reported_on")[:200]
    )
    vacancies = (
        access.vacancies_for_user(user)
        .filter(status=VacancyStatus.OPEN, valid_until__gte=today)
        .annotate(waiting=Count("referrals", filter=Q(referrals__status=ReferralStatus.REFERRED)))
        .order_by("-opened_on")[:100]
    )
    spells = access.zero_households_for_user(user).filter(status=ZeroStatus.ASSISTING)
    return render(
        request,
        "jobs/overview.html",
        {
            "month": month,
            "due": actions.report_due(month),
            "missing": missing,
            "reported": reported,
            "units": units.filter(status="active").order_by("community__path", "name")[:300],
            "vacancies": vacancies,
            "zero_open": spells.count(),
            "zero_pledge_overdue": actions.pledge_overdue(spells, today).count(),
            "zero_quarter_overdue": actions.quarter_overdue(spells, today).count(),
            "seekers": access.seekers_for_user(user).filter(status=SeekerStatus.ACTIVE).count(),
            "today": today,
        },
    )


# --- reports and vacancies ----------------------------------------------------------------------


def _report_months(today: dt.date) -> list[dt.date]:
    first = actions.month_start(today)
    return [first, actions.add_months(first, 1), actions.add_months(first, 2)]


def _report_form(data: Any) -> ReportForm:
    today = timezone.localdate()
    form = ReportForm(data, months=_report_months(today))
    form.fields["month"].initial = actions.reporting_month(today).isoformat()
    return form


def _submit_report(
    request: HttpRequest, form: ReportForm, ru: ResidentUnit, actor: Any, channel: str
) -> Any:
    if not form.is_valid():
        return None
    result: dict[str, Any] = {}

    def call() -> None:
        result["report"] = actions.do_report_vacancies(
            actor,
            resident_unit=ru,
            month=dt.date.fromisoformat(form.cleaned_data["month"]),
            vacancies=form.vacancies(),
            channel=channel,
            note=form.cleaned_data["note"],
            client_token=form.cleaned_data["client_token"] or None,
        )

    return result["report"] if _guard(call, form) else None


@login_required
def report_new(request: HttpRequest, ru_id: int) -> HttpResponse:
    ru = people_access.get_resident_unit_for_user(request.user, ru_id)
    form = _report_form(request.POST or None)
    if request.method == "POST":
        report = _submit_report(request, form, ru, acting_user(request), ReportChannel.CLERK)
        if report is not None:
            messages.success(request, _("空岗报告已登记。"))
            return redirect(report)
    return render(request, "jobs/report_new.html", {"ru": ru, "form": form})


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, report_id)
    return render(
        request,
        "jobs/report_detail.html",
        {
            "report": report,
            "vacancies": report.vacancies.prefetch_related("target_groups").order_by("pk"),
            "share": local_hire_share(report.community),
        },
    )


def _outcome(request: HttpRequest, form: OutcomeForm, referral: Any, actor: Any, channel: str,
             name: str) -> bool:  # fmt: skip
    def call() -> None:
        actions.do_conclude_referral(
            actor,
            referral,
            outcome=form.cleaned_data["outcome"],
            on=form.cleaned_data["on"],
            confirmed_by_name=name,
            channel=channel,
        )

    return _guard(call, form)


@login_required
def vacancy_detail(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    user = acting_user(request)
    vacancy = access.get_vacancy_for_user(user, vacancy_id)
    refer_form = ReferForm(request.POST if request.POST.get("step") == "refer" else None)
    outcome_form = OutcomeForm(
        request.POST if request.POST.get("step") == "outcome" else None,
        initial={"on": timezone.localdate()},
    )
    close_form = CloseForm(request.POST if request.POST.get("step") == "close" else None)
    if request.method == "POST":
        step = request.POST.get("step")
        done = False
        if step == "refer" and refer_form.is_valid():
            seeker = access.get_referable_seeker(user, vacancy, refer_form.cleaned_data["seeker"])

            def refer() -> None:
                actions.do_refer(
                    user,
                    vacancy,
                    seeker=seeker,
                    client_token=refer_form.cleaned_data["client_token"] or None,
                )

            done = _guard(refer, refer_form)
            if done:
                messages.success(request, _("已推荐%(name)s。") % {"name": seeker.resident.name})
        elif step == "outcome" and outcome_form.is_valid():
            referral = access.get_referral_for_user(user, outcome_form.cleaned_data["referral"])
            if referral.vacancy_id != vacancy.pk:
                raise Http404
            done = _outcome(
                request,
                outcome_form,
                referral,
                user,
                ReportChannel.CLERK,
                outcome_form.cleaned_data["confirmed_by_name"],
            )
            if done:
                messages.success(request, _("推荐结果已登记。"))
        elif step == "close" and close_form.is_valid():
            done = _guard(
                lambda: actions.do_close_vacancy(
                    user, vacancy, reason=close_form.cleaned_data["reason"]
                ),
                close_form,
            )
        if done:
            return redirect(vacancy)
    vacancy.refresh_from_db()
    in_scope = set(access.seekers_for_user(user).values_list("pk", flat=True))
    suggestions = (
        matching.suggest(vacancy, limit=20)
        if vacancy.status == VacancyStatus.OPEN and access.may_work(user, vacancy.unit)
        else []
    )
    return render(
        request,
        "jobs/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "suggestions": [
                {"s": s, "shown": s.seeker.pk in in_scope, "name": _masked_name(s.seeker)}
                for s in suggestions
            ],
            "referrals": vacancy.referrals.select_related(
                "seeker__resident", "seeker__community"
            ).order_by("tier", "pk"),
            "refer_form": refer_form,
            "outcome_form": outcome_form,
            "close_form": close_form,
            "share": local_hire_share(vacancy.community),
            "may_work": access.may_work(user, vacancy.unit),
        },
    )


def _masked_name(seeker: Any) -> str:
    """Outside the user's scope only the surname shows (the referral reveals the rest to
    the unit, which is what the person registered for)."""
    name = seeker.resident.name
    return name[:1] + "*" * (len(name) - 1)


# --- job seekers ------------------------------------------------------------------------------


@login_required
def seeker_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    status = request.GET.get("status", SeekerStatus.ACTIVE)
    seekers = access.seekers_for_user(user).prefetch_related("categories")
    if status in SeekerStatus.values:
        seekers = seekers.filter(status=status)
    q = request.GET.get("q", "").strip()[:50]
    residents: list[Resident] = []
    if q:
        seekers = seekers.filter(resident__name__contains=q)
        residents = list(
            people_access.residents_for_user(user)
            .filter(name__contains=q, status=ResidentStatus.LIVING)
            .select_related("community")
            .order_by("name", "pk")[:20]
        )
    return render(
        request,
        "jobs/seeker_list.html",
        {
            "seekers": seekers.order_by("-registered_on", "pk")[:300],
            "status": status,
            "statuses": SeekerStatus.choices,
            "q": q,
            "residents": residents,
        },
    )


@login_required
def seeker_new(request: HttpRequest, resident_id: int) -> HttpResponse:
    user = acting_user(request)
    resident = people_access.get_resident_for_user(user, resident_id)
    form = SeekerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result: dict[str, Any] = {}

        def call() -> None:
            result["seeker"] = actions.do_register_seeker(
                user,
                resident=resident,
                kind=data["kind"],
                registered_on=data["registered_on"],
                skills=data["skills"],
                wishes=data["wishes"],
                wished_trades=data["wished_trades"],
                availability=data["availability"],
                categories=data["categories"],
                client_token=data["client_token"] or None,
            )

        if _guard(call, form):
            messages.success(request, _("求职登记已完成。"))
            return redirect(result["seeker"])
    return render(request, "jobs/seeker_new.html", {"resident": resident, "form": form})


@login_required
def seeker_detail(request: HttpRequest, seeker_id: int) -> HttpResponse:
    user = acting_user(request)
    seeker = access.get_seeker_for_user(user, seeker_id)
    step = request.POST.get("step") if request.method == "POST" else None
    today = {"on": timezone.localdate(), "started_on": timezone.localdate()}
    contact = ContactForm(request.POST if step == "contact" else None, initial=today)
    place = PlacementForm(request.POST if step == "place" else None, initial=today)
    end = EndSeekerForm(request.POST if step == "end" else None, initial=today)
    if step == "contact" and contact.is_valid():
        d = contact.cleaned_data
        if _guard(lambda: actions.do_record_contact(user, seeker, on=d["on"], note=d["note"]),
                  contact):  # fmt: skip
            messages.success(request, _("已记录联系。"))
            return redirect(seeker)
    elif step == "place" and place.is_valid():
        d = place.cleaned_data
        if _guard(
            lambda: actions.do_record_placement(
                user,
                seeker,
                employer=d["employer"],
                post=d["post"],
                source=d["source"],
                started_on=d["started_on"],
                client_token=d["client_token"] or None,
            ),
            place,
        ):
            messages.success(request, _("已登记就业。"))
            return redirect(seeker)
    elif step == "end" and end.is_valid():
        d = end.cleaned_data
        if _guard(lambda: actions.do_end_seeker(user, seeker, on=d["on"], reason=d["reason"]),
                  end):  # fmt: skip
            messages.success(request, _("求职登记已注销。"))
            return redirect(seeker)
    membership = HouseholdMember.objects.filter(resident=seeker.resident).first()
    spells = (
        ZeroHousehold.objects.filter(household_id=membership.household_id).order_by("-pk")
        if membership
        else ZeroHousehold.objects.none()
    )
    return render(
        request,
        "jobs/seeker_detail.html",
        {
            "seeker": seeker,
            "referrals": seeker.referrals.select_related("vacancy__resident_unit").order_by("-pk"),
            "placements": seeker.placements.order_by("-started_on"),
            "enrolments": seeker.enrolments.select_related("session").order_by("-pk"),
            "spells": spells,
            "contact_form": contact,
            "place_form": place,
            "end_form": end,
            "may_work": access.may_work(user, seeker.unit),
        },
    )


# --- zero-employment households -----------------------------------------------------------------


@login_required
def zero_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    try:
        on = dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        on = timezone.localdate()
    spells = access.zero_households_for_user(user)
    pledge = set(actions.pledge_overdue(spells, on).values_list("pk", flat=True))
    quarter = set(actions.quarter_overdue(spells, on).values_list("pk", flat=True))
    rows = [
        {"spell": s, "pledge_overdue": s.pk in pledge, "quarter_overdue": s.pk in quarter}
        for s in spells.order_by("status", "-identified_on")[:300]
    ]
    return render(request, "jobs/zero_list.html", {"rows": rows, "on": on})


@login_required
def zero_detail(request: HttpRequest, zero_id: int) -> HttpResponse:
    user = acting_user(request)
    spell = access.get_zero_household_for_user(user, zero_id)
    members = HouseholdMember.objects.filter(household=spell.household).select_related("resident")
    today = timezone.localdate()
    seekers = {
        s.resident_id: s
        for s in JobSeeker.objects.filter(
            resident_id__in=[m.resident_id for m in members]
        ).order_by("registered_on")
    }
    return render(
        request,
        "jobs/zero_detail.html",
        {
            "spell": spell,
            "members": [
                {
                    "m": m,
                    "working_age": actions.working_age(m.resident, today),
                    "seeker": seekers.get(m.resident_id),
                }
                for m in members
            ],
            "refusals": actions.household_refusals(spell),
            "last_contact": actions.last_contact(spell),
            "pledge_overdue": actions.pledge_overdue(
                ZeroHousehold.objects.filter(pk=spell.pk), today
            ).exists(),
            "quarter_overdue": actions.quarter_overdue(
                ZeroHousehold.objects.filter(pk=spell.pk), today
            ).exists(),
        },
    )


# --- training -------------------------------------------------------------------------------------


@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    units = org_access.units_for_user(user).filter(
        kind__in=[UnitKind.COMMUNITY, UnitKind.TOWNSHIP, UnitKind.COUNTY]
    )
    form = TrainingForm(request.POST or None, units=units.order_by("path"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result: dict[str, Any] = {}

        def call() -> None:
            result["s"] = actions.do_create_training(
                user,
                unit=d["unit"],
                skill=d["skill"],
                provider=d["provider"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                place=d["place"],
                capacity=d["capacity"],
                client_token=d["client_token"] or None,
            )

        if _guard(call, form):
            messages.success(request, _("培训班已开设。"))
            return redirect(result["s"])
    sessions = (
        access.trainings_for_user(user)
        .distinct()
        .annotate(n=Count("enrolments", distinct=True))
        .order_by("-starts_on")[:200]
    )
    return render(request, "jobs/training_list.html", {"sessions": sessions, "form": form})


@login_required
def training_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    user = acting_user(request)
    session = access.get_training_for_user(user, session_id)
    enrolments = list(
        session.enrolments.select_related("seeker__resident", "seeker__community").order_by("pk")
    )
    step = request.POST.get("step") if request.method == "POST" else None
    today = timezone.localdate()
    enrol = EnrolForm(request.POST if step == "enrol" else None)
    attend = AttendanceForm(
        request.POST if step == "attend" else None,
        choices=[(e.pk, e.seeker.resident.name) for e in enrolments],
        initial={"day": min(today, session.ends_on)},
    )
    complete = CompleteForm(request.POST if step == "complete" else None, initial={"on": today})
    follow = FollowUpForm(request.POST if step == "follow" else None, initial={"on": today})
    done = False
    if step == "enrol" and enrol.is_valid():
        seeker = access.get_seeker_for_user(user, enrol.cleaned_data["seeker"])
        done = _guard(lambda: actions.do_enrol(user, session, seeker=seeker), enrol)
    elif step == "attend" and attend.is_valid():
        d = attend.cleaned_data
        done = _guard(
            lambda: actions.do_record_attendance(
                user, session, day=d["day"], present=[int(p) for p in d["present"]]
            ),
            attend,
        )
    elif step == "complete" and complete.is_valid():
        done = _guard(
            lambda: actions.do_complete_training(user, session, on=complete.cleaned_data["on"]),
            complete,
        )
    elif step == "follow" and follow.is_valid():
        d = follow.cleaned_data
        enrolment = access.get_enrolment_for_user(user, d["enrolment"])
        if enrolment.session_id != session.pk:
            raise Http404
        done = _guard(
            lambda: actions.do_follow_up_training(user, enrolment, on=d["on"], note=d["note"]),
            follow,
        )
    if done:
        messages.success(request, _("已保存。"))
        return redirect(session)
    candidates = (
        access.seekers_for_user(user)
        .filter(status=SeekerStatus.ACTIVE)
        .exclude(pk__in=[e.seeker_id for e in enrolments])
        .order_by("resident__name")[:200]
    )
    rows = [
        {
            "e": e,
            "share": actions.attendance_share(e),
            "employed": e.seeker.placements.filter(started_on__gte=session.starts_on).first(),
        }
        for e in enrolments
    ]
    return render(
        request,
        "jobs/training_detail.html",
        {
            "session": session,
            "rows": rows,
            "candidates": candidates,
            "enrol_form": enrol,
            "attend_form": attend,
            "complete_form": complete,
            "follow_form": follow,
            "needed": settings.SHEQU_JOBS_COMPLETION_ATTENDANCE,
            "ended": session.ends_on <= today,
            "completed": EnrolmentStatus.COMPLETED,
        },
    )


@login_required
def certificate(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The printable completion certificate: office contacts, signature and seal places,
    and a QR code to the training's status page."""
    enrolment = access.get_enrolment_for_user(request.user, enrolment_id)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise Http404
    url = request.build_absolute_uri(reverse("jobs:certificate", args=[enrolment.pk]))
    return render(
        request,
        "jobs/certificate.html",
        {"e": enrolment, "url": url, "qr": _qr_svg(url), "office": enrolment.session.unit},
    )


# --- the floating population ---------------------------------------------------------------------


@login_required
def floating(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    communities = [c for c in _communities(user) if access.may_work(user, c)]
    try:
        chosen = int(request.GET.get("community") or request.POST.get("community") or 0)
    except ValueError:
        chosen = 0
    community = next(
        (c for c in communities if c.pk == chosen), communities[0] if communities else None
    )
    people = (
        actions.floating_residents(community).filter(org_access.scope_q(user)).order_by("name")
        if community
        else Resident.objects.none()
    )
    step = request.POST.get("step") if request.method == "POST" else None
    activity = ActivityForm(
        request.POST if step == "activity" else None,
        floating=people,
        initial={"held_on": timezone.localdate()},
    )
    school = SchoolHelpForm(request.POST if step == "school" else None, parents=people)
    if step == "activity" and activity.is_valid() and community is not None:
        d = activity.cleaned_data
        if _guard(
            lambda: actions.do_record_activity(
                user,
                unit=community,
                kind=d["kind"],
                title=d["title"],
                held_on=d["held_on"],
                place=d["place"],
                provider=d["provider"],
                reached=d["reached"],
                others_reached=d["others_reached"] or 0,
                client_token=d["client_token"] or None,
            ),
            activity,
        ):
            messages.success(request, _("服务活动已登记。"))
            return redirect(f"{reverse('jobs:floating')}?community={community.pk}")
    elif step == "school" and school.is_valid():
        d = school.cleaned_data
        if _guard(
            lambda: actions.do_open_school_help(
                user,
                resident=d["resident"],
                child_name=d["child_name"],
                stage=d["stage"],
                wished_school=d["wished_school"],
                client_token=d["client_token"] or None,
            ),
            school,
        ):
            messages.success(request, _("入学协助已登记为办件。"))
            return redirect(
                f"{reverse('jobs:floating')}?community={community.pk if community else ''}"
            )
    activities = access.activities_for_user(user).annotate(n=Count("reached"))
    helps = access.school_helps_for_user(user)
    if community is not None:
        activities = activities.filter(unit=community)
        helps = helps.filter(resident__community=community)
    return render(
        request,
        "jobs/floating.html",
        {
            "communities": communities,
            "community": community,
            "people": people.select_related("floating")[:300],
            "activities": activities.order_by("-held_on")[:100],
            "helps": helps.order_by("-created_at")[:100],
            "activity_form": activity,
            "school_form": school,
        },
    )


# --- figures ---------------------------------------------------------------------------------------


def _figures_args(request: HttpRequest) -> tuple[OrgUnit, dt.date, dt.date, FiguresForm]:
    user = request.user
    form = FiguresForm(request.GET or None)
    today = timezone.localdate()
    first, last = dt.date(today.year, 1, 1), today
    unit_id = None
    if form.is_valid():
        first = form.cleaned_data["first"] or first
        last = form.cleaned_data["last"] or last
        unit_id = form.cleaned_data["unit"]
    if last < first or (last - first).days > 3 * 366:
        first, last = dt.date(today.year, 1, 1), today
    unit = (
        org_access.get_unit_for_user(user, unit_id)
        if unit_id
        else org_access.scope_roots(user).first()
    )
    if unit is None:
        raise Http404
    return unit, first, last, form


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    unit, first, last, form = _figures_args(request)
    return render(
        request,
        "jobs/figures.html",
        {
            "unit": unit,
            "first": first,
            "last": last,
            "form": form,
            "total": jobs_figures(unit, first, last),
            "by_unit": figures_by_unit(unit, first, last),
            "by_month": figures_by_month(unit, first, last),
            "parent": unit.parent_unit()
            if unit.parent_unit() and org_access.in_scope(request.user, unit.parent_unit())  # type: ignore[arg-type]
            else None,
        },
    )


@login_required
def figures_export(request: HttpRequest) -> HttpResponse:
    unit, first, last, _form = _figures_args(request)
    response = HttpResponse(
        figures_workbook(unit, first, last),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="jobs-{unit.pk}-{first}-{last}.xlsx"'
    return response


# --- the unit's own page (signed link) ---------------------------------------------------------------


def unit_desk(request: HttpRequest, token: str) -> HttpResponse:
    """What a resident unit sees through its link: its report for the coming month and
    the people referred to it, whose outcome it confirms."""
    ru = unitlink.unit_from(token)
    if ru is None:
        raise Http404
    step = request.POST.get("step") if request.method == "POST" else None
    form = _report_form(request.POST if step == "report" else None)
    outcome_form = OutcomeForm(
        request.POST if step == "outcome" else None,
        initial={"on": timezone.localdate()},
    )
    if step is not None:
        if step == "outcome":
            if outcome_form.is_valid():
                referral = (
                    Referral.objects.filter(
                        pk=outcome_form.cleaned_data["referral"], vacancy__resident_unit=ru
                    )
                    .select_related("vacancy")
                    .first()
                )
                if referral is None:
                    raise Http404
                name = outcome_form.cleaned_data["confirmed_by_name"] or ru.contact_name or ru.name
                if _outcome(request, outcome_form, referral, None, ReportChannel.UNIT_LINK, name):
                    messages.success(request, _("感谢确认,结果已告知社区。"))
                    return redirect(request.path)
        elif _submit_report(request, form, ru, None, ReportChannel.UNIT_LINK) is not None:
            messages.success(request, _("空岗报告已提交,社区将优先推荐本社区居民。"))
            return redirect(request.path)
    return render(
        request,
        "jobs/unit_desk.html",
        {
            "ru": ru,
            "form": form,
            "outcome_form": outcome_form,
            "reports": VacancyReport.objects.filter(resident_unit=ru).order_by("-month")[:12],
            "vacancies": Vacancy.objects.filter(resident_unit=ru).order_by("-opened_on")[:30],
            "waiting": Referral.objects.filter(
                vacancy__resident_unit=ru, status=ReferralStatus.REFERRED
            ).select_related("vacancy", "seeker__resident"),
            "month": actions.reporting_month(timezone.localdate()),
        },
    )


@login_required
@require_POST
def unit_link(request: HttpRequest, ru_id: int) -> HttpResponse:
    """Show a clerk the unit's link to pass on (until the resident portal exists)."""
    ru = people_access.get_resident_unit_for_user(request.user, ru_id, write=True)
    messages.info(
        request,
        _("%(unit)s的报告链接:%(link)s")
        % {"unit": ru.name, "link": request.build_absolute_uri(unitlink.path(ru))},
    )
    return redirect("jobs:overview")
