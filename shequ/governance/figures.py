"""What other apps and insights may read of self-governance.

- ``resolution_ref(id)``: a resolution's label, URL, unit, matter and result, for links
  from other apps (mediation's committee chosen by a meeting, building's 一事一议 project
  authorised by a villagers' meeting);
- ``resolution_refs(ids)``: the same for many ids at once (a list of members, say);
- ``authorising_resolution(id, unit, matters)``: the same, only when it is a passed
  resolution of ``unit`` (or a unit above it) on one of ``matters``;
- ``resolutions_for(unit, matters)``: the passed resolutions a form may offer;
- ``meetings_by_month(units, year)``: meetings held and quorate per unit and month;
- ``township_rows(communities, year)``: the township overview;
- ``county_rows(communities, year)``: the same, with each community's charters in
  force, last meeting per type and supervision committee, for the county view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from shequ.governance.actions import QUARTER
from shequ.governance.models import (
    ART24_MATTERS,
    CharterVersion,
    Committee,
    CommitteeKind,
    ConveneRequest,
    Evaluation,
    Matter,
    Meeting,
    MeetingStatus,
    RequestStatus,
    Resolution,
    ResolutionResult,
    VersionStatus,
)
from shequ.orgs.models import OrgUnit

# Matters building's 一事一议 projects may rest on (第二十四条: public-welfare projects and
# their funding, collective projects).
CASE_BY_CASE_MATTERS = frozenset({Matter.ART24_WELFARE, Matter.ART24_PROJECT})
MEDIATION_MATTERS = frozenset({Matter.MEDIATION})


@dataclass(frozen=True)
class ResolutionRef:
    id: int
    label: str
    url: str
    unit_id: int
    matter: str
    matter_label: str
    passed: bool
    meeting_type: str
    decided_on: dt.date


def _ref(r: Resolution) -> ResolutionRef:
    return ResolutionRef(
        id=r.pk,
        label=f"{r.unit.name} {r.meeting.get_meeting_type_display()}决议 {r.number}:{r.item.title}",
        url=r.get_absolute_url(),
        unit_id=r.unit_id,
        matter=r.matter,
        matter_label=r.get_matter_display(),
        passed=r.passed,
        meeting_type=r.meeting.meeting_type,
        decided_on=timezone.localtime(r.decided_at).date(),
    )


def resolution_ref(resolution_id: int) -> ResolutionRef | None:
    r = (
        Resolution.objects.select_related("unit", "meeting", "item")
        .filter(pk=resolution_id)
        .first()
    )
    return _ref(r) if r is not None else None


def resolution_refs(resolution_ids: Iterable[int]) -> dict[int, ResolutionRef]:
    ids = {i for i in resolution_ids if i is not None}
    if not ids:
        return {}
    rows = Resolution.objects.select_related("unit", "meeting", "item").filter(pk__in=ids)
    return {r.pk: _ref(r) for r in rows}


def authorising_resolution(
    resolution_id: int, unit: OrgUnit, matters: Iterable[str] = CASE_BY_CASE_MATTERS
) -> ResolutionRef | None:
    """The passed resolution ``resolution_id`` when it belongs to ``unit``'s community
    (the unit itself, or the community above a village or grid) and decides one of
    ``matters``; otherwise None."""
    ref = resolution_ref(resolution_id)
    if ref is None or not ref.passed or ref.matter not in set(matters):
        return None
    community = OrgUnit.objects.filter(pk=ref.unit_id).first()
    if community is None or not (unit.path.startswith(community.path)):
        return None
    return ref


def resolutions_for(
    unit: OrgUnit, matters: Iterable[str] = CASE_BY_CASE_MATTERS
) -> list[ResolutionRef]:
    rows = (
        Resolution.objects.filter(
            unit__path__startswith=unit.path[:16] if unit.depth > 4 else unit.path,
            matter__in=list(matters),
            result=ResolutionResult.PASSED,
        )
        .select_related("unit", "meeting", "item")
        .order_by("-decided_at")
    )
    return [_ref(r) for r in rows[:200]]


def meetings_by_month(units: Iterable[OrgUnit], year: int) -> dict[tuple[int, int], dict[str, int]]:
    """``{(unit_id, month): {"held": n, "quorate": m}}`` for closed meetings of ``year`` in
    the subtrees of ``units`` (counted on the community)."""
    q = Q()
    for u in units:
        q |= Q(unit__path__startswith=u.path)
    rows = (
        Meeting.objects.filter(q, status=MeetingStatus.CLOSED, held_on__year=year)
        .annotate(month=ExtractMonth("held_on"))
        .values("unit_id", "month")
        .annotate(held=Count("pk"), quorate=Count("pk", filter=Q(quorate=True)))
    )
    return {(r["unit_id"], r["month"]): {"held": r["held"], "quorate": r["quorate"]} for r in rows}


@dataclass
class TownshipRow:
    unit: OrgUnit
    meetings: dict[str, tuple[int, int]] = field(default_factory=dict)  # type → (held, quorate)
    held: int = 0
    quorate: int = 0
    art24: int = 0
    other_resolutions: int = 0
    charters: dict[str, str] = field(default_factory=dict)  # kind → latest status
    evaluated: bool = False
    term_to: dt.date | None = None
    term_expiring: bool = False
    overdue_requests: int = 0


def township_rows(
    communities: Iterable[OrgUnit], year: int, today: dt.date | None = None
) -> list[TownshipRow]:
    today = today or timezone.localdate()
    units = list(communities)
    ids = [u.pk for u in units]
    rows = {u.pk: TownshipRow(u) for u in units}
    for m in (
        Meeting.objects.filter(unit_id__in=ids, status=MeetingStatus.CLOSED, held_on__year=year)
        .values("unit_id", "meeting_type")
        .annotate(held=Count("pk"), quorate=Count("pk", filter=Q(quorate=True)))
    ):
        row = rows[m["unit_id"]]
        row.meetings[m["meeting_type"]] = (m["held"], m["quorate"])
        row.held += m["held"]
        row.quorate += m["quorate"]
    for r in (
        Resolution.objects.filter(
            unit_id__in=ids, result=ResolutionResult.PASSED, meeting__held_on__year=year
        )
        .values("unit_id", "matter")
        .annotate(n=Count("pk"))
    ):
        row = rows[r["unit_id"]]
        if r["matter"] in ART24_MATTERS:
            row.art24 += r["n"]
        else:
            row.other_resolutions += r["n"]
    latest: dict[int, int] = {}
    for v in CharterVersion.objects.filter(charter__unit_id__in=ids).values(
        "charter_id", "number", "status", "charter__unit_id", "charter__kind"
    ):
        key = v["charter_id"]
        if v["number"] >= latest.get(key, 0):
            latest[key] = v["number"]
            rows[v["charter__unit_id"]].charters[v["charter__kind"]] = v["status"]
    for unit_id in Evaluation.objects.filter(unit_id__in=ids, year=year).values_list(
        "unit_id", flat=True
    ):
        rows[unit_id].evaluated = True
    for c in Committee.objects.filter(
        unit_id__in=ids,
        kind__in=[CommitteeKind.VILLAGE, CommitteeKind.RESIDENTS],
        ended_on__isnull=True,
    ).values("unit_id", "term_to"):
        row = rows[c["unit_id"]]
        row.term_to = c["term_to"]
        row.term_expiring = c["term_to"] - QUARTER <= today
    for req in (
        ConveneRequest.objects.filter(unit_id__in=ids, status=RequestStatus.VALID, due_on__lt=today)
        .values("unit_id")
        .annotate(n=Count("pk"))
    ):
        rows[req["unit_id"]].overdue_requests = req["n"]
    return [rows[pk] for pk in ids]


IN_FORCE = (VersionStatus.ADOPTED, VersionStatus.PUBLISHED, VersionStatus.FILED)


@dataclass
class CountyRow:
    """A community's governance status for the county: the township row, plus the
    charters in force (kind → (version, status)), the last closed meeting of each type,
    the supervision committee in place and the last evaluation's year."""

    base: TownshipRow
    in_force: dict[str, tuple[int, str]] = field(default_factory=dict)
    last_meetings: dict[str, dt.date] = field(default_factory=dict)
    supervision_to: dt.date | None = None
    supervision_members: int = 0
    last_evaluation: int | None = None

    @property
    def unit(self) -> OrgUnit:
        return self.base.unit


