"""Staff pages of deliberation (协商议事): the topics in scope, filing a topic, a topic's
page where each step of the procedure is taken, a milestone's photo, and the township
and county overview with its Excel export. Fetch through ``deliberation_access``,
change through ``deliberation_actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.governance import access, figures
from shequ.governance import deliberation_access as daccess
from shequ.governance import deliberation_actions as da
from shequ.governance.deliberation_forms import (
    ConsultationRecordForm,
    DatedTextForm,
    DeclineForm,
    HideCommentForm,
    LinkResolutionForm,
    MilestoneForm,
    NoticeForm,
    OutcomeForm,
    ResultForm,
    TopicForm,
)
from shequ.governance.forms import YearForm
from shequ.governance.models import (
    Outcome,
    Resolution,
    ResolutionResult,
    Result,
    Topic,
    TopicSource,
    TopicStatus,
)
from shequ.lib.xlsx import percent, workbook_bytes
from shequ.orgs import access as org_access
from shequ.orgs.access import acting_user
from shequ.orgs.files import serve_upload
from shequ.orgs.models import OrgUnit, Post, UnitKind
from shequ.people.models import ResidentUnit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def topics(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = daccess.topics_for_user(user).annotate(n_support=Count("supports"))
    status = request.GET.get("status", "")
    if status in TopicStatus.values:
        rows = rows.filter(status=status)
    communities = [
        p.unit
        for p in org_access.active_posts(user)
        if p.unit.kind == UnitKind.COMMUNITY or p.unit.kind == UnitKind.GRID
    ]
    filing = sorted(
        {(u.parent_unit() if u.kind == UnitKind.GRID else u) for u in communities} - {None},
        key=lambda u: u.path,  # type: ignore[union-attr]
    )
    return render(
        request,
        "governance/deliberation/topics.html",
        {
            "rows": rows[:200],
            "statuses": TopicStatus.choices,
            "status": status,
            "filing": filing,
        },
    )


@login_required
def topic_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = acting_user(request)
    unit = OrgUnit.objects.filter(pk=unit_id, kind=UnitKind.COMMUNITY).first()
    if unit is None or not daccess.may_propose(user, unit):
        raise Http404
    form = TopicForm(
        request.POST or None,
        units=ResidentUnit.objects.filter(community=unit).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            topic = da.do_propose_topic(
                user,
                unit=unit,
                title=d["title"],
                description=d["description"],
                source=d["source"],
                proposer_name=d["proposer_name"],
                concerned=d["concerned"],
                major=d["major"],
                resident_unit=d["resident_unit"],
                contact=d["contact"],
                client_token=d["client_token"],
            )
        except ValidationError as e:
            form.add_action_errors(e)
        except PermissionDenied as e:
            messages.error(request, str(e))
        else:
            return redirect(topic)
    return render(
        request,
        "governance/deliberation/topic_new.html",
        {"unit": unit, "form": form, "sources": TopicSource},
    )


def _forms(topic: Topic, data: Any = None, files: Any = None, step: str = "") -> dict[str, Any]:
    """Each step's form, bound to the submission only for the step submitted."""

    def bound(name: str) -> tuple[Any, Any]:
        return (data, files) if step == name else (None, None)

    posts = Post.objects.active().filter(unit=topic.unit).select_related("user")
    resolutions = Resolution.objects.filter(
        unit=topic.unit, result=ResolutionResult.PASSED
    ).select_related("item")
    return {
        "decline": DeclineForm(bound("decline")[0]),
        "notice": NoticeForm(bound("notice")[0]),
        "consult": ConsultationRecordForm(bound("consult")[0]),
        "outcome": OutcomeForm(bound("outcome")[0]),
        "link": LinkResolutionForm(bound("link")[0], resolutions=resolutions),
        "result": ResultForm(
            bound("result")[0], posts=posts, parents=Result.objects.filter(topic=topic)
        ),
        "milestone": MilestoneForm(*bound("milestone"), prefix="m"),
        "feedback": DatedTextForm(bound("feedback")[0], prefix="f"),
        "supervise": DatedTextForm(bound("supervise")[0], prefix="s"),
        "hide": HideCommentForm(bound("hide")[0]),
    }


