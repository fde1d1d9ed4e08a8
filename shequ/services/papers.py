"""What printed case papers share: the notices a case has, the issuing office's contacts,
and the signed link (and its QR code) to the case's public status page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from shequ.lib.qr import qr_svg
from shequ.orgs.models import OrgUnit, User
from shequ.services.models import Case, CaseEvent, ServiceHall

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATUS_SALT = "services.case-status"

# kind → (the title printed on the paper, the name of its print link)
NOTICES: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "receipt": (_("办件登记回执"), _("登记回执")),
    "accepted": (_("受理回执"), _("受理回执")),
    "reply": (_("答复时间告知书"), _("答复时间告知书")),
    "returned": (_("补正材料一次性告知书"), _("一次性告知书")),
    "refused": (_("不予受理通知书"), _("不予受理通知书")),
    "completed": (_("办结通知书"), _("办结通知书")),
    "certificate": ("", ""),  # the item's own title (居住情况证明 …)
}
# Notices printed from a timeline entry of the same verb (the latest one).
EVENT_NOTICES = ("accepted", "returned", "refused", "completed")


@dataclass(frozen=True)
class Office:
    """The office a paper comes from, as printed at its foot."""

    name: str
    address: str
    phone: str
    hours: str


def office_of(unit: OrgUnit) -> Office:
    """``unit``'s contacts; the hours fall back to its hall's opening hours."""
    hours = unit.office_hours
    if not hours:
        hall = ServiceHall.objects.filter(unit=unit).only("opening_hours").first()
        hours = hall.opening_hours if hall is not None else ""
    return Office(name=unit.name, address=unit.office_address, phone=unit.office_phone, hours=hours)


def status_token(case: Case) -> str:
    return signing.dumps(case.pk, salt=STATUS_SALT)


def case_for_status_token(token: str) -> int | None:
    """The case a status link names, or None for a forged or mangled one. The link does
    not expire: a paper kept for years still opens its case."""
    try:
        return int(signing.loads(token, salt=STATUS_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def status_path(case: Case) -> str:
    return reverse("services:case_status", args=[status_token(case)])


def status_qr(url: str) -> SafeString:
    return mark_safe(qr_svg(url))  # noqa: S308 - segno's own SVG markup of our URL


def latest_event(case: Case, verb: str) -> CaseEvent | None:
    return case.events.filter(verb=verb).select_related("actor").order_by("-at", "-pk").first()


def available_notices(case: Case, events: list[CaseEvent] | None = None) -> list[tuple[str, str]]:
    """The papers that can be printed for ``case`` now: (kind, link name)."""
    verbs = {e.verb for e in (events if events is not None else case.events.all())}
    kinds = ["receipt"]
    if "accepted" in verbs:
        kinds.append("accepted")
    if case.reply_due_at is not None or (case.due_at is not None and case.accepted_at):
        kinds.append("reply")
    kinds += [k for k in EVENT_NOTICES if k != "accepted" and k in verbs]
    if case.item.certificate_title and case.is_done:
        return [(k, str(NOTICES[k][1])) for k in kinds] + [
            ("certificate", case.item.certificate_title)
        ]
    return [(k, str(NOTICES[k][1])) for k in kinds]


def notice_title(case: Case, kind: str) -> str:
    if kind == "certificate":
        return case.item.certificate_title
    return str(NOTICES[kind][0])


def issuing_unit(case: Case, event: CaseEvent | None) -> OrgUnit:
    """Who issues the paper: the unit that took the step (a township returning a village
    matter), else the receiving community."""
    unit_id = (event.data or {}).get("unit") if event is not None else None
    if unit_id and unit_id != case.unit_id:
        return OrgUnit.objects.filter(pk=unit_id).first() or case.unit
    return case.unit


def clerk_of(case: Case, event: CaseEvent | None) -> User | None:
    if event is not None and event.actor is not None:
        return event.actor
    return case.created_by