def county_rows(
    communities: Iterable[OrgUnit], year: int, today: dt.date | None = None
) -> list[CountyRow]:
    """Every community of ``communities`` (a county's), in a fixed number of queries."""
    today = today or timezone.localdate()
    rows = {r.unit.pk: CountyRow(r) for r in township_rows(communities, year, today)}
    ids = list(rows)
    for v in (
        CharterVersion.objects.filter(charter__unit_id__in=ids, status__in=IN_FORCE)
        .values("charter__unit_id", "charter__kind", "number", "status")
        .order_by("number")
    ):  # the highest adopted version wins
        rows[v["charter__unit_id"]].in_force[v["charter__kind"]] = (v["number"], v["status"])
    for m in (
        Meeting.objects.filter(unit_id__in=ids, status=MeetingStatus.CLOSED)
        .values("unit_id", "meeting_type")
        .annotate(last=Max("held_on"))
    ):
        rows[m["unit_id"]].last_meetings[m["meeting_type"]] = m["last"]
    for c in (
        Committee.objects.filter(
            unit_id__in=ids,
            kind=CommitteeKind.SUPERVISION,
            ended_on__isnull=True,
            term_to__gte=today,
        )
        .annotate(
            n=Count("members", filter=Q(members__ended_on__isnull=True), distinct=True),
        )
        .values("unit_id", "term_to", "n")
    ):
        row = rows[c["unit_id"]]
        row.supervision_to, row.supervision_members = c["term_to"], c["n"]
    for e in (
        Evaluation.objects.filter(unit_id__in=ids).values("unit_id").annotate(last=Max("year"))
    ):
        rows[e["unit_id"]].last_evaluation = e["last"]
    return [rows[pk] for pk in ids]


