"""State changes of community building. Each is one transaction: it checks the actor,
validates, writes the rows and an audit event. The ledger only grows: a correction is
``do_reverse_entry``; the database refuses UPDATE and DELETE on it as well."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.building import access, ledger
from shequ.building.models import (
    ZERO,
    AreaCheck,
    CommunityStanding,
    EntryKind,
    FacilityCheck,
    FacilityEvidence,
    FacilityItem,
    FiscalLevel,
    FundingPlanLine,
    FundSource,
    GroupKind,
    GroupMember,
    ItemGroup,
    LeadingGroup,
    LedgerEntry,
    MemberRole,
    Pledge,
    PledgeMeasure,
    PledgeProgress,
    PolicyDocument,
    Procedure,
    Project,
    ProjectKind,
    ProjectProgress,
    ProjectStatus,
    SixBits,
    SubsidyRule,
    Walk,
)
from shequ.building.verbs import BuildingVerb
from shequ.governance.figures import authorising_resolution
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import require, transition, user_or_none
from shequ.orgs.models import CommunityType, OrgUnit, Post, UnitKind, User

FILE_TYPES = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG")
MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")
# Subsidy sources: fiscal money a 一事一议 project receives after approval.
SUBSIDY_SOURCES = frozenset(
    {
        FundSource.REWARD_SUBSIDY,
        FundSource.PROJECT_SUBSIDY,
        FundSource.COUNTY_FUND,
        FundSource.RURAL_FISCAL,
    }
)


def _user(actor: User | None) -> User | None:
    return user_or_none(actor)


def check_file(upload: UploadedFile | None, field: str, *, required: bool = True) -> None:
    """A photo or document: not too large, and really a PDF, JPEG or PNG."""
    if upload is None:
        if required:
            raise ValidationError({field: _("请上传照片或文件。")})
        return
    limit = settings.SHEQU_BUILDING_MAX_FILE_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {field: _("文件不能超过 %(mb)s MB。") % {"mb": round(limit / 1024 / 1024, 1)}}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(FILE_TYPES):
        raise ValidationError({field: _("只接受 PDF、JPG 或 PNG 格式的文件。")})


def money(value: Any, field: str = "amount") -> Decimal:
    """A positive amount in yuan with at most two decimals; floats are refused."""
    if isinstance(value, float):
        raise ValidationError({field: _("金额须以元为单位的十进制数填写。")})
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("请填写金额(元)。")}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError({field: _("金额须大于零且不超过一万亿元。")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("金额最多保留两位小数(分)。")})
    return amount.quantize(CENT)


def _token(value: str | None) -> str | None:
    return (value or "").strip()[:64] or None


# --- the ledger ----------------------------------------------------------------------------


@transaction.atomic
def do_record_entry(
    actor: User | None,
    *,
    unit: OrgUnit,
    entry_date: dt.date,
    level: str,
    source: str,
    six_bits: str,
    kind: str,
    amount: Any,
    year: int | None = None,
    project: Project | None = None,
    document_ref: str = "",
    note: str = "",
    client_token: str | None = None,
) -> LedgerEntry:
    """Add one line to the ledger (a retry with the same token returns the first)."""
    client_token = _token(client_token)
    if client_token is not None:
        existing = LedgerEntry.objects.filter(client_token=client_token).first()
        if existing is not None:
            require(actor, access.LEDGER_ROLES, existing.unit)
            return existing
    require(actor, access.LEDGER_ROLES, unit, message=_("只有州、县市民政部门可以登记资金。"))
    errors: dict[str, str] = {}
    for name, value, choices in (
        ("level", level, FiscalLevel.values),
        ("source", source, FundSource.values),
        ("six_bits", six_bits, SixBits.values),
        ("kind", kind, EntryKind.values),
    ):
        if value not in choices:
            errors[name] = _("请选择。")
    if errors:
        raise ValidationError(errors)
    amount = money(amount)
    year = year or entry_date.year
    if not 1949 <= year <= entry_date.year + 1:
        raise ValidationError({"year": _("资金年度不正确。")})
    if entry_date > timezone.localdate():
        raise ValidationError({"entry_date": _("日期不能晚于今天。")})
    if project is not None and not (
        project.unit.path.startswith(unit.path) or unit.path.startswith(project.unit.path)
    ):
        raise ValidationError({"project": _("收款单位与项目实施单位不符。")})
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                unit=unit,
                entry_date=entry_date,
                year=year,
                level=level,
                source=source,
                six_bits=six_bits,
                kind=kind,
                amount=amount,
                project=project,
                document_ref=document_ref.strip()[:100],
                note=note.strip()[:200],
                recorded_by=_user(actor),
                client_token=client_token,
            )
    except IntegrityError:
        if client_token is None:
            raise
        return LedgerEntry.objects.get(client_token=client_token)
    record_event(actor, BuildingVerb.ENTRY_RECORDED, entry, unit=unit, after=snapshot(entry))
    return entry


@transaction.atomic
def do_reverse_entry(
    actor: User | None,
    entry: LedgerEntry,
    *,
    reason: str,
    entry_date: dt.date | None = None,
    client_token: str | None = None,
) -> LedgerEntry:
    """Undo ``entry`` with a reversing entry of the negated amount (once only). A retry
    with the same ``client_token`` returns the first reversal."""
    require(actor, access.LEDGER_ROLES, entry.unit, message=_("只有州、县市民政部门可以冲销资金。"))
    client_token = _token(client_token)
    if client_token is not None:
        existing = LedgerEntry.objects.filter(client_token=client_token, reverses=entry).first()
        if existing is not None:
            return existing
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写冲销原因。")})
    if entry.reverses_id is not None:
        raise ValidationError({"reason": _("冲销流水不能再冲销;如需更正,请重新登记。")})
    day = entry_date or timezone.localdate()
    if day < entry.entry_date:
        raise ValidationError({"entry_date": _("冲销日期不能早于原流水日期。")})
    try:
        with transaction.atomic():
            reversal = LedgerEntry.objects.create(
                unit=entry.unit,
                entry_date=day,
                year=entry.year,
                level=entry.level,
                source=entry.source,
                six_bits=entry.six_bits,
                kind=entry.kind,
                amount=-entry.amount,
                project=entry.project,
                document_ref=entry.document_ref,
                note=(_("冲销:") + reason)[:200],
                reverses=entry,
                recorded_by=_user(actor),
                client_token=client_token,
            )
    except IntegrityError:
        raced = LedgerEntry.objects.filter(client_token=client_token, reverses=entry).first()
        if client_token is not None and raced is not None:
            return raced
        raise ValidationError({"reason": _("该流水已冲销。")}) from None
    record_event(
        actor, BuildingVerb.ENTRY_REVERSED, reversal, unit=entry.unit, after=snapshot(reversal)
    )
    return reversal


# --- projects and 一事一议 -----------------------------------------------------------------


def subsidy_rule(day: dt.date) -> SubsidyRule | None:
    return (
        SubsidyRule.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


@transaction.atomic
def do_create_project(
    actor: User | None,
    *,
    unit: OrgUnit,
    name: str,
    kind: str,
    procedure: str,
    budget: Any,
    plan: Mapping[str, Any] | None = None,
    resolution_ref: str = "",
    client_token: str | None = None,
) -> Project:
    client_token = _token(client_token)
    if client_token is not None:
        existing = Project.objects.filter(client_token=client_token).first()
        if existing is not None:
            require(actor, access.PROJECT_ROLES, existing.unit)
            return existing
    require(actor, access.PROJECT_ROLES, unit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写项目名称。")})
    if kind not in ProjectKind.values:
        raise ValidationError({"kind": _("请选择。")})
    if procedure not in Procedure.values:
        raise ValidationError({"procedure": _("请选择。")})
    if unit.kind not in (UnitKind.COMMUNITY, UnitKind.VILLAGE, UnitKind.TOWNSHIP):
        raise ValidationError({"unit": _("项目须由乡镇、社区或村实施。")})
    if procedure == Procedure.CASE_BY_CASE and unit.kind == UnitKind.TOWNSHIP:
        raise ValidationError({"unit": _("一事一议项目由村(社区)申请。")})
    total = money(budget, "budget")
    lines = {src: money(value, "plan") for src, value in (plan or {}).items() if value}
    if any(src not in FundSource.values for src in lines):
        raise ValidationError({"plan": _("资金来源不正确。")})
    if sum(lines.values(), ZERO) > total:
        raise ValidationError({"plan": _("资金计划合计不能超过预算。")})
    try:
        with transaction.atomic():
            project = Project.objects.create(
                unit=unit,
                name=name[:100],
                kind=kind,
                procedure=procedure,
                budget=total,
                resolution_ref=resolution_ref.strip()[:100],
                status=ProjectStatus.DRAFT
                if procedure == Procedure.CASE_BY_CASE
                else ProjectStatus.APPROVED,
                created_by=_user(actor),
                client_token=client_token,
            )
    except IntegrityError:
        if client_token is None:
            raise
        return Project.objects.get(client_token=client_token)
    FundingPlanLine.objects.bulk_create(
        FundingPlanLine(project=project, source=src, amount=value) for src, value in lines.items()
    )
    record_event(actor, BuildingVerb.PROJECT_CREATED, project, unit=unit, after=snapshot(project))
    return project


def _case_by_case(project: Project) -> None:
    if not project.is_case_by_case:
        raise ValidationError({"status": _("只有一事一议项目走申请、审核、审批程序。")})


@transaction.atomic
def do_apply_project(
    actor: User | None,
    project: Project,
    *,
    resolution_ref: str = "",
    resolution_id: int | None = None,
) -> Project:
    """The village applies, citing the villagers' meeting resolution that decided it: a
    passed resolution of the governance app (``resolution_id``, checked by
    ``governance.figures.authorising_resolution``) or, for one taken before the platform,
    its document reference."""
    require(actor, access.APPLY_ROLES, project.unit, message=_("须由村(社区)提出申请。"))
    _case_by_case(project)
    ref = resolution_ref.strip()[:100] or project.resolution_ref
    if resolution_id is not None:
        resolution = authorising_resolution(resolution_id, project.unit)
        if resolution is None:
            raise ValidationError(
                {
                    "resolution_id": _(
                        "该决议不能作为依据:须为本村(社区)村民会议(或经授权的村民代表会议)"
                        "通过的公益事业筹资筹劳或集体项目决议。"
                    )
                }
            )
        ref = ref or resolution.label[:100]
    if not ref and resolution_id is None:
        raise ValidationError({"resolution_ref": _("请填写决定该事项的村民会议决议。")})
    if not project.plan.filter(source=FundSource.CASE_SELF_RAISED).exists():
        raise ValidationError({"plan": _("一事一议项目须在资金计划中列明村民自筹部分。")})
    before = transition(
        project,
        [ProjectStatus.DRAFT],
        status=ProjectStatus.APPLIED,
        applied_at=timezone.now(),
        resolution_ref=ref,
        resolution_id=resolution_id if resolution_id is not None else project.resolution_id,
    )
    record_event(
        actor,
        BuildingVerb.PROJECT_APPLIED,
        project,
        unit=project.unit,
        before=before,
        after=snapshot(project),
    )
    return project


@transaction.atomic
def do_review_project(actor: User | None, project: Project, *, note: str = "") -> Project:
    require(actor, access.REVIEW_ROLES, project.unit, message=_("须由乡镇审核。"))
    _case_by_case(project)
    before = transition(
        project,
        [ProjectStatus.APPLIED],
        status=ProjectStatus.REVIEWED,
        reviewed_at=timezone.now(),
        decision_note=note.strip()[:200],
    )
    record_event(
        actor,
        BuildingVerb.PROJECT_REVIEWED,
        project,
        unit=project.unit,
        before=before,
        after=snapshot(project),
    )
    return project


@transaction.atomic
def do_approve_project(
    actor: User | None, project: Project, *, note: str = "", approved_on: dt.date | None = None
) -> Project:
    require(actor, access.APPROVE_ROLES, project.unit, message=_("须由县市批准。"))
    _case_by_case(project)
    before = transition(
        project,
        [ProjectStatus.REVIEWED],
        status=ProjectStatus.APPROVED,
        approved_at=timezone.now(),
        approved_on=approved_on or timezone.localdate(),
        decision_note=note.strip()[:200],
    )
    record_event(
        actor,
        BuildingVerb.PROJECT_APPROVED,
        project,
        unit=project.unit,
        before=before,
        after=snapshot(project),
    )
    return project


@transaction.atomic
def do_refuse_project(actor: User | None, project: Project, *, note: str) -> Project:
    """The township (on review) or the county (on approval) turns the application down."""
    roles = access.REVIEW_ROLES if project.status == ProjectStatus.APPLIED else access.APPROVE_ROLES
    require(actor, roles, project.unit)
    _case_by_case(project)
    if not note.strip():
        raise ValidationError({"note": _("请填写不予批准的理由。")})
    before = transition(
        project,
        [ProjectStatus.APPLIED, ProjectStatus.REVIEWED],
        status=ProjectStatus.REFUSED,
        decision_note=note.strip()[:200],
    )
    record_event(
        actor,
        BuildingVerb.PROJECT_REFUSED,
        project,
        unit=project.unit,
        before=before,
        after=snapshot(project),
    )
    return project


def villagers_raised(project: Project) -> Decimal:
    """The villagers' own share paid in (一事一议自筹, disbursed into the project)."""
    return ledger.total(
        project=project.pk, source=FundSource.CASE_SELF_RAISED, kind=EntryKind.DISBURSED
    )