def _take_step(request: HttpRequest, topic: Topic, step: str, forms: dict[str, Any]) -> bool:
    """Run the submitted step; True when it succeeded. Errors land on the step's form."""
    user = acting_user(request)
    simple = {"accept": da.do_accept_topic, "implement": da.do_start_implementation}
    if step in simple:
        simple[step](user, topic)
        return True
    form = forms.get(step)
    if form is None or not form.is_valid():
        return False
    d = form.cleaned_data
    if step == "decline":
        da.do_decline_topic(user, topic, reason=d["reason"])
    elif step == "notice":
        da.do_notice_topic(user, topic, text=d["text"], notice_on=d["notice_on"])
    elif step == "consult":
        da.do_record_consultation(
            user,
            topic,
            form=d["form"],
            held_on=d["held_on"],
            place=d["place"],
            record=d["record"],
            participants=[da.ParticipantIn(*p) for p in form.participants()],
            client_token=d["client_token"],
        )
    elif step == "outcome":
        da.do_decide_outcome(
            user,
            topic,
            outcome=d["outcome"],
            text=d["text"],
            decided_on=d["decided_on"],
            referred_to=d["referred_to"],
        )
    elif step == "link":
        da.do_link_resolution(user, topic, d["resolution"])
    elif step == "result":
        da.do_add_result(
            user,
            topic,
            title=d["title"],
            responsible=d["responsible"],
            post=d["post"],
            due_on=d["due_on"],
            parent=d["parent"],
            client_token=d["client_token"],
        )
    elif step == "milestone":
        result = daccess.get_result_for_user(user, request.POST.get("result"), write=True)
        if result.topic_id != topic.pk:
            raise Http404
        da.do_record_milestone(
            user,
            result,
            happened_on=d["happened_on"],
            text=d["text"],
            progress=d["progress"],
            photo=d["photo"],
            client_token=d["client_token"],
        )
    elif step == "feedback":
        da.do_give_feedback(user, topic, text=d["text"], on=d["on"])
    elif step == "supervise":
        da.do_supervise_topic(user, topic, text=d["text"], on=d["on"])
    elif step == "hide":
        comment = daccess.get_comment_for_user(user, request.POST.get("comment"), write=True)
        da.do_hide_comment(user, comment, reason=d["reason"])
    return True


@login_required
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    user = acting_user(request)
    topic = daccess.get_topic_for_user(user, topic_id)
    can_write = access.may_write(user, topic.unit)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    forms = _forms(topic, request.POST, request.FILES, step)
    status = 200
    if step:
        if not can_write:
            raise Http404
        try:
            if _take_step(request, topic, step, forms):
                messages.success(request, _("已保存。"))
                return redirect(topic)
        except ValidationError as e:
            if step in forms:
                forms[step].add_action_errors(e)
            else:
                messages.error(request, " ".join(e.messages))
        except PermissionDenied as e:
            messages.error(request, str(e))
        status = 400
    today = timezone.localdate()
    results = list(
        topic.results.select_related("post__user", "parent").prefetch_related("milestones")
    )
    context = {
        "topic": topic,
        "can_write": can_write,
        "forms": forms,
        "step": step,
        "consultations": topic.consultations.prefetch_related("participants"),
        "results": [(r, r.is_overdue(today)) for r in results],
        "comments": topic.comments.all(),
        "supports": topic.supports.count(),
        "S": TopicStatus,
        "O": Outcome,
    }
    return render(request, "governance/deliberation/topic.html", context, status=status)


@login_required
def milestone_photo(request: HttpRequest, milestone_id: int) -> Any:
    milestone = daccess.get_milestone_for_user(acting_user(request), milestone_id)
    return serve_upload(milestone.photo, f"milestone-{milestone.pk}")


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Topics, outcomes and results on time / overdue, by community, for a township or a
    county (the user's scope root, or a unit below it), for a year; Excel export."""
    user = acting_user(request)
    roots = list(org_access.scope_roots(user))
    unit = (
        org_access.get_unit_for_user(user, request.GET["unit"])
        if request.GET.get("unit")
        else (roots[0] if roots else None)
    )
    if unit is None:
        raise Http404
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    rows = figures.deliberation_rows(unit, year)
    if request.GET.get("format") == "xlsx":
        return _overview_xlsx(rows, unit, year)
    children = unit.children().filter(kind__in=[UnitKind.COUNTY, UnitKind.TOWNSHIP])
    totals = figures.DeliberationRow.total(rows)
    return render(
        request,
        "governance/deliberation/overview.html",
        {"unit": unit, "year": year, "rows": rows, "totals": totals, "children": children},
    )


def _overview_xlsx(rows: list[figures.DeliberationRow], unit: OrgUnit, year: int) -> HttpResponse:
    head = [
        _("乡镇(街道)"),
        _("社区(村)"),
        _("议题"),
        _("受理"),
        _("不予受理"),
        _("达成一致"),
        _("未达成一致"),
        _("提交上级"),
        _("落实事项"),
        _("按期完成"),
        _("逾期完成"),
        _("逾期未完成"),
        _("按期完成率"),
    ]
    data: list[list[Any]] = [head]
    for r in [*rows, figures.DeliberationRow.total(rows)]:
        data.append(
            [
                r.township,
                r.name,
                r.topics,
                r.accepted,
                r.declined,
                r.agreed,
                r.not_agreed,
                r.referred,
                r.results,
                r.on_time,
                r.late,
                r.overdue,
                percent(r.on_time_rate),
            ]
        )
    response = HttpResponse(workbook_bytes([(f"{year}", data)]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="deliberation-{unit.pk}-{year}.xlsx"'
    return response
