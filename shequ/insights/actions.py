"""Insights' state changes: the assessment's sheets. Each ``do_*`` is one transaction,
checks the actor's role over the unit, and writes an audit-log row.

The assessor is an officer of the scheme's unit; the assessed unit's officers (or, for a
community, its secretary and director) enter values with evidence and raise objections.
A sheet is computed until approved; approval freezes it (``frozen_at``) and from then on
nothing changes it."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.insights import assessment
from shequ.insights.models import (
    Indicator,
    Objection,
    ObjectionStatus,
    Scheme,
    ScoreLine,
    ScoreSheet,
    SheetStatus,
)
from shequ.insights.verbs import InsightsVerb
from shequ.orgs.events import record_event
from shequ.orgs.kit import require, snapshot, transition
from shequ.orgs.models import OrgUnit, Role, User

ASSESSOR_ROLES = frozenset({Role.PREFECTURE_OFFICER, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER})
ASSESSED_ROLES = ASSESSOR_ROLES | {Role.PARTY_SECRETARY, Role.DIRECTOR}
OPEN = [SheetStatus.DRAFT, SheetStatus.REVIEWED, SheetStatus.OBJECTED, SheetStatus.DECIDED]
SHEET_FIELDS = ["status", "total", "grade", "vetoed", "frozen_at"]


def _frozen(sheet: ScoreSheet) -> None:
    if sheet.frozen:
        raise ValidationError(_("评分已批准冻结,不能再修改。"))


def _retotal(sheet: ScoreSheet) -> None:
    lines = list(sheet.lines.select_related("indicator"))
    total = sheet.scheme.base_score + sum((line.points for line in lines), Decimal(0))
    vetoed = any(assessment.vetoes(line.indicator, line.value) for line in lines)
    sheet.total = assessment.q2(total)
    sheet.vetoed = vetoed
    sheet.grade = "poor" if vetoed else sheet.scheme.grade_for(sheet.total)
    sheet.save(update_fields=["total", "vetoed", "grade"])


@transaction.atomic
def do_compute_sheet(actor: User | None, scheme: Scheme, unit: OrgUnit) -> ScoreSheet:
    """Compute (or recompute) ``unit``'s sheet: every leaf with a measure from the data;
    entered values and values changed by an upheld objection are kept. A frozen sheet is
    returned unchanged."""
    require(actor, ASSESSOR_ROLES, scheme.unit)
    if unit.pk not in {u.pk for u in assessment.assessed_units(scheme)}:
        raise ValidationError({"unit": _("只能考核下一级单位。")})
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(scheme=scheme, unit=unit)
    if sheet.frozen:
        return sheet
    before = snapshot(sheet, SHEET_FIELDS)
    existing = {line.indicator_id: line for line in sheet.lines.all()}
    for indicator in assessment.leaves(scheme):
        line = existing.get(indicator.pk) or ScoreLine(sheet=sheet, indicator=indicator)
        measure = assessment.MEASURES.get(indicator.measure)
        if measure is not None and not line.adjusted:
            line.value = measure.compute(unit, scheme.year)
            line.computed = True
            line.source = measure.source
        elif measure is None and not line.source:
            line.source = _("录入(附佐证材料)")
        line.points = assessment.points_for(indicator, line.value)
        line.save()
    sheet.computed_at = timezone.now()
    sheet.save(update_fields=["computed_at"])
    _retotal(sheet)
    record_event(
        actor,
        InsightsVerb.SHEET_COMPUTED,
        sheet,
        unit=unit,
        before=before,
        after=snapshot(sheet, SHEET_FIELDS),
    )
    return sheet


@transaction.atomic
def do_enter_value(
    actor: User | None, line: ScoreLine, value: Decimal | None, evidence: str
) -> ScoreLine:
    """A value for an indicator the platform does not compute, with its evidence."""
    sheet = ScoreSheet.objects.select_for_update().get(pk=line.sheet_id)
    _frozen(sheet)
    if sheet.status not in (SheetStatus.DRAFT,):
        raise ValidationError(_("评分表已审核,请通过异议更正。"))
    require(actor, ASSESSED_ROLES, sheet.unit)
    line.refresh_from_db()
    if line.computed:
        raise ValidationError({"value": _("该指标由系统计算,不能录入。")})
    if not evidence.strip():
        raise ValidationError({"evidence": _("请说明佐证材料。")})
    before = snapshot(line, ["value", "points", "evidence"])
    line.value = value
    line.evidence = evidence.strip()
    line.points = assessment.points_for(line.indicator, value)
    line.save(update_fields=["value", "evidence", "points"])
    _retotal(sheet)
    record_event(
        actor,
        InsightsVerb.VALUE_ENTERED,
        line,
        unit=sheet.unit,
        before=before,
        after=snapshot(line, ["value", "points", "evidence"]),
    )
    return line


@transaction.atomic
def do_review_sheet(actor: User | None, sheet: ScoreSheet, note: str) -> ScoreSheet:
    require(actor, ASSESSOR_ROLES, sheet.scheme.unit)
    before = transition(
        sheet, [SheetStatus.DRAFT], status=SheetStatus.REVIEWED, review_note=note.strip()
    )
    record_event(
        actor,
        InsightsVerb.SHEET_REVIEWED,
        sheet,
        unit=sheet.unit,
        before=before,
        after=snapshot(sheet, SHEET_FIELDS),
    )
    return sheet


@transaction.atomic
def do_raise_objection(
    actor: User | None,
    line: ScoreLine,
    reason: str,
    claimed_value: Decimal | None,
    client_token: str | None = None,
) -> Objection:
    """Idempotent on ``client_token`` (a form sent twice raises one objection)."""
    if client_token:
        done = Objection.objects.filter(client_token=client_token).first()
        if done is not None:
            return done
    sheet = line.sheet
    require(actor, ASSESSED_ROLES, sheet.unit)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明异议理由。")})
    transition(
        sheet,
        [SheetStatus.REVIEWED, SheetStatus.OBJECTED, SheetStatus.DECIDED],
        status=SheetStatus.OBJECTED,
    )
    objection = Objection.objects.create(
        line=line,
        reason=reason.strip(),
        claimed_value=claimed_value,
        client_token=client_token or None,
    )
    record_event(
        actor,
        InsightsVerb.OBJECTION_RAISED,
        objection,
        unit=sheet.unit,
        after=snapshot(objection, ["line", "reason", "claimed_value"]),
    )
    return objection


@transaction.atomic
def do_decide_objection(
    actor: User | None, objection: Objection, *, upheld: bool, note: str
) -> Objection:
    """Upheld with a claimed value: the line takes it (kept through recomputation);
    the sheet's total and grade follow."""
    line = objection.line
    sheet = line.sheet
    require(actor, ASSESSOR_ROLES, sheet.scheme.unit)
    _frozen(sheet)
    before = transition(
        objection,
        [ObjectionStatus.PENDING],
        status=ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED,
        decision_note=note.strip(),
        decided_at=timezone.now(),
    )
    if upheld and objection.claimed_value is not None:
        line.value = objection.claimed_value
        line.adjusted = True
        line.points = assessment.points_for(line.indicator, line.value)
        line.save(update_fields=["value", "adjusted", "points"])
        _retotal(sheet)
    if not Objection.objects.filter(line__sheet=sheet, status=ObjectionStatus.PENDING).exists():
        ScoreSheet.objects.filter(pk=sheet.pk, status=SheetStatus.OBJECTED).update(
            status=SheetStatus.DECIDED
        )
    record_event(
        actor,
        InsightsVerb.OBJECTION_DECIDED,
        objection,
        unit=sheet.unit,
        before=before,
        after=snapshot(objection, ["status", "decision_note"]),
    )
    return objection