def subsidy_paid(project: Project) -> Decimal:
    return ledger.total(project=project.pk, source=list(SUBSIDY_SOURCES), kind=EntryKind.DISBURSED)


def percent(share: Decimal) -> str:
    """A share as people write it: 0.500 → "50"."""
    return f"{(share * 100).normalize():f}"


def subsidy_problem(project: Project, amount: Decimal, day: dt.date) -> str | None:
    """Why a subsidy of ``amount`` may not be paid now (先批后建、先筹后补), or ``None``."""
    if not project.is_case_by_case:
        return None
    if project.status not in (
        ProjectStatus.APPROVED,
        ProjectStatus.BUILDING,
        ProjectStatus.COMPLETED,
    ):
        return _("先批后建:项目尚未经县市批准,不能拨付补助。")
    rule = subsidy_rule(day)
    if rule is None:
        return _("没有在该日期施行的一事一议奖补规则,请管理员先设置。")
    needed = (project.budget * rule.villagers_share_min).quantize(CENT)
    raised = villagers_raised(project)
    if raised < needed:
        return _(
            "先筹后补:村民自筹须先到位 %(needed)s 元(预算的 %(share)s%%),目前到位 %(raised)s 元。"
        ) % {"needed": needed, "share": percent(rule.villagers_share_min), "raised": raised}
    ceiling = (project.budget * rule.subsidy_share_max).quantize(CENT)
    if subsidy_paid(project) + amount > ceiling:
        return _("补助合计不能超过预算的 %(share)s%%(%(ceiling)s 元)。") % {
            "share": percent(rule.subsidy_share_max),
            "ceiling": ceiling,
        }
    return None