def charter_status_label(status: str) -> str:
    return str(VersionStatus(status).label) if status else ""


@dataclass(frozen=True)
class Notice:
    """A meeting's notice as the resident portal shows it."""

    meeting_id: int
    title: str
    meeting_type: str
    held_on: dt.date
    starts_at: dt.time
    place: str
    notice_on: dt.date
    agenda: list[str]


def upcoming_notices(community: OrgUnit, today: dt.date | None = None) -> list[Notice]:
    """Meetings of ``community`` noticed and not yet held (for the resident portal's
    notice board). Residents' comments on a charter in public comment are recorded with
    ``actions.do_record_comment(None, version, ..., channel="portal")``."""
    today = today or timezone.localdate()
    rows = (
        Meeting.objects.filter(unit=community, held_on__gte=today, notice_on__lte=today)
        .exclude(status=MeetingStatus.CLOSED)
        .prefetch_related("agenda")
        .order_by("held_on", "pk")
    )
    return [
        Notice(
            meeting_id=m.pk,
            title=m.title,
            meeting_type=m.get_meeting_type_display(),
            held_on=m.held_on,
            starts_at=m.starts_at,
            place=m.place,
            notice_on=m.notice_on,
            agenda=[i.title for i in m.agenda.all()],
        )
        for m in rows
    ]


def charters_in_comment(community: OrgUnit, today: dt.date | None = None) -> list[CharterVersion]:
    """Charter versions open for public comment today (for the resident portal)."""
    today = today or timezone.localdate()
    return list(
        CharterVersion.objects.filter(
            charter__unit=community,
            status=VersionStatus.COMMENT,
            comment_from__lte=today,
            comment_to__gte=today,
        ).select_related("charter")
    )


