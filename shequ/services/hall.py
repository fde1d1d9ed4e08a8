"""The one-stop hall (便民服务大厅): halls, windows and the queue.

Every state change is a ``do_<verb>_<noun>`` in one transaction with an audit event.
Calling a number is a conditional ``UPDATE … WHERE status = 'waiting'``: of two clerks
pressing "next" at once, each gets a different ticket (the loser of a row moves on to
the next one).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.orgs import ratelimit
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import require, transition
from shequ.orgs.models import OrgUnit, Post, UnitKind, User
from shequ.people.actions import do_record_lookup
from shequ.people.crypto import id_number_index
from shequ.people.models import Resident
from shequ.services.access import FRONT_LINE_ROLES, HALL_ADMIN_ROLES
from shequ.services.actions import do_complete_case, do_receive_case
from shequ.services.models import (
    ApplicantKind,
    Case,
    Channel,
    HallWindow,
    ServiceHall,
    ServiceItem,
    Ticket,
    TicketStatus,
    WindowType,
)
from shequ.services.verbs import ServicesVerb

_TICKET_FIELDS = ["status", "window", "called_at", "recalled_at", "finished_at", "case"]


def new_device_key() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def do_create_service_hall(
    actor: User | None, unit: OrgUnit, *, name: str = "", opening_hours: str = ""
) -> ServiceHall:
    require(actor, HALL_ADMIN_ROLES, unit)
    if unit.kind != UnitKind.COMMUNITY:
        raise ValidationError({"unit": _("便民服务大厅设在社区。")})
    existing = ServiceHall.objects.filter(unit=unit).first()
    if existing is not None:
        return existing
    fields: dict[str, Any] = {"name": name.strip() or f"{unit.name}便民服务大厅"}
    if opening_hours.strip():
        fields["opening_hours"] = opening_hours.strip()
    hall = ServiceHall.objects.create(unit=unit, device_key=new_device_key(), **fields)
    record_event(actor, ServicesVerb.HALL_CREATED, hall, unit=unit, after=snapshot(hall, ["name"]))
    return hall


@transaction.atomic
def do_issue_hall_device_key(actor: User | None, hall: ServiceHall) -> ServiceHall:
    """A new device key: the kiosk, screen and pads must be given the new links, and the
    old links stop working at once (a lost or stolen device)."""
    require(actor, HALL_ADMIN_ROLES, hall.unit)
    hall.device_key = new_device_key()
    hall.device_key_issued_at = timezone.now()
    hall.save(update_fields=["device_key", "device_key_issued_at"])
    record_event(actor, ServicesVerb.HALL_DEVICE_KEY_ISSUED, hall, unit=hall.unit)
    return hall


@transaction.atomic
def do_add_hall_window(
    actor: User | None,
    hall: ServiceHall,
    *,
    number: int,
    window_type: WindowType,
    post: Post | None = None,
) -> HallWindow:
    require(actor, HALL_ADMIN_ROLES, hall.unit)
    if post is not None and post.unit_id != hall.unit_id:
        raise ValidationError({"post": _("值守岗位须是本社区的岗位。")})
    window, created = HallWindow.objects.get_or_create(
        hall=hall, number=number, defaults={"window_type": window_type, "post": post}
    )
    if created:
        record_event(
            actor,
            ServicesVerb.HALL_WINDOW_ADDED,
            window,
            unit=hall.unit,
            after=snapshot(window, ["number", "window_type", "post"]),
        )
    return window


# --- the kiosk ------------------------------------------------------------------------


def hall_window_types(hall: ServiceHall) -> list[WindowType]:
    ids = hall.windows.filter(active=True).values("window_type_id")
    return list(WindowType.objects.filter(pk__in=ids, active=True).order_by("sort_order", "code"))


def look_up_at_kiosk(hall: ServiceHall, id_number: str) -> Resident:
    """The hall's resident with this ID number, for a kiosk ticket. The kiosk is public,
    so the lookup is throttled per device (``SHEQU_KIOSK_LOOKUP_RATE_PER_MINUTE``) and
    logged found or not (issue 11); the caller shows the name masked."""
    try:
        ratelimit.check(f"kiosk:{hall.pk}", settings.SHEQU_KIOSK_LOOKUP_RATE_PER_MINUTE)
    except ratelimit.RateLimited:
        raise ValidationError({"id_number": _("查询过于频繁,请稍后再试或输入姓名取号。")}) from None
    resident = Resident.objects.filter(
        id_number_index=id_number_index(id_number), community=hall.unit
    ).first()
    do_record_lookup(
        None,
        field="id_number",
        found=[resident] if resident is not None else [],
        unit=hall.unit,
        channel="kiosk",
        where=hall,
    )
    if resident is None:
        raise ValidationError({"id_number": _("未找到该身份证号的居民,请输入姓名取号。")})
    return resident


def do_take_ticket(
    hall: ServiceHall,
    *,
    window_type: WindowType,
    name: str = "",
    id_number: str = "",
    client_token: str | None = None,
) -> Ticket:
    """Take a number at the kiosk (no signed-in actor: the device is bound to the hall).
    A returning resident gives the ID card number and is found by its blind index; a
    failed lookup creates no ticket but stays in the log."""
    client_token = (client_token or "").strip() or None
    if client_token is not None:
        existing = Ticket.objects.filter(client_token=client_token, hall=hall).first()
        if existing is not None:
            return existing
    if window_type not in hall_window_types(hall):
        raise ValidationError({"window_type": _("本大厅没有该业务的窗口。")})
    name, id_number = name.strip(), id_number.strip().upper()
    resident = None
    if id_number:
        resident = look_up_at_kiosk(hall, id_number)  # its event commits, found or not
        name = resident.name
    if not name:
        raise ValidationError({"name": _("请输入姓名或身份证号。")})
    with transaction.atomic():
        return _create_ticket(hall, window_type, resident, name, client_token)


def _create_ticket(
    hall: ServiceHall,
    window_type: WindowType,
    resident: Resident | None,
    name: str,
    client_token: str | None,
) -> Ticket:
    now = timezone.now()
    day = timezone.localdate(now)
    for _attempt in range(5):
        seq = (Ticket.objects.filter(hall=hall, day=day).aggregate(m=Max("seq"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                ticket = Ticket.objects.create(
                    hall=hall,
                    unit=hall.unit,
                    window_type=window_type,
                    day=day,
                    seq=seq,
                    resident=resident,
                    name=name[:50],
                    taken_at=now,
                    client_token=client_token,
                )
            break
        except IntegrityError:
            twin = (
                Ticket.objects.filter(client_token=client_token).first() if client_token else None
            )
            if twin is not None:
                if twin.hall_id != hall.pk:
                    raise ValidationError({"window_type": _("取号失败,请重试。")}) from None
                return twin  # a concurrent retry of the same submission won
            continue  # another kiosk took this sequence number: try the next
    else:
        raise ValidationError({"window_type": _("取号繁忙,请重试。")})
    record_event(None, ServicesVerb.TICKET_TAKEN, ticket, unit=hall.unit, after=snapshot(ticket))
    return ticket


# --- the clerk's window ---------------------------------------------------------------


def _finish_current(actor: User | None, window: HallWindow, now: dt.datetime) -> None:
    for ticket in Ticket.objects.filter(window=window, status=TicketStatus.CALLED):
        _move(actor, ticket, [TicketStatus.CALLED], ServicesVerb.TICKET_FINISHED, finished_at=now)


def _move(
    actor: User | None, ticket: Ticket, allowed: list[str], verb: ServicesVerb, **changes: Any
) -> Ticket:
    if "status" not in changes:
        changes["status"] = (
            TicketStatus.DONE if verb == ServicesVerb.TICKET_FINISHED else ticket.status
        )
    try:
        before = transition(ticket, allowed, fields=_TICKET_FIELDS, **changes)
    except ValidationError:
        raise ValidationError({"ticket": _("该号已被处理,请刷新。")}) from None
    record_event(
        actor, verb, ticket, unit=ticket.unit, before=before, after=snapshot(ticket, _TICKET_FIELDS)
    )
    return ticket


def waiting_for(window: HallWindow) -> Any:
    """Tickets this window may call: transferred to it, or of its type and not transferred
    elsewhere; today's only, oldest first (a transferred ticket first)."""
    day = timezone.localdate()
    return (
        Ticket.objects.filter(hall_id=window.hall_id, day=day, status=TicketStatus.WAITING)
        .filter(Q(window=window) | Q(window__isnull=True, window_type_id=window.window_type_id))
        .order_by("window_id", "taken_at", "seq")
    )