@transaction.atomic
def do_pay_subsidy(
    actor: User | None,
    project: Project,
    *,
    amount: Any,
    level: str,
    source: str,
    entry_date: dt.date | None = None,
    document_ref: str = "",
    client_token: str | None = None,
) -> LedgerEntry:
    """Pay a subsidy into a project: a disbursed ledger entry, refused before approval
    and before the villagers' own share is in."""
    client_token = _token(client_token)
    if client_token is not None:
        existing = LedgerEntry.objects.filter(client_token=client_token, project=project).first()
        if existing is not None:  # a retry: the first payment, not a second over the ceiling
            return existing
    value = money(amount)
    day = entry_date or timezone.localdate()
    if source not in SUBSIDY_SOURCES:
        raise ValidationError({"source": _("请选择财政补助资金来源。")})
    # Lock the project so two payments cannot both fit under the ceiling.
    project = Project.objects.select_for_update().select_related("unit").get(pk=project.pk)
    county = project.unit.ancestors().filter(kind=UnitKind.COUNTY).first() or project.unit
    require(actor, access.LEDGER_ROLES, county, message=_("只有州、县市民政部门可以拨付补助。"))
    problem = subsidy_problem(project, value, day)
    if problem:
        raise ValidationError({"amount": problem})
    entry = do_record_entry(
        actor,
        unit=project.unit,
        entry_date=day,
        level=level,
        source=source,
        six_bits=SixBits.FISCAL,
        kind=EntryKind.DISBURSED,
        amount=value,
        project=project,
        document_ref=document_ref,
        note=_("项目补助"),
        client_token=client_token,
    )
    record_event(
        actor, BuildingVerb.SUBSIDY_PAID, project, unit=project.unit, after=snapshot(entry)
    )
    return entry