# --- deliberation (协商议事) -------------------------------------------------------------------
# - ``deliberation_rows(unit, year)``: topics, outcomes and results on time / late /
#   overdue per community under ``unit`` (the township and county overview);
# - ``results_on_time_by_month(units, year)``: results due per unit and month, done on
#   time, late, and still open past their deadline;
# - ``results_by_community_month(unit, year)`` (at the end of the module): the same per
#   community under ``unit``, in one query, for insights' figure rollup;
# - ``deliberations_for(community)``: the topics residents follow on the board;
# - ``topic_messages(topic_id, recipient)``: what the portal shows a proposer of the
#   messages sent about their topic.


from django.db.models import F  # noqa: E402  (kept with the block it serves)
from django.utils.translation import gettext  # noqa: E402

from shequ.governance.models import Outcome, Result, Topic, TopicStatus  # noqa: E402
from shequ.notify.models import Message  # noqa: E402

_PRIVATE = (TopicStatus.PROPOSED, TopicStatus.DECLINED)


@dataclass
class DeliberationRow:
    unit_id: int
    name: str
    township: str
    topics: int = 0
    accepted: int = 0
    declined: int = 0
    agreed: int = 0
    not_agreed: int = 0
    referred: int = 0
    results: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """Results done on time out of those done or past their deadline."""
        judged = self.on_time + self.late + self.overdue
        return self.on_time / judged if judged else None

    @classmethod
    def total(cls, rows: list[DeliberationRow]) -> DeliberationRow:
        out = cls(0, str(_total_label()), "")
        for r in rows:
            for name in ("topics", "accepted", "declined", "agreed", "not_agreed", "referred",
                         "results", "on_time", "late", "overdue"):  # fmt: skip
                setattr(out, name, getattr(out, name) + getattr(r, name))
        return out


def _total_label() -> str:
    return gettext("合计")


def _result_counts(today: dt.date) -> dict[str, Count]:
    return {
        "n": Count("pk"),
        "on_time": Count("pk", filter=Q(completed_on__isnull=False, completed_on__lte=F("due_on"))),
        "late": Count("pk", filter=Q(completed_on__gt=F("due_on"))),
        "overdue": Count("pk", filter=Q(completed_on__isnull=True, due_on__lt=today)),
    }


def deliberation_rows(
    unit: OrgUnit, year: int, today: dt.date | None = None
) -> list[DeliberationRow]:
    """Per community under ``unit`` with topics proposed in ``year``: the topics, their
    outcomes, and their results judged at ``today``."""
    today = today or timezone.localdate()
    topics = Topic.objects.filter(unit__path__startswith=unit.path, proposed_at__year=year)
    counts = topics.values("unit_id").annotate(
        n=Count("pk"),
        declined=Count("pk", filter=Q(status=TopicStatus.DECLINED)),
        pending=Count("pk", filter=Q(status=TopicStatus.PROPOSED)),
        agreed=Count("pk", filter=Q(outcome=Outcome.AGREED)),
        not_agreed=Count("pk", filter=Q(outcome=Outcome.NOT_AGREED)),
        referred=Count("pk", filter=Q(outcome=Outcome.REFERRED)),
    )
    results: dict[int, dict[str, Any]] = {
        r["topic__unit_id"]: dict(r)
        for r in Result.objects.filter(topic__in=topics)
        .values("topic__unit_id")
        .annotate(**_result_counts(today))
    }
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[c["unit_id"] for c in counts])}
    townships = {
        t.path: t.name
        for t in OrgUnit.objects.filter(
            path__startswith=unit.path[: OrgUnit.steplen * 2], kind="township"
        ).only("path", "name")
    }
    rows = []
    for c in counts:
        u = units[c["unit_id"]]
        r: dict[str, Any] = results.get(u.pk, {})
        rows.append(
            DeliberationRow(
                unit_id=u.pk,
                name=u.name,
                township=townships.get(u.path[: OrgUnit.steplen * 3], ""),
                topics=c["n"],
                accepted=c["n"] - c["declined"] - c["pending"],
                declined=c["declined"],
                agreed=c["agreed"],
                not_agreed=c["not_agreed"],
                referred=c["referred"],
                results=r.get("n", 0),
                on_time=r.get("on_time", 0),
                late=r.get("late", 0),
                overdue=r.get("overdue", 0),
            )
        )
    rows.sort(key=lambda row: units[row.unit_id].path)
    return rows


