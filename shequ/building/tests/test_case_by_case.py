"""一事一议: the village applies, the township reviews, the county approves; a subsidy is
paid only after approval (先批后建) and after the villagers' own share is in (先筹后补)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas
from shequ.building import actions
from shequ.building.models import (
    EntryKind,
    FiscalLevel,
    FundSource,
    LedgerEntry,
    Procedure,
    Project,
    ProjectKind,
    ProjectStatus,
    SixBits,
)
from shequ.building.tests.conftest import photo
from shequ.governance.figures import ResolutionRef
from shequ.orgs.models import OrgUnit, User

DAY = dt.date(2015, 5, 1)


def _project(actor: User, where: OrgUnit) -> Project:
    return actions.do_create_project(
        actor,
        unit=where,
        name="组级道路硬化",
        kind=ProjectKind.ROAD,
        procedure=Procedure.CASE_BY_CASE,
        budget="200000",
        plan={FundSource.CASE_SELF_RAISED: "100000", FundSource.RURAL_FISCAL: "100000"},
    )


def _pay(actor: User, project: Project, amount: str = "100000") -> LedgerEntry:
    return actions.do_pay_subsidy(
        actor,
        project,
        amount=amount,
        level=FiscalLevel.COUNTY,
        source=FundSource.RURAL_FISCAL,
        entry_date=DAY,
    )


def _raise(actor: User, project: Project, amount: str) -> LedgerEntry:
    return actions.do_record_entry(
        actor,
        unit=project.unit,
        entry_date=DAY,
        level=FiscalLevel.COMMUNITY,
        source=FundSource.CASE_SELF_RAISED,
        six_bits=SixBits.SELF_RAISED,
        kind=EntryKind.DISBURSED,
        amount=amount,
        project=project,
    )


def test_a_subsidy_is_refused_before_approval_and_before_the_villagers_share(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    county = personas.county
    project = _project(rural_secretary, rural)
    assert project.status == ProjectStatus.DRAFT
    with pytest.raises(ValidationError, match="先批后建"):
        _pay(county, project)
    with pytest.raises(ValidationError) as error:
        actions.do_apply_project(rural_secretary, project)
    assert "resolution_ref" in error.value.message_dict
    actions.do_apply_project(rural_secretary, project, resolution_ref="村民会议决议〔2015〕1号")
    # the township reviews, not the county; the county approves, not the township
    with pytest.raises(PermissionDenied):
        actions.do_review_project(county, project)
    actions.do_review_project(rural_township, project, note="符合条件")
    with pytest.raises(ValidationError, match="先批后建"):
        _pay(county, project)
    with pytest.raises(PermissionDenied):
        actions.do_approve_project(rural_township, project)
    actions.do_approve_project(county, project, approved_on=DAY)
    assert project.status == ProjectStatus.APPROVED
    # approved, but the villagers have raised only part of their half
    _raise(county, project, "60000")
    with pytest.raises(ValidationError, match="先筹后补"):
        _pay(county, project)
    assert not LedgerEntry.objects.filter(source=FundSource.RURAL_FISCAL).exists()
    _raise(county, project, "40000")
    paid = _pay(county, project)
    assert paid.kind == EntryKind.DISBURSED and paid.project == project
    # the ceiling: the subsidy share of the budget
    with pytest.raises(ValidationError, match="不能超过"):
        _pay(county, project, "0.01")
    assert actions.subsidy_paid(project) == Decimal("100000.00")


def test_a_refused_project_gets_no_subsidy(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    project = _project(rural_secretary, rural)
    actions.do_apply_project(rural_secretary, project, resolution_ref="决议1号")
    with pytest.raises(ValidationError):
        actions.do_refuse_project(rural_township, project, note="")
    actions.do_refuse_project(rural_township, project, note="未经村民会议三分之二户代表同意")
    assert project.status == ProjectStatus.REFUSED
    with pytest.raises(ValidationError, match="先批后建"):
        _pay(personas.county, project)
    with pytest.raises(ValidationError):
        actions.do_approve_project(personas.county, project)


def test_progress_waits_for_approval(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    project = _project(rural_secretary, rural)
    with pytest.raises(ValidationError, match="先批后建"):
        actions.do_report_progress(rural_secretary, project, progress=10)
    actions.do_apply_project(rural_secretary, project, resolution_ref="决议2号")
    actions.do_review_project(rural_township, project)
    actions.do_approve_project(personas.county, project)
    report = actions.do_report_progress(
        rural_secretary, project, progress=40, note="路基完成", photo=photo()
    )
    assert (report.photo.name or "").endswith(".png")
    project.refresh_from_db()
    assert project.status == ProjectStatus.BUILDING and project.progress == 40
    with pytest.raises(ValidationError):
        actions.do_report_progress(rural_secretary, project, progress=101)
    actions.do_complete_project(rural_secretary, project)
    assert project.status == ProjectStatus.COMPLETED and project.progress == 100


def test_the_plan_cannot_exceed_the_budget(personas: Personas, rural: OrgUnit) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_create_project(
            personas.county,
            unit=rural,
            name="x",
            kind=ProjectKind.HALL,
            procedure=Procedure.CASE_BY_CASE,
            budget="100",
            plan={FundSource.CASE_SELF_RAISED: "101"},
        )
    assert "plan" in error.value.message_dict
    assert not Project.objects.exists()


def test_the_application_rests_on_a_governance_resolution(
    personas: Personas,
    rural: OrgUnit,
    rural_secretary: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A resolution id is checked by governance (``authorising_resolution``): refused when
    governance says it does not authorise the project, kept with its label when it does."""
    project = _project(rural_secretary, rural)
    seen: list[tuple[int, int]] = []

    def authorising(resolution_id: int, unit: OrgUnit, *args: object) -> ResolutionRef | None:
        seen.append((resolution_id, unit.pk))
        if resolution_id != 41:
            return None
        return ResolutionRef(
            id=41,
            label="谭家坝村 村民会议决议 2026-3:村组道路硬化筹资筹劳方案",
            url="/governance/resolutions/41/",
            unit_id=rural.pk,
            matter="art24_welfare",
            matter_label="公益事业",
            passed=True,
            meeting_type="villagers",
            decided_on=dt.date(2026, 3, 1),
        )

    monkeypatch.setattr(actions, "authorising_resolution", authorising)
    with pytest.raises(ValidationError) as error:
        actions.do_apply_project(rural_secretary, project, resolution_id=40)
    assert "resolution_id" in error.value.message_dict
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT and project.resolution_id is None
    actions.do_apply_project(rural_secretary, project, resolution_id=41)
    assert project.status == ProjectStatus.APPLIED and project.resolution_id == 41
    assert project.resolution_ref.startswith("谭家坝村 村民会议决议")
    assert seen == [(40, rural.pk), (41, rural.pk)]