@transaction.atomic
def do_record_villagers_share(
    actor: User | None,
    project: Project,
    *,
    amount: Any,
    entry_date: dt.date | None = None,
    document_ref: str = "",
    note: str = "",
    client_token: str | None = None,
) -> LedgerEntry:
    """Record villagers' money raised for a 一事一议 project (筹资筹劳, 一事一议自筹, paid
    into the project): the county bureau enters it, as it enters every ledger line. It is
    what 先筹后补 waits for; it may not take the villagers' share past the budget."""
    client_token = _token(client_token)
    if client_token is not None:
        existing = LedgerEntry.objects.filter(client_token=client_token, project=project).first()
        if existing is not None:
            return existing
    project = Project.objects.select_for_update().select_related("unit").get(pk=project.pk)
    county = project.unit.ancestors().filter(kind=UnitKind.COUNTY).first() or project.unit
    require(actor, access.LEDGER_ROLES, county, message=_("只有州、县市民政部门可以登记资金。"))
    _case_by_case(project)
    if project.status == ProjectStatus.REFUSED:
        raise ValidationError({"amount": _("项目未获批准,不再登记村民自筹。")})
    value = money(amount)
    raised = villagers_raised(project)
    if raised + value > project.budget:
        raise ValidationError(
            {
                "amount": _("村民自筹合计不能超过预算 %(budget)s 元(已到位 %(raised)s 元)。")
                % {"budget": project.budget, "raised": raised}
            }
        )
    return do_record_entry(
        actor,
        unit=project.unit,
        entry_date=entry_date or timezone.localdate(),
        level=FiscalLevel.COMMUNITY,
        source=FundSource.CASE_SELF_RAISED,
        six_bits=SixBits.SELF_RAISED,
        kind=EntryKind.DISBURSED,
        amount=value,
        project=project,
        document_ref=document_ref,
        note=note.strip() or _("村民筹资筹劳"),
        client_token=client_token,
    )