def results_on_time_by_month(
    units: Iterable[OrgUnit], year: int, today: dt.date | None = None
) -> dict[tuple[int, int], dict[str, int]]:
    """``{(unit_id, month): {"due", "on_time", "late", "overdue"}}`` for the results of
    each unit's subtree due in that month of ``year``, judged at ``today``."""
    today = today or timezone.localdate()
    out: dict[tuple[int, int], dict[str, int]] = {}
    for u in units:
        rows = (
            Result.objects.filter(topic__unit__path__startswith=u.path, due_on__year=year)
            .annotate(month=ExtractMonth("due_on"))
            .values("month")
            .annotate(**_result_counts(today))
        )
        for row in rows:
            r: dict[str, int] = dict(row)  # type: ignore[arg-type]  # annotated keys
            out[(u.pk, r["month"])] = {
                "due": r["n"],
                "on_time": r["on_time"],
                "late": r["late"],
                "overdue": r["overdue"],
            }
    return out


@dataclass(frozen=True)
class TopicRef:
    id: int
    title: str
    status: str
    status_label: str
    outcome: str
    supports: int
    proposed_on: dt.date


def deliberations_for(community: OrgUnit, limit: int = 10) -> list[TopicRef]:
    """The community's topics residents follow (accepted or further), newest first."""
    rows = (
        Topic.objects.filter(unit=community)
        .exclude(status__in=_PRIVATE)
        .annotate(n=Count("supports"))
        .order_by("-proposed_at", "-pk")[:limit]
    )
    return [
        TopicRef(
            t.pk,
            t.title,
            t.status,
            t.get_status_display(),
            t.get_outcome_display() if t.outcome else "",
            t.n,
            timezone.localdate(t.proposed_at),
        )
        for t in rows
    ]


def topic_messages(topic_id: int, recipient: str) -> list[tuple[dt.datetime, str]]:
    """(when, text) of the SMS sent about a topic to ``recipient`` (a masked number)."""
    return list(
        Message.objects.filter(
            kind__startswith="governance.topic_", payload__topic=topic_id, recipient=recipient
        )
        .order_by("created_at", "pk")
        .values_list("created_at", "body")
    )


# --- affairs disclosure (居务公开) -------------------------------------------------------------
# What the township and county views, the portal's board and insights read of the
# disclosure calendar. Every figure is a query at a date (``at``), never a stored flag.


@dataclass(frozen=True)
class DisclosureRef:
    """A published disclosure, as the portal's board shows it."""

    id: int
    community_id: int
    title: str
    category: str
    item: str
    published_on: dt.date
    questions: int


def disclosures_for(community: OrgUnit, limit: int = 10) -> list[DisclosureRef]:
    """The community's latest published disclosures."""
    from shequ.governance.models import Disclosure, DisclosureStatus

    rows = (
        Disclosure.objects.filter(unit=community, status=DisclosureStatus.PUBLISHED)
        .select_related("item")
        .annotate(n_questions=Count("questions"))
        .order_by("-published_on", "-pk")[:limit]
    )
    return [
        DisclosureRef(
            id=d.pk,
            community_id=community.pk,
            title=d.title,
            category=d.item.get_category_display(),
            item=d.item.title,
            published_on=d.published_on or dt.date.min,
            questions=d.n_questions,
        )
        for d in rows
    ]


def disclosure_months(
    units: Iterable[OrgUnit], first: dt.date, last: dt.date, at: dt.date
) -> dict[tuple[int, int, int], dict[str, int]]:
    """Per (unit, year, month of the due day): how many disclosures were due by ``at``
    and how many of them were published on time, late, or are overdue."""
    from shequ.governance.disclosure_calendar import DueState, dues_at
    from shequ.governance.models import DisclosureDue

    rows = dues_at(
        DisclosureDue.objects.filter(
            unit__in=list(units), due_on__gte=first, due_on__lte=last, due_on__lt=at
        ),
        at,
    ).values_list("unit_id", "due_on", "state")
    out: dict[tuple[int, int, int], dict[str, int]] = {}
    for unit_id, due, state in rows:
        cell = out.setdefault(
            (unit_id, due.year, due.month),
            {"due": 0, DueState.ON_TIME: 0, DueState.LATE: 0, DueState.OVERDUE: 0},
        )
        cell["due"] += 1
        cell[state] = cell.get(state, 0) + 1
    return out


