"""Every change to residents, households and categories: one transaction and one event each.

Actors are checked here as well as in the views, so a command or an API cannot skip a
rule; ``actor=None`` is the system (data loads, the demo).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc

from shequ.lib.phone import MSG_MOBILE, normalise_mobile
from shequ.orgs import access as org_access
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import require
from shequ.orgs.models import OrgUnit, User
from shequ.people import access
from shequ.people.cleaning import CleanResident, clean_resident
from shequ.people.crypto import cipher, id_number_index, protect_id_number, protect_phone
from shequ.people.models import (
    Category,
    CategoryMembership,
    DisabilityLevel,
    FloatingInfo,
    Household,
    HouseholdMember,
    ImportBatch,
    RegistrationType,
    Relation,
    Resident,
    ResidentStatus,
    ResidentUnit,
    ResidentUnitStatus,
    Trade,
    UnitSize,
)
from shequ.people.verbs import PeopleVerb

# Fields of a resident written to the event log; ciphertexts and indexes never are.
LOGGED_FIELDS = [
    "unit",
    "community",
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "id_number_masked",
    "phone_masked",
    "address",
    "registration_type",
    "registered_on",
    "status",
    "status_on",
]
REVEALABLE_FIELDS = {"id_number": gettext_lazy("身份证号"), "phone": gettext_lazy("手机号")}


class DuplicateResident(ValidationError):
    """The ID number is registered already; ``existing`` is set when the actor may see it."""

    def __init__(self, message: str, existing: Resident | None) -> None:
        super().__init__({"id_number": [message]})
        self.existing = existing


def _require_edit(actor: User | None, unit: OrgUnit) -> None:
    require(actor, access.EDIT_ROLES, unit, message=_("您的岗位无权修改居民信息。"))


def _check_unit(unit: OrgUnit) -> OrgUnit:
    if unit.kind not in access.RESIDENT_UNIT_KINDS:
        raise ValidationError({"unit": _("居民只能登记在社区、村或网格。")})
    return access.community_of(unit)


def duplicate_error(actor: User | None, existing: Resident) -> DuplicateResident:
    """A pointer to the existing record when the actor may see it, and only then."""
    visible = actor is None or org_access.in_scope(actor, existing.unit)
    if visible:
        return DuplicateResident(
            _("该身份证号已登记:%(name)s,%(unit)s(居民编号 %(id)s)。")
            % {"name": existing.name, "unit": existing.unit.name, "id": existing.pk},
            existing,
        )
    return DuplicateResident(
        _("该身份证号已在您管辖范围以外的社区登记,请联系上级民政部门核实。"), None
    )


def _existing_by_token(actor: User | None, model: Any, token: str | None) -> Any:
    if not token:
        return None
    found = model.objects.filter(client_token=token).select_related("unit").first()
    if found is not None and actor is not None and not org_access.in_scope(actor, found.unit):
        raise ValidationError(_("提交编号已被使用,请刷新页面后重试。"))
    return found


def _apply_clean(resident: Resident, clean: CleanResident, *, id_changed: bool) -> None:
    c = cipher()
    resident.name = clean.name
    resident.name_initials = clean.name_initials
    resident.gender = clean.gender
    resident.birth_date = clean.birth_date
    resident.ethnicity = clean.ethnicity
    resident.address = clean.address
    resident.registration_type = clean.registration_type
    if id_changed:
        pid = protect_id_number(clean.id_number, c)
        resident.id_number_enc, resident.id_number_index = pid.enc, pid.index
        resident.id_number_masked = pid.masked
    phone = protect_phone(clean.phone, c)
    resident.phone_enc, resident.phone_index, resident.phone_masked = (
        phone.enc,
        phone.index,
        phone.masked,
    )
    resident.key_id = c.current_key_id


@transaction.atomic
def do_register_resident(
    actor: User | None,
    *,
    unit: OrgUnit,
    name: str,
    id_number: str,
    gender: str | None = None,
    birth_date: Any = None,
    ethnicity: str | None = None,
    phone: str | None = None,
    address: str = "",
    registration_type: str | None = None,
    registered_on: dt.date | None = None,
    client_token: str | None = None,
) -> Resident:
    _require_edit(actor, unit)
    first = _existing_by_token(actor, Resident, client_token)
    if first is not None:
        return first
    community = _check_unit(unit)
    clean = clean_resident(
        name=name,
        id_number=id_number,
        gender=gender,
        birth_date=birth_date,
        ethnicity=ethnicity,
        phone=phone,
        address=address,
        registration_type=registration_type,
    )
    index = id_number_index(clean.id_number)
    existing = Resident.objects.filter(id_number_index=index).select_related("unit").first()
    if existing is not None:
        raise duplicate_error(actor, existing)
    resident = Resident(
        unit=unit,
        community=community,
        registered_on=registered_on or timezone.localdate(),
        client_token=client_token or None,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _apply_clean(resident, clean, id_changed=True)
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError:
        # Another request registered the same number (or token) a moment ago.
        again = _existing_by_token(actor, Resident, client_token)
        if again is not None:
            return again
        existing = Resident.objects.filter(id_number_index=index).select_related("unit").first()
        if existing is not None:
            raise duplicate_error(actor, existing) from None
        raise
    record_event(
        actor,
        PeopleVerb.RESIDENT_REGISTERED,
        resident,
        unit=unit,
        after=snapshot(resident, LOGGED_FIELDS),
    )
    return resident


@transaction.atomic
def do_update_resident(
    actor: User | None,
    resident: Resident,
    *,
    unit: OrgUnit,
    name: str,
    id_number: str = "",
    gender: str | None = None,
    birth_date: Any = None,
    ethnicity: str | None = None,
    phone: str | None = None,
    address: str = "",
    registration_type: str | None = None,
) -> Resident:
    """Change a resident. A blank ``id_number`` keeps the stored one (it is never shown)."""
    resident = Resident.objects.select_for_update().select_related("unit").get(pk=resident.pk)
    _require_edit(actor, resident.unit)
    if unit.pk != resident.unit_id:
        _require_edit(actor, unit)
    community = _check_unit(unit)
    current_number = cipher().decrypt(resident.id_number_enc)
    if not id_number and birth_date not in (None, ""):
        # Checked against the kept number, a typed date would answer "is this the birth
        # date?" (and the mismatch message would quote it) to a role that may not see it.
        raise ValidationError({"birth_date": _("出生日期按身份证号计算:不修改身份证号时请留空。")})
    clean = clean_resident(
        name=name,
        id_number=id_number or current_number,
        gender=gender,
        birth_date=birth_date,
        ethnicity=ethnicity,
        phone=phone,
        address=address,
        registration_type=registration_type,
    )
    id_changed = clean.id_number != current_number
    if id_changed:
        existing = (
            Resident.objects.filter(id_number_index=id_number_index(clean.id_number))
            .exclude(pk=resident.pk)
            .select_related("unit")
            .first()
        )
        if existing is not None:
            raise duplicate_error(actor, existing)
    before = snapshot(resident, LOGGED_FIELDS)
    resident.unit, resident.community = unit, community
    _apply_clean(resident, clean, id_changed=id_changed)
    resident.updated_at = timezone.now()
    resident.save()
    after = snapshot(resident, LOGGED_FIELDS)
    changed = [k for k in after if before.get(k) != after[k]]
    record_event(
        actor,
        PeopleVerb.RESIDENT_UPDATED,
        resident,
        unit=unit,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    if resident.registration_type != RegistrationType.FLOATING:
        FloatingInfo.objects.filter(resident=resident).delete()
    return resident


@transaction.atomic
def do_change_resident_status(
    actor: User | None, resident: Resident, *, status: str, on: dt.date | None
) -> Resident:
    resident = Resident.objects.select_for_update().select_related("unit").get(pk=resident.pk)
    _require_edit(actor, resident.unit)
    if status not in ResidentStatus.values:
        raise ValidationError({"status": _("请选择状态。")})
    if status == ResidentStatus.LIVING:
        on = on or timezone.localdate()
    if on is None:
        raise ValidationError({"on": _("请填写迁出或死亡日期。")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    if on < resident.birth_date:
        raise ValidationError({"on": _("日期不能早于出生日期。")})
    before = snapshot(resident, ["status", "status_on"])
    resident.status, resident.status_on = status, on
    resident.updated_at = timezone.now()
    resident.save(update_fields=["status", "status_on", "updated_at"])
    record_event(
        actor,
        PeopleVerb.RESIDENT_STATUS_CHANGED,
        resident,
        unit=resident.unit,
        before=before,
        after=snapshot(resident, ["status", "status_on"]),
    )
    return resident


@transaction.atomic
def do_reveal_resident_field(actor: User, resident: Resident, *, field: str, reason: str) -> str:
    """The full ID number or phone, for a user with a reveal role; always logged."""
    if field not in REVEALABLE_FIELDS:
        raise ValidationError({"field": _("只能查看身份证号或手机号。")})
    if not access.may_reveal(actor, resident):
        raise PermissionDenied(_("您的岗位无权查看完整号码。"))
    reason = " ".join((reason or "").split())
    if len(reason) < 4:
        raise ValidationError({"reason": _("请写明查看完整号码的事由(至少4个字)。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("事由不能超过200个字。")})
    token = resident.id_number_enc if field == "id_number" else resident.phone_enc
    record_event(
        actor,
        PeopleVerb.RESIDENT_REVEALED,
        resident,
        unit=resident.unit,
        after={"field": field, "reason": reason},
    )
    return cipher().decrypt(token) if token else ""


@transaction.atomic
def do_record_lookup(
    actor: User | None,
    *,
    field: str,
    found: list[Resident],
    unit: OrgUnit | None = None,
    channel: str = "",
    where: Any = None,
) -> None:
    """An exact ID number or phone lookup: who looked up whom, or that nothing matched
    (``channel`` "kiosk" for a hall device, with ``where`` the hall). The number itself
    is not logged: the log is read more widely than the registry."""
    after: dict[str, Any] = {"field": field, "matched": len(found)}
    if channel:
        after["channel"] = channel
    for resident in found:
        record_event(
            actor, PeopleVerb.RESIDENT_LOOKED_UP, resident, unit=resident.unit, after=after
        )
    if found:
        return
    if unit is None and actor is not None:
        unit = org_access.scope_roots(actor).first()
    target = where if where is not None else actor
    if target is not None:
        record_event(actor, PeopleVerb.RESIDENT_LOOKED_UP, target, unit=unit, after=after)


# --- households ----------------------------------------------------------------------


def _lock_free_resident(resident: Resident, community: OrgUnit) -> Resident:
    resident = Resident.objects.select_for_update().select_related("unit").get(pk=resident.pk)
    if resident.community_id != community.pk:
        raise ValidationError({"resident": _("户成员须是本社区居民。")})
    if resident.status != ResidentStatus.LIVING:
        raise ValidationError({"resident": _("已迁出或死亡的居民不能加入户。")})
    if HouseholdMember.objects.filter(resident=resident).exists():
        raise ValidationError({"resident": _("%(name)s已属于另一户。") % {"name": resident.name}})
    return resident


@transaction.atomic
def do_create_household(
    actor: User | None,
    *,
    head: Resident,
    unit: OrgUnit | None = None,
    number: str = "",
    address: str = "",
    client_token: str | None = None,
) -> Household:
    unit = unit or head.unit
    _require_edit(actor, unit)
    first = _existing_by_token(actor, Household, client_token)
    if first is not None:
        return first
    community = _check_unit(unit)
    head = _lock_free_resident(head, community)
    number = number.strip()
    if number and Household.objects.filter(community=community, number=number).exists():
        raise ValidationError({"number": _("本社区已有户号 %(number)s。") % {"number": number}})
    household = Household.objects.create(
        unit=unit,
        community=community,
        number=number,
        address=(address or head.address).strip(),
        client_token=client_token or None,
    )
    HouseholdMember.objects.create(household=household, resident=head, relation=Relation.HEAD)
    record_event(
        actor,
        PeopleVerb.HOUSEHOLD_CREATED,
        household,
        unit=unit,
        after={**snapshot(household, ["unit", "community", "number", "address"]), "head": head.pk},
    )
    return household


@transaction.atomic
def do_add_household_member(
    actor: User | None, household: Household, *, resident: Resident, relation: str
) -> HouseholdMember:
    household = Household.objects.select_for_update().select_related("unit").get(pk=household.pk)
    _require_edit(actor, household.unit)
    if relation not in Relation.values or relation == Relation.HEAD:
        raise ValidationError({"relation": _("请选择与户主的关系(户主不能重复)。")})
    resident = _lock_free_resident(resident, household.community)
    member = HouseholdMember.objects.create(
        household=household, resident=resident, relation=relation
    )
    record_event(
        actor,
        PeopleVerb.HOUSEHOLD_MEMBER_ADDED,
        household,
        unit=household.unit,
        after={"resident": resident.pk, "relation": relation},
    )
    return member


@transaction.atomic
def do_remove_household_member(
    actor: User | None, household: Household, *, resident: Resident
) -> None:
    household = Household.objects.select_for_update().select_related("unit").get(pk=household.pk)
    _require_edit(actor, household.unit)
    member = HouseholdMember.objects.filter(household=household, resident=resident).first()
    if member is None:
        raise ValidationError({"resident": _("此人不是该户成员。")})
    if member.relation == Relation.HEAD and household.members.count() > 1:
        raise ValidationError({"resident": _("请先将其他成员移出或更换户主,再移出户主。")})
    member.delete()
    record_event(
        actor,
        PeopleVerb.HOUSEHOLD_MEMBER_REMOVED,
        household,
        unit=household.unit,
        before={"resident": resident.pk, "relation": member.relation},
    )


@transaction.atomic
def do_change_household_head(
    actor: User | None,
    household: Household,
    *,
    resident: Resident,
    former_head_relation: str = Relation.OTHER,
) -> Household:
    """Make a member the head; the former head stays a member with the given relation."""
    household = Household.objects.select_for_update().select_related("unit").get(pk=household.pk)
    _require_edit(actor, household.unit)
    if former_head_relation not in Relation.values or former_head_relation == Relation.HEAD:
        raise ValidationError({"relation": _("请选择原户主与新户主的关系。")})
    member = HouseholdMember.objects.filter(household=household, resident=resident).first()
    if member is None:
        raise ValidationError({"resident": _("新户主须是该户成员。")})
    if member.relation == Relation.HEAD:
        return household
    if resident.status != ResidentStatus.LIVING:
        raise ValidationError({"resident": _("已迁出或死亡的居民不能作户主。")})
    old = HouseholdMember.objects.filter(household=household, relation=Relation.HEAD).first()
    # The former head steps down first: one head per household is a database constraint.
    if old is not None:
        old.relation = former_head_relation
        old.save(update_fields=["relation"])
    previous = member.relation
    member.relation = Relation.HEAD
    member.save(update_fields=["relation"])
    record_event(
        actor,
        PeopleVerb.HOUSEHOLD_HEAD_CHANGED,
        household,
        unit=household.unit,
        before={"head": old.resident_id if old else None, "new_head_relation": previous},
        after={"head": resident.pk, "former_head_relation": former_head_relation},
    )
    return household


# --- categories ----------------------------------------------------------------------


@transaction.atomic
def do_create_category(
    actor: User | None, *, code: str, name: str, has_level: bool = False, description: str = ""
) -> Category:
    if actor is not None and not access.may_define_categories(actor):
        raise PermissionDenied(_("只有州民政部门可以增加帮扶对象类别。"))
    errors: dict[str, str] = {}
    code, name = code.strip().lower(), name.strip()
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        errors["code"] = _("代码只能由英文字母、数字和下划线组成。")
    elif Category.objects.filter(code=code).exists():
        errors["code"] = _("代码 %(code)s 已被使用。") % {"code": code}
    if not name:
        errors["name"] = _("请填写类别名称。")
    elif Category.objects.filter(name=name).exists():
        errors["name"] = _("已有名为“%(name)s”的类别。") % {"name": name}
    if errors:
        raise ValidationError(errors)
    category = Category.objects.create(
        code=code, name=name, has_level=has_level, description=description.strip()
    )
    record_event(actor, PeopleVerb.CATEGORY_CREATED, category, unit=None, after=snapshot(category))
    return category


def _looks_like_id(text: str) -> bool:
    run = 0
    for ch in text:
        run = run + 1 if ch.isdigit() or ch in "xX" else 0
        if run >= 15:
            return True
    return False


@transaction.atomic
def do_grant_category(
    actor: User | None,
    resident: Resident,
    *,
    category: Category,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    level: str = "",
    evidence: str,
) -> CategoryMembership:
    resident = Resident.objects.select_for_update().select_related("unit").get(pk=resident.pk)
    _require_edit(actor, resident.unit)
    errors: dict[str, str] = {}
    if not category.active:
        errors["category"] = _("该类别已停用。")
    if category.has_level and level not in DisabilityLevel.values:
        errors["level"] = _("请选择等级(一级至四级)。")
    if not category.has_level:
        level = ""
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("截止日期不能早于起始日期。")
    evidence = " ".join((evidence or "").split())
    if not evidence:
        errors["evidence"] = _("请填写认定依据(如批复文号、证件类别)。")
    elif _looks_like_id(evidence):
        errors["evidence"] = _("认定依据中不要填写身份证号或含身份证号的证件号。")
    elif len(evidence) > 200:
        errors["evidence"] = _("认定依据不能超过200个字。")
    if not errors:
        overlapping = CategoryMembership.objects.filter(
            resident=resident, category=category
        ).exclude(valid_to__lt=valid_from)
        if valid_to is not None:
            overlapping = overlapping.exclude(valid_from__gt=valid_to)
        if overlapping.exists():
            errors["valid_from"] = _("该居民在此期间已有“%(category)s”认定。") % {
                "category": category.name
            }
    if errors:
        raise ValidationError(errors)
    membership = CategoryMembership.objects.create(
        resident=resident,
        category=category,
        valid_from=valid_from,
        valid_to=valid_to,
        level=level,
        evidence=evidence,
    )
    record_event(
        actor,
        PeopleVerb.RESIDENT_CATEGORY_GRANTED,
        resident,
        unit=resident.unit,
        after=snapshot(membership, ["category", "level", "valid_from", "valid_to", "evidence"]),
    )
    return membership


@transaction.atomic
def do_end_category_membership(
    actor: User | None, membership: CategoryMembership, *, valid_to: dt.date
) -> CategoryMembership:
    membership = (
        CategoryMembership.objects.select_for_update()
        .select_related("resident__unit", "category")
        .get(pk=membership.pk)
    )
    _require_edit(actor, membership.resident.unit)
    if valid_to < membership.valid_from:
        raise ValidationError({"valid_to": _("截止日期不能早于起始日期。")})
    before = snapshot(membership, ["valid_to"])
    membership.valid_to = valid_to
    membership.save(update_fields=["valid_to"])
    record_event(
        actor,
        PeopleVerb.RESIDENT_CATEGORY_ENDED,
        membership.resident,
        unit=membership.resident.unit,
        before={**before, "category": membership.category_id},
        after={"valid_to": valid_to, "category": membership.category_id},
    )
    return membership


# --- floating population ---------------------------------------------------------------


@transaction.atomic
def do_set_floating_info(
    actor: User | None,
    resident: Resident,
    *,
    origin: str,
    arrived_on: dt.date,
    has_permit: bool = False,
    permit_expires_on: dt.date | None = None,
    workplace: str = "",
    school_age_children: int = 0,
    children_note: str = "",
) -> FloatingInfo:
    resident = Resident.objects.select_for_update().select_related("unit").get(pk=resident.pk)
    _require_edit(actor, resident.unit)
    errors: dict[str, str] = {}
    if resident.registration_type != RegistrationType.FLOATING:
        errors["origin"] = _("只有户籍类型为“流动”的居民才登记流动人口信息。")
    origin = " ".join((origin or "").split())
    if not origin:
        errors["origin"] = _("请填写来源地。")
    if arrived_on > timezone.localdate():
        errors["arrived_on"] = _("来本地日期不能晚于今天。")
    if has_permit and permit_expires_on is None:
        errors["permit_expires_on"] = _("已办居住证的,请填写有效期。")
    if not 0 <= school_age_children <= 20:
        errors["school_age_children"] = _("随迁学龄子女人数应在0到20之间。")
    if errors:
        raise ValidationError(errors)
    info = FloatingInfo.objects.filter(resident=resident).first()
    before = snapshot(info) if info is not None else None
    info = info or FloatingInfo(resident=resident)
    info.origin, info.arrived_on, info.has_permit = origin, arrived_on, has_permit
    info.permit_expires_on = permit_expires_on if has_permit else None
    info.workplace = workplace.strip()
    info.school_age_children, info.children_note = school_age_children, children_note.strip()
    info.save()
    record_event(
        actor,
        PeopleVerb.RESIDENT_FLOATING_SET,
        resident,
        unit=resident.unit,
        before=before,
        after=snapshot(info),
    )
    return info


# --- spreadsheets ------------------------------------------------------------------------


def do_import_residents(
    actor: User | None, *, unit: OrgUnit, handle: IO[bytes], file_name: str
) -> ImportBatch:
    """Import a spreadsheet into ``unit``: valid rows saved, the others reported."""
    try:
        return _import_residents(actor, unit=unit, handle=handle, file_name=file_name)
    except IntegrityError:
        # Another import registered some of the same numbers while this one ran; it was
        # rolled back whole, and running it again skips what the other one saved.
        raise ValidationError(
            {"file": _("另一批导入同时登记了部分相同的身份证号,本次导入未保存,请重新导入。")}
        ) from None


@transaction.atomic
def _import_residents(
    actor: User | None, *, unit: OrgUnit, handle: IO[bytes], file_name: str
) -> ImportBatch:
    from shequ.people.importing import import_rows

    _require_edit(actor, unit)
    community = _check_unit(unit)
    result = import_rows(actor, unit, community, handle)
    batch = ImportBatch.objects.create(
        unit=unit,
        actor=actor if actor is not None and actor.is_authenticated else None,
        file_name=file_name[:200],
        file_sha256=result.sha256,
        rows=result.rows,
        created=result.created,
        skipped=result.skipped,
        errors=result.errors,
    )
    record_event(
        actor,
        PeopleVerb.RESIDENT_IMPORTED,
        batch,
        unit=unit,
        after={
            "file_name": batch.file_name,
            "sha256": result.sha256,
            "rows": result.rows,
            "created": result.created,
            "skipped": result.skipped,
            "errors": len(result.errors),
        },
    )
    return batch


def do_export_residents(
    actor: User,
    residents: QuerySet[Resident],
    *,
    unit: OrgUnit,
    reveal: bool = False,
    reason: str = "",
) -> bytes:
    """A spreadsheet of ``residents`` (already scoped); full numbers need a reason and a role."""
    from shequ.people.importing import export_workbook

    reason = " ".join((reason or "").split())
    if not access.may_export(actor, unit):
        raise PermissionDenied(_("居民信息只能由社区负责人及以上导出。"))
    if reveal:
        if not access.may_reveal_in(actor, unit):
            raise PermissionDenied(_("您的岗位无权导出完整号码。"))
        if len(reason) < 4:
            raise ValidationError({"reason": _("请写明导出完整号码的事由(至少4个字)。")})
    with transaction.atomic():
        record_event(
            actor,
            PeopleVerb.RESIDENT_EXPORTED,
            unit,
            unit=unit,
            after={
                "count": residents.count(),
                "revealed": reveal,
                "reason": reason,
                "unit": unit.name,
            },
        )
    return export_workbook(residents, reveal=reveal)


# --- resident units (驻区单位) -------------------------------------------------------------

RESIDENT_UNIT_LOGGED_FIELDS = [
    "unit",
    "community",
    "name",
    "credit_code",
    "trade",
    "size",
    "address",
    "contact_name",
    "contact_phone_masked",
    "co_building",
    "status",
    "status_on",
]


def _clean_resident_unit(
    *,
    name: str,
    credit_code: str,
    trade: str,
    size: str,
    address: str,
    contact_name: str,
    contact_phone: str,
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    """Checked and normalised fields of a resident unit; every bad field at once."""
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("请填写单位名称。")
    elif len(name) > 100:
        errors["name"] = _("单位名称不能超过100个字。")
    code = ""
    try:
        code = uscc.validate(credit_code or "")
    except uscc.InvalidLength:
        errors["credit_code"] = _("统一社会信用代码应为18位。")
    except uscc.InvalidChecksum:
        errors["credit_code"] = _("统一社会信用代码校验位不符,请核对。")
    except uscc.ValidationError:
        errors["credit_code"] = _("统一社会信用代码格式有误(不含 I、O、Z、S、V),请核对。")
    if code:
        taken = ResidentUnit.objects.filter(credit_code=code)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            errors["credit_code"] = _("该统一社会信用代码已登记。")
    if trade not in Trade.values:
        errors["trade"] = _("请选择行业。")
    if size not in UnitSize.values:
        errors["size"] = _("请选择规模。")
    address = " ".join((address or "").split())
    if len(address) > 200:
        errors["address"] = _("地址不能超过200个字。")
    contact_name = " ".join((contact_name or "").split())
    if len(contact_name) > 50:
        errors["contact_name"] = _("联系人不能超过50个字。")
    phone = ""
    if contact_phone:
        try:
            phone = normalise_mobile(contact_phone)
        except ValueError:
            errors["contact_phone"] = _(MSG_MOBILE)
    if phone and not contact_name:
        errors["contact_name"] = _("填写了联系人手机的,请同时填写联系人。")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "credit_code": code,
        "trade": trade,
        "size": size,
        "address": address,
        "contact_name": contact_name,
        "phone": phone,
    }


def _apply_unit_phone(ru: ResidentUnit, phone: str) -> None:
    c = cipher()
    protected = protect_phone(phone, c)
    ru.contact_phone_enc = protected.enc
    ru.contact_phone_index = protected.index
    ru.contact_phone_masked = protected.masked
    ru.key_id = c.current_key_id if phone else ""


@transaction.atomic
def do_register_resident_unit(
    actor: User | None,
    *,
    unit: OrgUnit,
    name: str,
    credit_code: str,
    trade: str,
    size: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    co_building: bool = False,
    client_token: str | None = None,
) -> ResidentUnit:
    """Register a unit located in a community (驻区单位). A retried submission with the
    same ``client_token`` returns the first unit; one credit code is registered once."""
    _require_edit(actor, unit)
    first = _existing_by_token(actor, ResidentUnit, client_token)
    if first is not None:
        return first
    community = _check_unit(unit)
    clean = _clean_resident_unit(
        name=name,
        credit_code=credit_code,
        trade=trade,
        size=size,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    phone = clean.pop("phone")
    ru = ResidentUnit(
        unit=unit,
        community=community,
        co_building=bool(co_building),
        client_token=client_token or None,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **clean,
    )
    _apply_unit_phone(ru, phone)
    try:
        with transaction.atomic():
            ru.save()
    except IntegrityError:
        # The same code (or token) was registered a moment ago by another request.
        again = _existing_by_token(actor, ResidentUnit, client_token)
        if again is not None:
            return again
        raise ValidationError({"credit_code": _("该统一社会信用代码已登记。")}) from None
    record_event(
        actor,
        PeopleVerb.RESIDENT_UNIT_REGISTERED,
        ru,
        unit=unit,
        after=snapshot(ru, RESIDENT_UNIT_LOGGED_FIELDS),
    )
    return ru


@transaction.atomic
def do_update_resident_unit(
    actor: User | None,
    resident_unit: ResidentUnit,
    *,
    unit: OrgUnit,
    name: str,
    credit_code: str,
    trade: str,
    size: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    co_building: bool = False,
) -> ResidentUnit:
    """Change a resident unit; ``contact_phone`` is the full number (blank removes it)."""
    ru = ResidentUnit.objects.select_for_update().select_related("unit").get(pk=resident_unit.pk)
    _require_edit(actor, ru.unit)
    if unit.pk != ru.unit_id:
        _require_edit(actor, unit)
    community = _check_unit(unit)
    clean = _clean_resident_unit(
        name=name,
        credit_code=credit_code,
        trade=trade,
        size=size,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
        exclude_pk=ru.pk,
    )
    phone = clean.pop("phone")
    before = snapshot(ru, RESIDENT_UNIT_LOGGED_FIELDS)
    for field, value in clean.items():
        setattr(ru, field, value)
    ru.unit, ru.community, ru.co_building = unit, community, bool(co_building)
    current = cipher().decrypt(ru.contact_phone_enc) if ru.contact_phone_enc else ""
    if phone != current:
        _apply_unit_phone(ru, phone)
    ru.updated_at = timezone.now()
    try:
        with transaction.atomic():
            ru.save()
    except IntegrityError:
        raise ValidationError({"credit_code": _("该统一社会信用代码已登记。")}) from None
    after = snapshot(ru, RESIDENT_UNIT_LOGGED_FIELDS)
    changed = [k for k in after if before.get(k) != after[k]]
    record_event(
        actor,
        PeopleVerb.RESIDENT_UNIT_UPDATED,
        ru,
        unit=unit,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return ru


@transaction.atomic
def do_change_resident_unit_status(
    actor: User | None, resident_unit: ResidentUnit, *, status: str, on: dt.date | None
) -> ResidentUnit:
    """A unit leaves the community or is deregistered (迁离/注销), or returns."""
    ru = ResidentUnit.objects.select_for_update().select_related("unit").get(pk=resident_unit.pk)
    _require_edit(actor, ru.unit)
    if status not in ResidentUnitStatus.values:
        raise ValidationError({"status": _("请选择状态。")})
    if status == ResidentUnitStatus.ACTIVE:
        on = None
    elif on is None:
        raise ValidationError({"on": _("请填写迁离或注销日期。")})
    elif on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    before = snapshot(ru, ["status", "status_on"])
    ru.status, ru.status_on, ru.updated_at = status, on, timezone.now()
    ru.save(update_fields=["status", "status_on", "updated_at"])
    record_event(
        actor,
        PeopleVerb.RESIDENT_UNIT_STATUS_CHANGED,
        ru,
        unit=ru.unit,
        before=before,
        after=snapshot(ru, ["status", "status_on"]),
    )
    return ru


@transaction.atomic
def do_reveal_resident_unit_contact(
    actor: User, resident_unit: ResidentUnit, *, reason: str
) -> str:
    """The contact's full mobile, for a user with a reveal role; always logged."""
    if not access.may_reveal_in(actor, resident_unit.unit):
        raise PermissionDenied(_("您的岗位无权查看完整号码。"))
    reason = " ".join((reason or "").split())
    if len(reason) < 4:
        raise ValidationError({"reason": _("请写明查看完整号码的事由(至少4个字)。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("事由不能超过200个字。")})
    record_event(
        actor,
        PeopleVerb.RESIDENT_UNIT_REVEALED,
        resident_unit,
        unit=resident_unit.unit,
        after={"field": "contact_phone", "reason": reason},
    )
    token = resident_unit.contact_phone_enc
    return cipher().decrypt(token) if token else ""


@transaction.atomic
def do_record_resident_unit_lookup(actor: User, *, found: list[ResidentUnit]) -> None:
    """A lookup of resident units by their contact's full mobile: which units it found,
    or (an event on the actor) that nothing matched. The number is not logged."""
    after = {"field": "contact_phone", "matched": len(found)}
    for resident_unit in found:
        record_event(
            actor,
            PeopleVerb.RESIDENT_UNIT_LOOKED_UP,
            resident_unit,
            unit=resident_unit.unit,
            after=after,
        )
    if not found:
        record_event(
            actor,
            PeopleVerb.RESIDENT_UNIT_LOOKED_UP,
            actor,
            unit=org_access.scope_roots(actor).first(),
            after=after,
        )