@transaction.atomic
def do_report_progress(
    actor: User | None,
    project: Project,
    *,
    progress: int,
    note: str = "",
    photo: UploadedFile | None = None,
    reported_on: dt.date | None = None,
) -> ProjectProgress:
    require(actor, access.PROJECT_ROLES, project.unit)
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("进度须在 0 到 100 之间。")})
    check_file(photo, "photo", required=False)
    day = reported_on or timezone.localdate()
    if project.status not in (ProjectStatus.APPROVED, ProjectStatus.BUILDING):
        raise ValidationError({"progress": _("项目获批后才能登记施工进度(先批后建)。")})
    before = transition(
        project,
        [ProjectStatus.APPROVED, ProjectStatus.BUILDING],
        status=ProjectStatus.BUILDING,
        progress=progress,
        started_on=project.started_on or day,
    )
    report = ProjectProgress.objects.create(
        project=project,
        progress=progress,
        note=note.strip()[:200],
        photo=photo,
        reported_on=day,
        reported_by=_user(actor),
    )
    record_event(
        actor,
        BuildingVerb.PROJECT_PROGRESS,
        project,
        unit=project.unit,
        before=before,
        after=snapshot(project),
    )
    return report


@transaction.atomic
def do_complete_project(
    actor: User | None, project: Project, *, completed_on: dt.date | None = None
) -> Project:
    require(actor, access.PROJECT_ROLES, project.unit)
    before = transition(
        project,
        [ProjectStatus.BUILDING, ProjectStatus.APPROVED],
        status=ProjectStatus.COMPLETED,
        progress=100,
        completed_on=completed_on or timezone.localdate(),
    )
    record_event(
        actor,
        BuildingVerb.PROJECT_COMPLETED,
        project,
        unit=project.unit,
        before=before,
        after=snapshot(project),
    )
    return project


# --- communities and standards ------------------------------------------------------------


@transaction.atomic
def do_record_standing(
    actor: User | None,
    unit: OrgUnit,
    *,
    community_type: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    basis: str = "",
) -> CommunityStanding:
    """Record how civil affairs counted a community over a period (its type then)."""
    require(actor, access.PREFECTURE_COUNTY, unit)
    if unit.kind != UnitKind.COMMUNITY:
        raise ValidationError({"unit": _("只有社区才有社区认定。")})
    if community_type not in CommunityType.values:
        raise ValidationError({"community_type": _("请选择。")})
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("止日不能早于起日。")})
    overlap = CommunityStanding.objects.filter(unit=unit, valid_from__lte=valid_to or dt.date.max)
    overlap = overlap.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if overlap.exists():
        raise ValidationError({"valid_from": _("与该社区已有的认定期间重叠。")})
    standing = CommunityStanding.objects.create(
        unit=unit,
        community_type=community_type,
        valid_from=valid_from,
        valid_to=valid_to,
        basis=basis.strip()[:200],
    )
    record_event(
        actor, BuildingVerb.STANDING_RECORDED, standing, unit=unit, after=snapshot(standing)
    )
    return standing


