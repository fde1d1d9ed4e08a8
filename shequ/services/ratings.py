"""Ratings (好差评), rectification of bad ones (整改) and appeals against ratings made in
error. Each state change is a ``do_<verb>_<noun>`` in one transaction with a case
timeline entry (the worker's rollup of the three rates follows the timeline) and an
audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.notify.models import Channel as MessageChannel
from shequ.notify.outbox import enqueue
from shequ.orgs import calendar
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import escalate_once, require, user_or_none
from shequ.orgs.models import User
from shequ.services.access import (
    APPEAL_DECIDER_ROLES,
    CASE_ROLES,
    RECTIFY_ROLES,
    officers_on,
    supervisors,
)
from shequ.services.messages import TEXTS
from shequ.services.models import (
    GOOD_GRADE_MIN,
    SECOND_GRADES,
    AppealStatus,
    Case,
    Grade,
    Rating,
    RatingAppeal,
    RatingChannel,
    Rectification,
    RectificationStatus,
    criteria_for,
)
from shequ.services.timeline import log_case as _log
from shequ.services.verbs import CaseVerb, ServicesVerb

RATING_LINK_SALT = "services.rating-link"
RATING_LINK_MAX_AGE = 60 * 60 * 24 * 30  # a month to rate by the message link
_RECT_FIELDS = [
    "status",
    "verified_at",
    "fixed_at",
    "replied_at",
    "followed_up_at",
    "second_grade",
]


_user = user_or_none


def rating_link(case: Case) -> str:
    """The path a text message carries to rate ``case`` online (signed, no sign-in)."""
    return reverse("services:rate_link", args=[signing.dumps(case.pk, salt=RATING_LINK_SALT)])


def case_for_rating_link(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=RATING_LINK_SALT, max_age=RATING_LINK_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def invite_rating(case: Case, phone: str) -> None:
    """Queue the message inviting the applicant to rate (inside the caller's transaction);
    only when SHEQU_PUBLIC_URL says where the site is."""
    base = settings.SHEQU_PUBLIC_URL
    if not base or not phone:
        return
    enqueue(
        unit=case.unit,
        channel=MessageChannel.SMS,
        recipient=phone,
        kind="case.rate_invite",
        text=TEXTS["case.rate_invite"],
        payload={
            "unit": case.unit.name,
            "item": case.item.name,
            "number": case.number or "",
            "link": base.rstrip("/") + rating_link(case),
        },
        dedupe_key=f"case:{case.pk}:rate_invite",
    )


def rectification_due_at(start: dt.datetime) -> dt.datetime:
    return calendar.due_at(start, settings.SHEQU_RECTIFICATION_DAYS)


def _clean_criteria(channel: str, criteria: dict[str, Any] | None) -> dict[str, int]:
    allowed = criteria_for(channel)
    cleaned: dict[str, int] = {}
    for key, value in (criteria or {}).items():
        if value in (None, ""):
            continue
        if key not in allowed:
            raise ValidationError({"criteria": _("评价项目不适用于该渠道。")})
        try:
            grade = int(value)
        except (TypeError, ValueError):
            raise ValidationError({"criteria": _("分项评价须为五档之一。")}) from None
        if grade not in Grade.values:
            raise ValidationError({"criteria": _("分项评价须为五档之一。")})
        cleaned[key] = grade
    return cleaned


@transaction.atomic
def do_rate_case(
    actor: User | None,
    case: Case,
    *,
    channel: str,
    grade: int,
    criteria: dict[str, Any] | None = None,
    comment: str = "",
    client_token: str | None = None,
) -> Rating:
    """The applicant rates a completed case: at the window pad or by message link (no
    signed-in actor), or on the phone with a clerk recording it. One rating per case; a
    bad one (不满意, 非常不满意) opens a rectification for the unit that handled it."""
    client_token = (client_token or "").strip() or None
    if client_token is not None:
        existing = Rating.objects.filter(client_token=client_token, case=case).first()
        if existing is not None:
            return existing
    if channel not in RatingChannel.values:
        raise ValidationError({"channel": _("请选择评价渠道。")})
    if channel == RatingChannel.PHONE:
        if actor is None:
            raise PermissionDenied(_("电话评价须由工作人员代录。"))
        require(actor, CASE_ROLES, case.unit)
    if grade not in Grade.values:
        raise ValidationError({"grade": _("请选择评价等级。")})
    if not case.is_done:
        raise ValidationError({"grade": _("办件办结后才能评价。")})
    cleaned = _clean_criteria(channel, criteria)
    cleaned.setdefault("overall", grade)
    now = timezone.now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case,
                unit=case.unit,
                handling_unit=case.handling_unit,
                channel=channel,
                grade=grade,
                criteria=cleaned,
                comment=comment.strip()[:2000],
                rated_at=now,
                recorded_by=_user(actor),
                client_token=client_token,
            )
    except IntegrityError:
        raise ValidationError({"grade": _("该办件已评价,每件只能评价一次。")}) from None
    _log(
        actor,
        case,
        CaseVerb.RATED,
        None,
        note=comment.strip(),
        data={"grade": grade, "channel": channel},
    )
    record_event(actor, ServicesVerb.RATING_CREATED, rating, unit=case.unit, after=snapshot(rating))
    if grade < GOOD_GRADE_MIN:
        _open_rectification(actor, rating, now)
    return rating


def _open_rectification(actor: User | None, rating: Rating, now: dt.datetime) -> Rectification:
    unit = rating.handling_unit
    rect = Rectification.objects.create(
        rating=rating, unit=unit, opened_at=now, due_at=rectification_due_at(now)
    )
    record_event(actor, ServicesVerb.RECTIFICATION_OPENED, rect, unit=unit, after=snapshot(rect))
    case = rating.case
    for username in sorted(set(supervisors(unit)) | set(officers_on(unit))):
        enqueue(
            unit=unit,
            channel=MessageChannel.STAFF,
            recipient=username,
            kind="rating.rectification_opened",
            text=TEXTS["rating.rectification_opened"],
            payload={
                "number": case.number or "",
                "item": case.item.name,
                "grade": str(Grade(rating.grade).label),
                "due_date": timezone.localtime(rect.due_at).strftime("%Y-%m-%d"),
            },
            dedupe_key=f"rectification:{rect.pk}:opened:{username}",
            link=rect.get_absolute_url(),
        )
    return rect


# --- rectification steps --------------------------------------------------------------


def _step(
    actor: User | None,
    rect: Rectification,
    allowed: RectificationStatus,
    to: RectificationStatus,
    verb: ServicesVerb,
    **changes: Any,
) -> Rectification:
    require(actor, RECTIFY_ROLES, rect.unit)
    before = snapshot(rect, _RECT_FIELDS)
    if not Rectification.objects.filter(pk=rect.pk, status=allowed).update(status=to, **changes):
        raise ValidationError({"status": _("整改当前状态已变化,请刷新后重试。")})
    rect.refresh_from_db()
    record_event(
        actor,
        verb,
        rect,
        unit=rect.unit,
        before=before,
        after=snapshot(rect, _RECT_FIELDS),
    )
    return rect


def _note(note: str, field: str) -> str:
    note = note.strip()
    if not note:
        raise ValidationError({field: _("请填写说明。")})
    return note


@transaction.atomic
def do_verify_rectification(actor: User | None, rect: Rectification, *, note: str) -> Rectification:
    """Verify what happened (核实)."""
    note = _note(note, "note")
    return _step(
        actor,
        rect,
        RectificationStatus.OPEN,
        RectificationStatus.VERIFIED,
        ServicesVerb.RECTIFICATION_VERIFIED,
        verified_at=timezone.now(),
        verify_note=note,
    )


@transaction.atomic
def do_fix_rectification(actor: User | None, rect: Rectification, *, note: str) -> Rectification:
    """Record what was put right (整改措施)."""
    note = _note(note, "note")
    return _step(
        actor,
        rect,
        RectificationStatus.VERIFIED,
        RectificationStatus.FIXED,
        ServicesVerb.RECTIFICATION_FIXED,
        fixed_at=timezone.now(),
        fix_note=note,
    )


@transaction.atomic
def do_reply_rectification(actor: User | None, rect: Rectification, *, note: str) -> Rectification:
    """Reply to the applicant (答复)."""
    note = _note(note, "note")
    return _step(
        actor,
        rect,
        RectificationStatus.FIXED,
        RectificationStatus.REPLIED,
        ServicesVerb.RECTIFICATION_REPLIED,
        replied_at=timezone.now(),
        reply_note=note,
    )


@transaction.atomic
def do_follow_up_rectification(
    actor: User | None, rect: Rectification, *, note: str, second_grade: int
) -> Rectification:
    """The return visit (回访) and the applicant's second rating; closes the rectification."""
    note = _note(note, "note")
    if second_grade not in SECOND_GRADES:
        raise ValidationError({"second_grade": _("回访评价为满意、基本满意或不满意。")})
    rect = _step(
        actor,
        rect,
        RectificationStatus.REPLIED,
        RectificationStatus.DONE,
        ServicesVerb.RECTIFICATION_FOLLOWED_UP,
        followed_up_at=timezone.now(),
        follow_up_note=note,
        second_grade=second_grade,
    )
    _log(
        actor,
        rect.rating.case,
        CaseVerb.RATING_FOLLOWED_UP,
        None,
        note=note,
        data={"grade": second_grade},
    )
    return rect


# --- appeals --------------------------------------------------------------------------


@transaction.atomic
def do_appeal_rating(actor: User, rating: Rating, *, reason: str) -> RatingAppeal:
    """A staff member appeals a rating made in error (误评, e.g. the wrong button)."""
    require(actor, CASE_ROLES, rating.handling_unit)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写申诉理由。")})
    if not rating.counted:
        raise ValidationError({"reason": _("该评价已不计入统计。")})
    try:
        with transaction.atomic():
            appeal = RatingAppeal.objects.create(
                rating=rating, reason=reason, requested_by=_user(actor)
            )
    except IntegrityError:
        raise ValidationError({"reason": _("该评价已有待裁决的申诉。")}) from None
    record_event(
        actor, ServicesVerb.RATING_APPEALED, appeal, unit=rating.unit, after=snapshot(appeal)
    )
    return appeal


# Who decides an appeal: the community's leads or an officer above, never the appellant.


@transaction.atomic
def do_decide_rating_appeal(
    actor: User, appeal: RatingAppeal, *, uphold: bool, note: str = ""
) -> RatingAppeal:
    rating = appeal.rating
    require(actor, APPEAL_DECIDER_ROLES, rating.handling_unit)
    if appeal.requested_by_id == actor.pk:
        raise PermissionDenied(_("不能裁决自己提出的申诉。"))
    status = AppealStatus.UPHELD if uphold else AppealStatus.REJECTED
    before = snapshot(appeal)
    if not RatingAppeal.objects.filter(pk=appeal.pk, status=AppealStatus.PENDING).update(
        status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note.strip()
    ):
        raise ValidationError({"status": _("该申诉已裁决。")})
    appeal.refresh_from_db()
    record_event(
        actor,
        ServicesVerb(f"rating.appeal_{status}"),
        appeal,
        unit=rating.unit,
        before=before,
        after=snapshot(appeal),
    )
    if uphold:
        Rating.objects.filter(pk=rating.pk).update(counted=False)
        rating.refresh_from_db()
        record_event(
            actor,
            ServicesVerb.RATING_DISCOUNTED,
            rating,
            unit=rating.unit,
            after={"counted": False},
        )
        _log(actor, rating.case, CaseVerb.RATING_APPEAL_UPHELD, None, note=note.strip())
    return appeal


# --- the worker's part ----------------------------------------------------------------


def escalate_overdue_rectifications(now: dt.datetime | None = None, limit: int = 100) -> int:
    """Tell the leads of the rectifying unit and the officers of the township above that
    a rectification is overdue; once per deadline (督办)."""
    now = now or timezone.now()

    def escalate(rect: Rectification, due: dt.datetime) -> None:
        record_event(None, ServicesVerb.RECTIFICATION_OVERDUE, rect, unit=rect.unit)
        staff = set(supervisors(rect.unit))
        parent = rect.unit.parent_unit()
        if parent is not None:
            staff |= set(officers_on(parent))
        staff |= set(officers_on(rect.unit))
        case = rect.rating.case
        for username in sorted(staff):
            enqueue(
                unit=rect.unit,
                channel=MessageChannel.STAFF,
                recipient=username,
                kind="rating.rectification_overdue",
                text=TEXTS["rating.rectification_overdue"],
                payload={
                    "number": case.number or "",
                    "item": case.item.name,
                    "due_date": timezone.localtime(due).strftime("%Y-%m-%d"),
                },
                dedupe_key=f"rectification:{rect.pk}:overdue:{due.isoformat()}:{username}",
                link=rect.get_absolute_url(),
            )

    return escalate_once(
        Rectification.objects.overdue(now).select_related("unit", "rating__case__item"),
        due_field="due_at",
        marker_field="escalated_for_due_at",
        handle=escalate,
        limit=limit,
    )
