"""Pages of affairs disclosure: a community's calendar and catalogue, a disclosure from
submission to the poster on the board, questions and answers, and the township and
county view with its Excel export.

Every page fetches through ``access``; every change goes through ``disclosure_actions``;
every status is read at a date (``?at=``, today by default)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.governance import access, disclosure_actions, figures
from shequ.governance import disclosure_calendar as cal
from shequ.governance.disclosure_forms import (
    AnswerForm,
    AtForm,
    CloseComplaintForm,
    ComplaintForm,
    DisclosureForm,
    PhotoForm,
    QuestionForm,
    ReviewForm,
    SettingForm,
)
from shequ.governance.models import (
    ComplaintStatus,
    Disclosure,
    DisclosureDue,
    DisclosureFileKind,
    DisclosureItem,
    DisclosureQuestion,
    DisclosureSetting,
    DisclosureStatus,
    QuestionChannel,
)
from shequ.governance.papers import qr_svg
from shequ.lib.xlsx import workbook_bytes
from shequ.orgs import access as org_access
from shequ.orgs.access import acting_user
from shequ.orgs.files import serve_upload
from shequ.orgs.models import OrgUnit, UnitKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _at(request: HttpRequest) -> tuple[dt.date, int]:
    form = AtForm(request.GET or None)
    today = timezone.localdate()
    at, year = today, today.year
    if form.is_valid():
        at = form.cleaned_data.get("at") or today
        year = form.cleaned_data.get("year") or at.year
    return at, year


def _fail(request: HttpRequest, error: PermissionDenied | ValidationError) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error) or _("您的岗位无权进行此操作。"))


# --- a community ------------------------------------------------------------------------------------


@login_required
def community(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = acting_user(request)
    unit = access.get_community_for_user(user, unit_id)
    at, year = _at(request)
    writable = access.may_write(user, unit)
    setting = DisclosureSetting.objects.filter(unit=unit).first()
    form = SettingForm(
        request.POST if request.method == "POST" else None,
        initial={
            "adopted_on": setting.adopted_on if setting else dt.date(at.year, 1, 1),
            "frequent_finance": setting.frequent_finance if setting else False,
            "board_location": setting.board_location if setting else "",
            "answer_days": setting.answer_days if setting else 10,
            "remind_days": setting.remind_days if setting else 5,
        },
    )
    if request.method == "POST":
        if not writable:
            raise Http404
        if form.is_valid():
            try:
                disclosure_actions.do_save_disclosure_setting(user, unit, **form.cleaned_data)
            except ValidationError as e:
                form.add_action_errors(e)
            except PermissionDenied as e:
                _fail(request, e)
            else:
                messages.success(request, _("已保存居务公开设置。"))
                return redirect("governance:disclosure_community", unit.pk)
    dues = list(
        cal.dues_at(
            access.disclosure_dues_for_user(user).filter(
                Q(due_on__year=year) | Q(period_start__year=year), unit=unit
            ),
            at,
        ).order_by("due_on", "item__category", "item__order", "pk")
    )
    for d in dues:
        d.state_label = cal.state_label(d.state)
    disclosures = (
        access.disclosures_for_user(user)
        .filter(unit=unit)
        .annotate(n_questions=Count("questions"))
        .order_by("-created_at")[:50]
    )
    open_questions = access.disclosure_questions_for_user(user).filter(
        unit=unit, answered_at__isnull=True
    )
    counts = Counter(d.state for d in dues)
    return render(
        request,
        "governance/disclosure/community.html",
        {
            "unit": unit,
            "at": at,
            "year": year,
            "setting": setting,
            "form": form,
            "writable": writable,
            "catalogue": [(i, cal.cadence_for(i, setting)) for i in cal.catalogue_for(unit)],
            "dues": dues,
            "counts": counts,
            "states": cal.DueState,
            "disclosures": disclosures,
            "open_questions": open_questions,
        },
        status=400 if form.errors else 200,
    )


@login_required
def disclosure_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = acting_user(request)
    unit = access.get_community_for_user(user, unit_id)
    if not access.may_write(user, unit):
        raise Http404
    due: DisclosureDue | None = None
    if request.GET.get("due"):
        due = (
            access.disclosure_dues_for_user(user)
            .filter(unit=unit, pk=org_access.parse_pk(request.GET["due"]))
            .first()
        )
        if due is None:
            raise Http404
    items = DisclosureItem.objects.filter(cal.catalogue_q(unit))
    initial: dict[str, Any] = {}
    if due is not None:
        period = f"{due.period_start:%Y-%m-%d}" if due.resolution_id else due.key
        initial = {"item": due.item, "title": f"{unit.name}{due.item.title}({period})"}
    form = DisclosureForm(request.POST or None, request.FILES or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            d = disclosure_actions.do_submit_disclosure(
                user,
                unit=unit,
                item=data["item"],
                due=due if due is not None and due.item_id == data["item"].pk else None,
                title=data["title"],
                body=data["body"],
                table=disclosure_actions.parse_table(data["table"]),
                attachments=[data["attachment"]] if data.get("attachment") else [],
                client_token=data["client_token"] or None,
            )
        except ValidationError as e:
            form.add_action_errors(e)
        except PermissionDenied as e:
            _fail(request, e)
        else:
            messages.success(request, _("已提交监督委员会审核。"))
            return redirect(d.get_absolute_url())
    return render(
        request,
        "governance/disclosure/new.html",
        {"unit": unit, "form": form, "due": due},
        status=400 if form.errors else 200,
    )


# --- a disclosure ----------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, d: Disclosure) -> dict[str, Any]:
    user = acting_user(request)
    writable = access.may_write(user, d.unit)
    members = disclosure_actions.supervisors(d.unit)
    return {
        "d": d,
        "writable": writable,
        "S": DisclosureStatus,
        "members": members,
        "review_form": ReviewForm(members=members),
        "photo_form": PhotoForm(),
        "question_form": QuestionForm(),
        "answer_form": AnswerForm(),
        "attachments": d.files.filter(kind=DisclosureFileKind.ATTACHMENT),
        "photos": d.files.filter(kind=DisclosureFileKind.BOARD_PHOTO),
        "questions": d.questions.order_by("asked_at", "pk"),
        "today": timezone.localdate(),
        "portal_url": reverse("portal:disclosure", args=[d.unit_id, d.pk]),
    }


@login_required
def disclosure_detail(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    user = acting_user(request)
    d = access.get_disclosure_for_user(user, disclosure_id)
    context = _detail_context(request, d)
    status = 200
    if request.method == "POST":
        d = access.get_disclosure_for_user(user, disclosure_id, write=True)
        step = request.POST.get("step", "")
        try:
            if step == "review":
                form = ReviewForm(request.POST, members=context["members"])
                context["review_form"] = form
                if not form.is_valid():
                    raise ValidationError(form.errors.as_text())
                disclosure_actions.do_review_disclosure(
                    user,
                    d,
                    reviewer=form.cleaned_data["reviewer"],
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("已记录监督委员会审核意见。"))
            elif step == "publish":
                disclosure_actions.do_publish_disclosure(user, d)
                messages.success(request, _("已公布:居民门户公告栏已显示,请打印张贴。"))
            elif step == "photo":
                photo = PhotoForm(request.POST, request.FILES)
                context["photo_form"] = photo
                if not photo.is_valid():
                    raise ValidationError(photo.errors.as_text())
                disclosure_actions.do_add_board_photo(
                    user, d, photo.cleaned_data["photo"], taken_on=photo.cleaned_data["taken_on"]
                )
                messages.success(request, _("已上传张贴照片。"))
            elif step == "question":
                q = QuestionForm(request.POST)
                context["question_form"] = q
                if not q.is_valid():
                    raise ValidationError(q.errors.as_text())
                disclosure_actions.do_ask_question(
                    user,
                    d,
                    asker=q.cleaned_data["asker"],
                    text=q.cleaned_data["text"],
                    channel=QuestionChannel.PAPER,
                    client_token=q.cleaned_data["client_token"] or None,
                )
                messages.success(request, _("已登记质询。"))
            elif step == "answer":
                question = access.get_disclosure_question_for_user(
                    user, request.POST.get("question"), write=True
                )
                a = AnswerForm(request.POST)
                if not a.is_valid():
                    raise ValidationError(a.errors.as_text())
                disclosure_actions.do_answer_question(user, question, a.cleaned_data["answer"])
                messages.success(request, _("已答复。"))
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as e:
            _fail(request, e)
            status = 400
        else:
            return redirect(d.get_absolute_url())
        context.update({"d": d})
    return render(request, "governance/disclosure/detail.html", context, status=status)


@login_required
def disclosure_poster(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    """The poster for the physical board: the text and table, the supervision
    committee's approval, the office's contacts, signature and seal places, and a QR
    code to the disclosure on the portal (where residents may question it)."""
    d = access.get_disclosure_for_user(acting_user(request), disclosure_id)
    if d.status not in (DisclosureStatus.APPROVED, DisclosureStatus.PUBLISHED):
        raise Http404
    url = request.build_absolute_uri(reverse("portal:disclosure", args=[d.unit_id, d.pk]))
    setting = DisclosureSetting.objects.filter(unit=d.unit).first()
    return render(
        request,
        "governance/disclosure/poster.html",
        {
            "d": d,
            "qr": qr_svg(url),
            "status_url": url,
            "township": d.unit.parent_unit(),
            "answer_days": setting.answer_days if setting else 10,
            "printed_on": timezone.localdate(),
        },
    )


@login_required
def disclosure_file(request: HttpRequest, file_id: int) -> HttpResponseBase:
    row = access.get_disclosure_file_for_user(acting_user(request), file_id)
    return serve_upload(row.file, f"disclosure-{row.disclosure_id}-{row.pk}")


# --- the township and the county ----------------------------------------------------------------


def _months(year: int) -> list[int]:
    return list(range(1, 13))


@login_required
def township(request: HttpRequest) -> HttpResponse:
    """On-time disclosure by community and month, the overdue list, residents'
    questions and complaints, for the township (and the county, the prefecture)."""
    user = acting_user(request)
    roots = list(org_access.scope_roots(user))
    unit = (
        org_access.get_unit_for_user(user, request.GET["unit"])
        if request.GET.get("unit")
        else (roots[0] if roots else None)
    )
    if unit is None:
        raise Http404
    at, year = _at(request)
    communities = list(
        OrgUnit.objects.filter(
            path__startswith=unit.path,
            kind=UnitKind.COMMUNITY,
            pk__in=DisclosureSetting.objects.values("unit_id"),
        ).order_by("path")
    )
    months = figures.disclosure_months(communities, dt.date(year, 1, 1), dt.date(year, 12, 31), at)
    questions = figures.question_figures(communities, at)
    rows = []
    for c in communities:
        cells = [months.get((c.pk, year, m)) for m in _months(year)]
        due = sum(x["due"] for x in cells if x)
        on_time = sum(x[cal.DueState.ON_TIME] for x in cells if x)
        rows.append(
            {
                "unit": c,
                "cells": cells,
                "due": due,
                "on_time": on_time,
                "rate": round(100 * on_time / due) if due else None,
                "overdue": sum(x[cal.DueState.OVERDUE] for x in cells if x),
                "questions": questions.get(c.pk),
            }
        )
    in_scope = access.disclosure_dues_for_user(user).filter(unit__in=communities)
    overdue = list(
        cal.dues_at(in_scope.filter(due_on__lt=at), at)
        .filter(cal.overdue_q(at))
        .order_by("due_on", "unit__path")[:300]
    )
    overdue_questions = list(
        access.disclosure_questions_for_user(user)
        .filter(unit__in=communities, answer_due_on__lt=at)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gt=at))
        .filter(asked_at__date__lte=at)
        .order_by("answer_due_on")[:300]
    )
    complaints = list(
        access.disclosure_complaints_for_user(user)
        .filter(unit__in=communities)
        .order_by("status", "-received_on")[:100]
    )
    if request.GET.get("format") == "xlsx":
        return _xlsx(unit, year, at, rows, overdue, overdue_questions)
    children = unit.children().filter(kind__in=[UnitKind.COUNTY, UnitKind.TOWNSHIP])
    total_due = sum(r["due"] for r in rows)
    total_on_time = sum(r["on_time"] for r in rows)
    return render(
        request,
        "governance/disclosure/township.html",
        {
            "unit": unit,
            "children": children,
            "year": year,
            "at": at,
            "months": _months(year),
            "rows": rows,
            "overdue": overdue,
            "overdue_questions": overdue_questions,
            "complaints": complaints,
            "complaint_form": ComplaintForm(),
            "close_form": CloseComplaintForm(),
            "may_confirm": any(access.may_confirm(user, c) for c in communities[:1]),
            "CS": ComplaintStatus,
            "total_rate": round(100 * total_on_time / total_due) if total_due else None,
        },
    )


def _xlsx(
    unit: OrgUnit,
    year: int,
    at: dt.date,
    rows: list[dict[str, Any]],
    overdue: list[DisclosureDue],
    overdue_questions: list[DisclosureQuestion],
) -> HttpResponse:
    head = [_("社区(村)"), *[_("%(m)s月") % {"m": m} for m in _months(year)], _("应公开"), _("按时公开"),
            _("按时率(%)"), _("逾期未公开"), _("质询"), _("按时答复"), _("逾期未答复")]  # fmt: skip
    rates: list[list[Any]] = [head]
    for r in rows:
        q = r["questions"]
        rates.append(
            [
                r["unit"].name,
                *[f"{c[cal.DueState.ON_TIME]}/{c['due']}" if c else "" for c in r["cells"]],
                r["due"],
                r["on_time"],
                r["rate"],
                r["overdue"],
                q.asked if q else 0,
                q.answered_on_time if q else 0,
                q.overdue if q else 0,
            ]
        )
    late: list[list[Any]] = [
        [_("社区(村)"), _("公开事项"), _("期次"), _("应公开日期"), _("逾期天数")]
    ]
    for d in overdue:
        late.append([d.unit.name, d.item.title, d.key, d.due_on, (at - d.due_on).days])
    asked: list[list[Any]] = [
        [_("社区(村)"), _("公开"), _("质询人"), _("质询内容"), _("应答复日期"), _("逾期天数")]
    ]
    for q in overdue_questions:
        asked.append(
            [q.unit.name, q.disclosure.title, q.asker, q.text, q.answer_due_on,
             (at - q.answer_due_on).days]
        )  # fmt: skip
    body = workbook_bytes(
        [(_("按时公开率"), rates), (_("逾期未公开"), late), (_("逾期未答复质询"), asked)]
    )
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="disclosure-{unit.pk}-{year}-{at:%Y%m%d}.xlsx"'
    )
    return response


@login_required
def complaint_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The township records a 第三十一条 report about a community."""
    user = acting_user(request)
    unit = access.get_community_for_user(user, unit_id)
    if request.method != "POST":
        raise Http404
    form = ComplaintForm(request.POST)
    township = unit.parent_unit()
    back = f"{reverse('governance:disclosure_township')}?unit={township.pk if township else ''}"
    if form.is_valid():
        question = None
        if request.POST.get("question"):
            question = access.get_disclosure_question_for_user(user, request.POST["question"])
        due = None
        if request.POST.get("due"):
            due = (
                access.disclosure_dues_for_user(user)
                .filter(pk=org_access.parse_pk(request.POST["due"]))
                .first()
            )
        try:
            disclosure_actions.do_file_complaint(
                user, unit=unit, due=due, question=question, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as e:
            _fail(request, e)
        else:
            messages.success(request, _("已登记举报,请调查核实并责令依法公布。"))
    else:
        messages.error(request, form.errors.as_text())
    return redirect(back)


@login_required
def complaint_close(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = acting_user(request)
    complaint = access.get_disclosure_complaint_for_user(user, complaint_id)
    if request.method != "POST":
        raise Http404
    form = CloseComplaintForm(request.POST)
    if form.is_valid():
        try:
            disclosure_actions.do_close_complaint(user, complaint, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            _fail(request, e)
        else:
            messages.success(request, _("已办结。"))
    else:
        messages.error(request, form.errors.as_text())
    return redirect(f"{reverse('governance:disclosure_township')}?unit={complaint.township_id}")