def _community(unit: OrgUnit) -> None:
    if unit.kind != UnitKind.COMMUNITY:
        raise ValidationError({"unit": _("请选择社区。")})


def _item_fits(unit: OrgUnit, item: FacilityItem) -> None:
    rural = unit.community_type == CommunityType.RURAL
    if rural != (item.group == ItemGroup.RURAL):
        raise ValidationError({"item": _("该设施项不适用于此类社区。")})


@transaction.atomic
def do_upload_evidence(
    actor: User | None,
    unit: OrgUnit,
    *,
    file: UploadedFile | None,
    item: FacilityItem | None = None,
    note: str = "",
) -> FacilityEvidence:
    """A community uploads a photo or document for an item (or for its centre's area)."""
    require(actor, access.EVIDENCE_ROLES | access.CHECK_ROLES, unit)
    _community(unit)
    if item is not None:
        _item_fits(unit, item)
    check_file(file, "file")
    evidence = FacilityEvidence.objects.create(
        unit=unit, item=item, file=file, note=note.strip()[:200], uploaded_by=_user(actor)
    )
    record_event(
        actor, BuildingVerb.EVIDENCE_UPLOADED, evidence, unit=unit, after=snapshot(evidence)
    )
    return evidence


def _evidence(
    actor: User | None,
    unit: OrgUnit,
    item: FacilityItem | None,
    evidence: FacilityEvidence | None,
    photo: UploadedFile | None,
) -> FacilityEvidence | None:
    if evidence is not None and evidence.unit_id != unit.pk:
        raise ValidationError({"evidence": _("佐证不属于该社区。")})
    if photo is not None:
        return do_upload_evidence(actor, unit, file=photo, item=item)
    return evidence


@transaction.atomic
def do_check_facility(
    actor: User | None,
    unit: OrgUnit,
    item: FacilityItem,
    *,
    present: bool,
    checked_on: dt.date | None = None,
    evidence: FacilityEvidence | None = None,
    photo: UploadedFile | None = None,
    note: str = "",
) -> FacilityCheck:
    """A township officer's check of one item in one community; an item found present
    needs a photo or document (uploaded now or by the community before)."""
    require(actor, access.CHECK_ROLES, unit, message=_("设施由乡镇(街道)核查。"))
    _community(unit)
    _item_fits(unit, item)
    day = checked_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"checked_on": _("核查日期不能晚于今天。")})
    proof = _evidence(actor, unit, item, evidence, photo)
    if present and proof is None:
        raise ValidationError({"photo": _("核定达标须附照片或文件佐证。")})
    check = FacilityCheck.objects.create(
        unit=unit,
        item=item,
        present=present,
        checked_on=day,
        checked_by=_user(actor),
        evidence=proof,
        note=note.strip()[:200],
    )
    record_event(actor, BuildingVerb.FACILITY_CHECKED, check, unit=unit, after=snapshot(check))
    return check


@transaction.atomic
def do_check_area(
    actor: User | None,
    unit: OrgUnit,
    *,
    area_m2: Any,
    checked_on: dt.date | None = None,
    evidence: FacilityEvidence | None = None,
    photo: UploadedFile | None = None,
    note: str = "",
) -> AreaCheck:
    require(actor, access.CHECK_ROLES, unit, message=_("设施由乡镇(街道)核查。"))
    _community(unit)
    try:
        area = Decimal(str(area_m2).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"area_m2": _("请填写面积(平方米)。")}) from None
    if not area.is_finite() or not Decimal(0) < area < Decimal(100000):
        raise ValidationError({"area_m2": _("面积须大于零且小于十万平方米。")})
    day = checked_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"checked_on": _("核查日期不能晚于今天。")})
    proof = _evidence(actor, unit, None, evidence, photo)
    if proof is None:
        raise ValidationError({"photo": _("面积须附测绘、房产证明或照片佐证。")})
    check = AreaCheck.objects.create(
        unit=unit,
        area_m2=area.quantize(CENT),
        checked_on=day,
        checked_by=_user(actor),
        evidence=proof,
        note=note.strip()[:200],
    )
    record_event(actor, BuildingVerb.AREA_CHECKED, check, unit=unit, after=snapshot(check))
    return check


