"""State changes of the Open311 app: partner keys, and filing a request (which is the
services app's own do_receive_case, the same action every other channel uses)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.lib import apikeys
from shequ.open311.models import PartnerKey, ServiceRequest
from shequ.open311.verbs import Open311Verb
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.models import OrgUnit, UnitKind, User
from shequ.services.actions import do_receive_case
from shequ.services.models import ApplicantKind, Channel, ServiceItem

_KEY_FIELDS = ["name", "prefix", "county", "active", "created_at"]


@transaction.atomic
def do_issue_partner_key(
    actor: User | None, *, name: str, county: OrgUnit | None = None
) -> tuple[PartnerKey, str]:
    """Issue a key to a partner system. Returns the row and the key, shown once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写合作系统名称。")})
    if PartnerKey.objects.filter(name=name).exists():
        raise ValidationError({"name": _("合作系统 %(name)s 已有密钥。") % {"name": name}})
    if county is not None and county.kind != UnitKind.COUNTY:
        raise ValidationError({"county": _("密钥只能限定到县市。")})
    key, prefix, key_hash = apikeys.new_secret("o311")
    partner = PartnerKey.objects.create(name=name, prefix=prefix, key_hash=key_hash, county=county)
    record_event(
        actor, Open311Verb.KEY_ISSUED, partner, unit=county, after=snapshot(partner, _KEY_FIELDS)
    )
    return partner, key


@transaction.atomic
def do_revoke_partner_key(actor: User | None, partner: PartnerKey) -> PartnerKey:
    if not PartnerKey.objects.filter(pk=partner.pk, active=True).update(active=False):
        raise ValidationError({"name": _("该密钥已停用。")})
    partner.refresh_from_db()
    record_event(
        actor,
        Open311Verb.KEY_REVOKED,
        partner,
        unit=partner.county,
        before={"active": True},
        after={"active": False},
    )
    return partner


def _summary(
    description: str, materials_ready: list[str], address: str, anonymous_via: str = ""
) -> str:
    lines = [description.strip()] if description.strip() else []
    if anonymous_via:
        lines.append(
            _("匿名诉求:请通过合作系统“%(partner)s”联系诉求人。") % {"partner": anonymous_via}
        )
    if address:
        lines.append(_("地址:%(address)s") % {"address": address})
    if materials_ready:
        lines.append(_("已备材料:%(names)s") % {"names": "、".join(materials_ready)})
    return "\n".join(lines)


@transaction.atomic
def do_file_service_request(
    partner: PartnerKey,
    *,
    unit: OrgUnit,
    item: ServiceItem,
    contact_name: str,
    contact_phone: str,
    anonymous: bool = False,
    description: str = "",
    address_string: str = "",
    address_id: str = "",
    lat: float | None = None,
    long: float | None = None,
    media_url: str = "",
    device_id: str = "",
    account_id: str = "",
    attributes: dict[str, Any] | None = None,
    materials_ready: list[str] | None = None,
    client_token: str,
) -> ServiceRequest:
    """File a partner's request as a case of ``unit`` (channel "api", the caller as
    applicant). A retry with the same ``client_token`` returns the first request. An
    ``anonymous`` filing (no name sent: the spec makes it optional) says so in the case's
    summary, with the partner through whom the filer is reached."""
    if not item.public:
        raise ValidationError({"service_code": _("该事项不能网上申请。")})
    if not partner.active:
        raise ValidationError({"api_key": _("该密钥已停用。")})
    case = do_receive_case(
        None,  # a partner system, not a person: the event names it below
        unit=unit,
        item=item,
        channel=Channel.API,
        applicant_kind=ApplicantKind.CALLER,
        contact_name=contact_name,
        contact_phone=contact_phone,
        summary=_summary(
            description,
            materials_ready or [],
            address_string,
            partner.name if anonymous else "",
        ),
        client_token=client_token,
    )
    existing = ServiceRequest.objects.filter(case=case).first()
    if existing is not None:
        return existing
    row = ServiceRequest.objects.create(
        case=case,
        partner=partner,
        description=description.strip(),
        address_string=address_string.strip(),
        address_id=address_id.strip(),
        lat=lat,
        long=long,
        media_url=media_url.strip(),
        device_id=device_id.strip(),
        account_id=account_id.strip(),
        attributes=attributes or {},
    )
    PartnerKey.objects.filter(pk=partner.pk).update(last_used_at=timezone.now())
    record_event(
        None,
        Open311Verb.REQUEST_FILED,
        row,
        unit=case.unit,
        after={"partner": partner.name, "case": case.pk, "number": case.number},
    )
    return row