@transaction.atomic
def do_call_next_ticket(actor: User | None, window: HallWindow) -> Ticket | None:
    """Call the next number for ``window`` (the current one, if any, is finished)."""
    require(actor, FRONT_LINE_ROLES, window.hall.unit)
    now = timezone.now()
    _finish_current(actor, window, now)
    for _attempt in range(20):
        candidate = waiting_for(window).values_list("pk", flat=True).first()
        if candidate is None:
            return None
        won = Ticket.objects.filter(pk=candidate, status=TicketStatus.WAITING).update(
            status=TicketStatus.CALLED,
            window=window,
            called_at=now,
            called_by=actor if actor is not None and actor.is_authenticated else None,
        )
        if won:
            ticket = Ticket.objects.select_related("unit").get(pk=candidate)
            record_event(
                actor, ServicesVerb.TICKET_CALLED, ticket, unit=ticket.unit, after=snapshot(ticket)
            )
            return ticket
    return None


@transaction.atomic
def do_call_ticket(actor: User | None, window: HallWindow, *, seq: int) -> Ticket:
    """Call a specific number of today (a skipped one who came back, for instance)."""
    require(actor, FRONT_LINE_ROLES, window.hall.unit)
    ticket = Ticket.objects.filter(
        hall_id=window.hall_id, day=timezone.localdate(), seq=seq
    ).first()
    if ticket is None:
        raise ValidationError({"seq": _("今天没有这个号。")})
    now = timezone.now()
    _finish_current(actor, window, now)
    return _move(
        actor,
        ticket,
        [TicketStatus.WAITING, TicketStatus.SKIPPED],
        ServicesVerb.TICKET_CALLED,
        status=TicketStatus.CALLED,
        window=window,
        called_at=now,
        finished_at=None,
        called_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _require_ticket(actor: User | None, ticket: Ticket) -> None:
    require(actor, FRONT_LINE_ROLES, ticket.unit)


@transaction.atomic
def do_recall_ticket(actor: User | None, ticket: Ticket) -> Ticket:
    """Call the same number again (重呼); the screen shows it again."""
    _require_ticket(actor, ticket)
    return _move(
        actor,
        ticket,
        [TicketStatus.CALLED],
        ServicesVerb.TICKET_RECALLED,
        recalled_at=timezone.now(),
    )


@transaction.atomic
def do_skip_ticket(actor: User | None, ticket: Ticket) -> Ticket:
    """The called resident is absent (过号); the number may be called again later."""
    _require_ticket(actor, ticket)
    return _move(
        actor,
        ticket,
        [TicketStatus.CALLED],
        ServicesVerb.TICKET_SKIPPED,
        status=TicketStatus.SKIPPED,
        finished_at=timezone.now(),
    )


@transaction.atomic
def do_transfer_ticket(actor: User | None, ticket: Ticket, *, to_window: HallWindow) -> Ticket:
    """Send a called resident to another window; they wait first in its queue."""
    _require_ticket(actor, ticket)
    if to_window.hall_id != ticket.hall_id or to_window.pk == ticket.window_id:
        raise ValidationError({"to_window": _("请选择本大厅的另一个窗口。")})
    return _move(
        actor,
        ticket,
        [TicketStatus.CALLED],
        ServicesVerb.TICKET_TRANSFERRED,
        status=TicketStatus.WAITING,
        window=to_window,
        window_type=to_window.window_type,
        called_at=None,
        recalled_at=None,
    )


@transaction.atomic
def do_finish_ticket(actor: User | None, ticket: Ticket) -> Ticket:
    _require_ticket(actor, ticket)
    return _move(
        actor,
        ticket,
        [TicketStatus.CALLED],
        ServicesVerb.TICKET_FINISHED,
        finished_at=timezone.now(),
    )


@transaction.atomic
def do_serve_ticket(
    actor: User | None,
    ticket: Ticket,
    *,
    item: ServiceItem,
    contact_phone: str = "",
    summary: str = "",
    result: str = "",
    client_token: str | None = None,
) -> Case:
    """Register the called resident's request as a case. Its quarter hour started when
    the number was called. With a ``result`` an immediate item is completed at once and
    the ticket finished, so the window's rating pad offers it."""
    _require_ticket(actor, ticket)
    if ticket.status != TicketStatus.CALLED or ticket.called_at is None:
        raise ValidationError({"ticket": _("请先叫号。")})
    if ticket.case_id is not None:
        case = Case.objects.get(pk=ticket.case_id)
    else:
        applicant: dict[str, Any]
        if ticket.resident_id is not None:
            applicant = {"applicant_kind": ApplicantKind.RESIDENT, "resident": ticket.resident}
        else:
            applicant = {"applicant_kind": ApplicantKind.CALLER, "contact_name": ticket.name}
        case = do_receive_case(
            actor,
            unit=ticket.unit,
            item=item,
            channel=Channel.WINDOW,
            contact_phone=contact_phone,
            summary=summary,
            client_token=client_token,
            quarter_hour_from=ticket.called_at,
            **applicant,
        )
        Ticket.objects.filter(pk=ticket.pk, case__isnull=True).update(case=case)
        ticket.refresh_from_db()
    if result.strip():
        case = do_complete_case(actor, case, result=result)
        if ticket.status == TicketStatus.CALLED:
            do_finish_ticket(actor, ticket)
    return case