@transaction.atomic
def do_approve_sheet(actor: User | None, sheet: ScoreSheet) -> ScoreSheet:
    """Approve and freeze: recomputing later changes nothing."""
    require(actor, ASSESSOR_ROLES, sheet.scheme.unit)
    if Objection.objects.filter(line__sheet=sheet, status=ObjectionStatus.PENDING).exists():
        raise ValidationError(_("还有未处理的异议。"))
    before = transition(
        sheet,
        [SheetStatus.REVIEWED, SheetStatus.DECIDED],
        status=SheetStatus.APPROVED,
        frozen_at=timezone.now(),
    )
    record_event(
        actor,
        InsightsVerb.SHEET_APPROVED,
        sheet,
        unit=sheet.unit,
        before=before,
        after=snapshot(sheet, SHEET_FIELDS),
    )
    return sheet


@transaction.atomic
def do_create_scheme(
    actor: User | None,
    unit: OrgUnit,
    *,
    year: int,
    name: str,
    source: str,
    indicators: list[dict[str, object]],
    **fields: object,
) -> Scheme:
    """A scheme with its indicator tree (``parent`` by code); idempotent on
    (unit, year, name)."""
    require(actor, ASSESSOR_ROLES, unit)
    scheme, created = Scheme.objects.get_or_create(
        unit=unit, year=year, name=name, defaults={"source": source, **fields}
    )
    if not created:
        return scheme
    by_code: dict[str, Indicator] = {}
    for i, spec in enumerate(indicators):
        data = dict(spec)
        parent = data.pop("parent", None)
        by_code[str(data["code"])] = Indicator.objects.create(
            scheme=scheme,
            parent=by_code.get(str(parent)) if parent else None,
            sort=i,
            **data,
        )
    record_event(
        actor,
        InsightsVerb.SCHEME_CREATED,
        scheme,
        unit=unit,
        after=snapshot(scheme, ["year", "name", "source", "base_score"]),
    )
    return scheme