# --- leading groups, documents, pledges ---------------------------------------------------


@transaction.atomic
def do_create_group(
    actor: User | None,
    unit: OrgUnit,
    *,
    kind: str,
    name: str,
    established_on: dt.date,
    document: PolicyDocument | None = None,
    client_token: str | None = None,
) -> LeadingGroup:
    client_token = _token(client_token)
    if client_token is not None:
        existing = LeadingGroup.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
    if kind not in GroupKind.values:
        raise ValidationError({"kind": _("请选择。")})
    if kind == GroupKind.COMMITTEE:
        require(actor, access.COMMITTEE_ROLES, unit)
        if unit.kind != UnitKind.COMMUNITY:
            raise ValidationError({"unit": _("社区建设工作委员会设在社区。")})
    else:
        require(actor, access.GROUP_ROLES, unit)
        if unit.kind not in (UnitKind.PREFECTURE, UnitKind.COUNTY):
            raise ValidationError({"unit": _("领导小组和工作专班设在州、县市。")})
    if not name.strip():
        raise ValidationError({"name": _("请填写名称。")})
    group = LeadingGroup.objects.create(
        unit=unit,
        kind=kind,
        name=name.strip()[:100],
        established_on=established_on,
        document=document,
        client_token=client_token,
    )
    record_event(actor, BuildingVerb.GROUP_CREATED, group, unit=unit, after=snapshot(group))
    return group


def _group_roles(group: LeadingGroup) -> frozenset[str]:
    return access.COMMITTEE_ROLES if group.kind == GroupKind.COMMITTEE else access.GROUP_ROLES


@transaction.atomic
def do_add_member(
    actor: User | None,
    group: LeadingGroup,
    *,
    role: str,
    name: str = "",
    walk: str = "",
    position: str = "",
    post: Post | None = None,
    duties: str = "",
    since: dt.date | None = None,
) -> GroupMember:
    """Add a person (from a post where there is one) or a member unit with its duties."""
    require(actor, _group_roles(group), group.unit)
    if role not in MemberRole.values:
        raise ValidationError({"role": _("请选择。")})
    if walk and walk not in Walk.values:
        raise ValidationError({"walk": _("请选择。")})
    if post is not None:
        name = name.strip() or post.user.display_name
        position = position.strip() or f"{post.unit.name}{post.get_role_display()}"
    if not name.strip():
        raise ValidationError({"name": _("请填写姓名或成员单位。")})
    if role == MemberRole.MEMBER_UNIT and not duties.strip():
        raise ValidationError({"duties": _("请写明成员单位的职责。")})
    member = GroupMember.objects.create(
        group=group,
        role=role,
        walk=walk,
        name=name.strip()[:100],
        position=position.strip()[:100],
        post=post,
        duties=duties.strip(),
        since=since or timezone.localdate(),
    )
    record_event(
        actor, BuildingVerb.GROUP_MEMBER_ADDED, member, unit=group.unit, after=snapshot(member)
    )
    return member


@transaction.atomic
def do_end_member(actor: User | None, member: GroupMember, *, until: dt.date) -> GroupMember:
    require(actor, _group_roles(member.group), member.group.unit)
    if until < member.since:
        raise ValidationError({"until": _("离任日期不能早于任职日期。")})
    before = snapshot(member)
    if not GroupMember.objects.filter(pk=member.pk, until__isnull=True).update(until=until):
        raise ValidationError({"until": _("该成员已离任。")})
    member.refresh_from_db()
    record_event(
        actor,
        BuildingVerb.GROUP_MEMBER_ENDED,
        member,
        unit=member.group.unit,
        before=before,
        after=snapshot(member),
    )
    return member