@dataclass(frozen=True)
class QuestionFigures:
    asked: int
    answered_on_time: int
    answered_late: int
    overdue: int  # unanswered past the answer day

    @property
    def on_time_rate(self) -> float | None:
        done = self.answered_on_time + self.answered_late + self.overdue
        return self.answered_on_time / done if done else None


def question_figures(units: Iterable[OrgUnit], at: dt.date) -> dict[int, QuestionFigures]:
    """Per unit: residents' questions asked by ``at`` and how they were answered."""
    from shequ.governance.models import DisclosureQuestion

    rows = DisclosureQuestion.objects.filter(
        unit__in=list(units), asked_at__date__lte=at
    ).values_list("unit_id", "answered_on", "answer_due_on")
    counts: dict[int, list[int]] = {}
    for unit_id, answered, due in rows:
        c = counts.setdefault(unit_id, [0, 0, 0, 0])
        c[0] += 1
        if answered is not None and answered <= at:
            c[1 if answered <= due else 2] += 1
        elif due < at:
            c[3] += 1
    return {k: QuestionFigures(*v) for k, v in counts.items()}


def published_disclosure(community: OrgUnit, disclosure_id: int) -> Any:
    """One published disclosure of ``community`` (None otherwise: the portal answers 404)."""
    from shequ.governance.models import Disclosure, DisclosureStatus

    return (
        Disclosure.objects.filter(
            unit=community, pk=disclosure_id, status=DisclosureStatus.PUBLISHED
        )
        .select_related("item", "reviewer__resident", "due", "unit")
        .first()
    )


def public_questions(disclosure: Any) -> list[Any]:
    """The questions about a disclosure as residents see them: text, the day asked, the
    answer (the asker's name is not shown)."""
    return list(disclosure.questions.order_by("asked_at", "pk"))


# --- for insights' rollups: disclosures and deliberation results, per community and month --


def disclosures_by_community_month(
    unit: OrgUnit, year: int, at: dt.date | None = None
) -> dict[tuple[int, int], tuple[int, int]]:
    """``{(community id, month): (due, on time)}`` for the disclosures of ``unit``'s
    subtree due in ``year`` before ``at`` (today), in one grouped query."""
    from shequ.governance.disclosure_calendar import DueState, dues_at
    from shequ.governance.models import DisclosureDue

    at = at or timezone.localdate()
    rows = dues_at(
        DisclosureDue.objects.filter(
            unit__path__startswith=unit.path, due_on__year=year, due_on__lt=at
        ),
        at,
    ).values_list("unit_id", "due_on", "state")
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for unit_id, due, state in rows:
        n, on_time = out.get((unit_id, due.month), (0, 0))
        out[(unit_id, due.month)] = (n + 1, on_time + (state == DueState.ON_TIME))
    return out


def results_by_community_month(
    unit: OrgUnit, year: int, today: dt.date | None = None
) -> dict[tuple[int, int], tuple[int, int]]:
    """``{(community id, month): (due, done on time)}`` for the deliberation results of
    ``unit``'s subtree due in that month of ``year`` by ``today``."""
    today = today or timezone.localdate()
    rows = (
        Result.objects.filter(
            topic__unit__path__startswith=unit.path, due_on__year=year, due_on__lt=today
        )
        .annotate(month=ExtractMonth("due_on"))
        .values("topic__unit_id", "month")
        .annotate(**_result_counts(today))
    )
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for row in rows:
        r: dict[str, int] = dict(row)  # type: ignore[arg-type]  # annotated keys
        out[(r["topic__unit_id"], r["month"])] = (r["n"], r["on_time"])
    return out