@transaction.atomic
def do_file_document(
    actor: User | None,
    unit: OrgUnit,
    *,
    title: str,
    issuer: str,
    issued_on: dt.date,
    number: str = "",
    file: UploadedFile | None = None,
    projects: Iterable[Project] = (),
    items: Iterable[FacilityItem] = (),
    client_token: str | None = None,
) -> PolicyDocument:
    client_token = _token(client_token)
    if client_token is not None:
        existing = PolicyDocument.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
    require(actor, access.DOCUMENT_ROLES, unit, message=_("政策文件由州、县市民政部门登记。"))
    errors = {}
    if not title.strip():
        errors["title"] = _("请填写标题。")
    if not issuer.strip():
        errors["issuer"] = _("请填写发文机关。")
    if issued_on > timezone.localdate():
        errors["issued_on"] = _("发文日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    check_file(file, "file", required=False)
    document = PolicyDocument.objects.create(
        unit=unit,
        title=title.strip()[:200],
        number=number.strip()[:60],
        issuer=issuer.strip()[:100],
        issued_on=issued_on,
        file=file,
        created_by=_user(actor),
        client_token=client_token,
    )
    document.projects.set(list(projects))
    document.items.set(list(items))
    record_event(actor, BuildingVerb.DOCUMENT_FILED, document, unit=unit, after=snapshot(document))
    return document


@transaction.atomic
def do_make_pledge(
    actor: User | None,
    unit: OrgUnit,
    *,
    year: int,
    title: str,
    measure: str,
    target: Any,
    document: PolicyDocument | None = None,
    client_token: str | None = None,
) -> Pledge:
    client_token = _token(client_token)
    if client_token is not None:
        existing = Pledge.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
    require(actor, access.PLEDGE_ROLES, unit, message=_("十件实事由州、县市政府公布。"))
    if unit.kind not in (UnitKind.PREFECTURE, UnitKind.COUNTY):
        raise ValidationError({"unit": _("十件实事由州、县市政府公布。")})
    if measure not in PledgeMeasure.values:
        raise ValidationError({"measure": _("请选择。")})
    if not title.strip():
        raise ValidationError({"title": _("请填写实事内容。")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度不正确。")})
    pledge = Pledge.objects.create(
        unit=unit,
        year=year,
        title=title.strip()[:200],
        measure=measure,
        target=money(target, "target"),
        document=document,
        client_token=client_token,
    )
    record_event(actor, BuildingVerb.PLEDGE_MADE, pledge, unit=unit, after=snapshot(pledge))
    return pledge


@transaction.atomic
def do_report_pledge(
    actor: User | None,
    pledge: Pledge,
    *,
    value: Any,
    note: str,
    evidence: UploadedFile | None,
    reported_on: dt.date | None = None,
) -> PledgeProgress:
    """Progress of a pledge the platform cannot count, entered with its evidence."""
    require(actor, access.PLEDGE_ROLES, pledge.unit)
    if pledge.measure != PledgeMeasure.MANUAL:
        raise ValidationError({"value": _("该实事的进展由平台数据自动计算。")})
    if not note.strip():
        raise ValidationError({"note": _("请说明进展。")})
    check_file(evidence, "evidence")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": _("请填写累计完成数。")}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError({"value": _("累计完成数不正确。")})
    report = PledgeProgress.objects.create(
        pledge=pledge,
        value=amount.quantize(CENT),
        note=note.strip()[:200],
        evidence=evidence,
        reported_on=reported_on or timezone.localdate(),
        reported_by=_user(actor),
    )
    record_event(
        actor, BuildingVerb.PLEDGE_PROGRESS, pledge, unit=pledge.unit, after=snapshot(report)
    )
    return report


@transaction.atomic
def do_complete_pledge(
    actor: User | None, pledge: Pledge, *, completed_on: dt.date | None = None
) -> Pledge:
    """Mark a pledge done; only once its progress has reached the target."""
    from shequ.building.figures import pledge_progress

    require(actor, access.PLEDGE_ROLES, pledge.unit)
    day = completed_on or timezone.localdate()
    done = pledge_progress(pledge, day)
    if done < pledge.target:
        raise ValidationError(
            {
                "completed_on": _("尚未完成目标:目标 %(target)s,目前 %(done)s。")
                % {"target": pledge.target, "done": done}
            }
        )
    before = snapshot(pledge)
    if not Pledge.objects.filter(pk=pledge.pk, completed_on__isnull=True).update(completed_on=day):
        raise ValidationError({"completed_on": _("该实事已办结。")})
    pledge.refresh_from_db()
    record_event(
        actor,
        BuildingVerb.PLEDGE_COMPLETED,
        pledge,
        unit=pledge.unit,
        before=before,
        after=snapshot(pledge),
    )
    return pledge
