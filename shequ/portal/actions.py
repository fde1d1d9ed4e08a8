"""State changes of the residents' portal. Each is one transaction with an audit event
(the system as actor, the portal account named in the snapshot).

Sign-in: a code is sent to any valid mobile number, known to the registry or not, and
every answer (sent, throttled, locked, wrong) is the same for both, so the portal never
tells who is registered. Requests are the services app's own ``do_receive_case`` on the
``online`` channel; ratings its ``do_rate_case``.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shequ.lib.masking import mask_phone
from shequ.lib.phone import MSG_MOBILE, normalise_mobile
from shequ.notify.models import Channel as MessageChannel
from shequ.notify.models import Message
from shequ.notify.outbox import enqueue
from shequ.orgs.crypto import cipher
from shequ.orgs.events import record_event
from shequ.orgs.kit import require, transition
from shequ.orgs.models import OrgUnit, UnitKind, User
from shequ.people.crypto import phone_index as registry_phone_index
from shequ.people.models import Resident, ResidentStatus
from shequ.portal import access
from shequ.portal.messages import TEXTS
from shequ.portal.models import (
    Account,
    Appeal,
    CallbackKind,
    CallbackRequest,
    CallbackStatus,
    Consent,
    ForWhom,
    OnlineRequest,
    RequestPhoto,
    SignInCode,
)
from shequ.portal.verbs import PortalVerb
from shequ.services.access import officers_on, supervisors
from shequ.services.actions import do_receive_case
from shequ.services.models import (
    ApplicantKind,
    Case,
    Channel,
    Rating,
    RatingChannel,
    RectificationStatus,
    ServiceItem,
)
from shequ.services.ratings import do_rate_case

log = logging.getLogger("shequ.portal")

PHONE_PURPOSE = "portal.phone"
ADDRESS_PURPOSE = "portal.address"
CODE_SALT = "shequ.portal.code"
PHOTO_TYPES = {
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}
PURGED_CODE_TEXT = "【社区服务】登录验证码(已过期,内容已清除)"


def prefecture() -> OrgUnit:
    """The unit of rows that belong to no community yet (codes, new limited accounts)."""
    unit = OrgUnit.objects.filter(kind=UnitKind.PREFECTURE).order_by("path").first()
    if unit is None:
        raise ValidationError({"phone": _("平台尚未初始化行政区划。")})
    return unit


def clean_phone(raw: str, field: str = "phone") -> str:
    try:
        return normalise_mobile(raw or "")
    except ValueError:
        raise ValidationError({field: MSG_MOBILE}) from None


def phone_index(phone: str) -> str:
    return cipher().blind_index(phone, purpose=PHONE_PURPOSE)


def address_index(address: str | None) -> str:
    return cipher().blind_index(address, purpose=ADDRESS_PURPOSE) if address else ""


def _code_hash(index: str, code: str) -> str:
    return salted_hmac(CODE_SALT, f"{index}:{code}", algorithm="sha256").hexdigest()


def _minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)


# --- sign-in ---------------------------------------------------------------------------


def locked_until(index: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the number may try again, if its recent wrong tries add up to the limit."""
    now = now or timezone.now()
    window = dt.timedelta(minutes=settings.SHEQU_PORTAL_LOCK_MINUTES)
    recent = SignInCode.objects.filter(phone_index=index, last_failed_at__gte=now - window)
    total = recent.aggregate(n=Sum("failures"))["n"] or 0
    if total < settings.SHEQU_PORTAL_CODE_TRIES:
        return None
    last = recent.order_by("-last_failed_at").values_list("last_failed_at", flat=True).first()
    return (last or now) + window


def _locked_error(until: dt.datetime, now: dt.datetime) -> ValidationError:
    minutes = _minutes(int((until - now).total_seconds()))
    return ValidationError(
        {
            "code": ngettext(
                "验证码错误次数过多,该号码已暂停登录,请 %(n)s 分钟后再试。",
                "验证码错误次数过多,该号码已暂停登录,请 %(n)s 分钟后再试。",
                minutes,
            )
            % {"n": minutes}
        }
    )


@dataclass(frozen=True)
class CodeSent:
    masked: str
    expires_at: dt.datetime
    demo_code: str  # only when SHEQU_PORTAL_DEMO_CODES (no real SMS leaves the machine)


@transaction.atomic
def do_send_sign_in_code(*, phone: str, address: str | None) -> CodeSent:
    """Send a one-time code to ``phone`` whether or not it is in the registry.

    Throttles: one code per number every SHEQU_PORTAL_CODE_GAP_SECONDS, at most
    SHEQU_PORTAL_CODES_PER_NUMBER an hour per number and SHEQU_PORTAL_CODES_PER_ADDRESS
    an hour per client address; none while the number is locked."""
    phone = clean_phone(phone)
    index, where = phone_index(phone), address_index(address)
    now = timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    if where and (
        SignInCode.objects.filter(address_index=where, created_at__gte=hour_ago).count()
        >= settings.SHEQU_PORTAL_CODES_PER_ADDRESS
    ):
        raise ValidationError({"phone": _("本网络请求验证码过于频繁,请一小时后再试。")})
    until = locked_until(index, now)
    if until is not None:
        raise ValidationError({"phone": _locked_error(until, now).message_dict["code"]})
    mine = SignInCode.objects.filter(phone_index=index, created_at__gte=hour_ago)
    last = mine.order_by("-created_at").values_list("created_at", flat=True).first()
    gap = settings.SHEQU_PORTAL_CODE_GAP_SECONDS
    if last is not None and (now - last).total_seconds() < gap:
        wait = int(gap - (now - last).total_seconds()) + 1
        raise ValidationError({"phone": _("验证码已发送,请 %(n)s 秒后再重新获取。") % {"n": wait}})
    if mine.count() >= settings.SHEQU_PORTAL_CODES_PER_NUMBER:
        raise ValidationError({"phone": _("该号码一小时内获取验证码次数已达上限,请稍后再试。")})
    code = f"{secrets.randbelow(1_000_000):06d}"
    unit = prefecture()
    expires = now + dt.timedelta(seconds=settings.SHEQU_PORTAL_CODE_SECONDS)
    row = SignInCode.objects.create(
        unit=unit,
        phone_index=index,
        address_index=where,
        code_hash=_code_hash(index, code),
        created_at=now,
        expires_at=expires,
    )
    enqueue(
        unit=unit,
        channel=MessageChannel.SMS,
        recipient=phone,
        kind="portal.code",
        text=TEXTS["portal.code"],
        payload={"code": code, "minutes": str(_minutes(settings.SHEQU_PORTAL_CODE_SECONDS))},
        dedupe_key=f"portal:code:{row.pk}",
    )
    record_event(None, PortalVerb.CODE_SENT, row, unit=unit, after={"phone": mask_phone(phone)})
    demo = code if settings.SHEQU_PORTAL_DEMO_CODES else ""
    if demo:
        log.warning(
            "demo sign-in code for %s: %s (log backend, no SMS sent)", mask_phone(phone), demo
        )
    return CodeSent(mask_phone(phone), expires, demo)


def _match_resident(phone: str) -> Resident | None:
    """The registry's living resident with this number (the first registered, when a
    family shares one phone)."""
    return (
        Resident.objects.filter(
            phone_index=registry_phone_index(phone), status=ResidentStatus.LIVING
        )
        .select_related("community")
        .order_by("pk")
        .first()
    )


def do_verify_sign_in_code(*, phone: str, code: str, address: str | None) -> Account:
    """Check the code and sign in: the account is created on the first sign-in and
    matched to the registry every time. A wrong code counts against the code (dead
    after SHEQU_PORTAL_CODE_TRIES) and the number (locked for SHEQU_PORTAL_LOCK_MINUTES).
    Not one transaction on purpose: a wrong try must be counted although it raises."""
    phone = clean_phone(phone)
    code = (code or "").strip()
    index = phone_index(phone)
    now = timezone.now()
    until = locked_until(index, now)
    if until is not None:
        raise _locked_error(until, now)
    wrong = ValidationError({"code": _("验证码错误或已过期,请重新获取。")})
    row = (
        SignInCode.objects.filter(
            phone_index=index,
            used_at__isnull=True,
            expires_at__gt=now,
            failures__lt=settings.SHEQU_PORTAL_CODE_TRIES,
        )
        .order_by("-created_at")
        .first()
    )
    if row is None:
        raise wrong
    if not (code.isdigit() and constant_time_compare(row.code_hash, _code_hash(index, code))):
        SignInCode.objects.filter(pk=row.pk).update(failures=F("failures") + 1, last_failed_at=now)
        until = locked_until(index, now)
        if until is not None:
            raise _locked_error(until, now)
        raise wrong
    with transaction.atomic():
        if not SignInCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
            raise wrong  # a concurrent sign-in used it
        return _sign_in(phone, index, now)


@transaction.atomic
def do_open_account(phone: str) -> Account:
    """The system's way in (the demo load): the number's account, created and matched to
    the registry as a sign-in by code would, without a code."""
    phone = clean_phone(phone)
    return _sign_in(phone, phone_index(phone), timezone.now())


def _sign_in(phone: str, index: str, now: dt.datetime) -> Account:
    resident = _match_resident(phone)
    account = Account.objects.select_for_update().filter(phone_index=index).first()
    created = account is None
    if account is None:
        try:
            with transaction.atomic():
                account = Account.objects.create(
                    unit=resident.community if resident else prefecture(),
                    phone_enc=cipher().encrypt(phone),
                    phone_index=index,
                    phone_masked=mask_phone(phone),
                    key_id=cipher().current_key_id,
                    resident=resident,
                    created_at=now,
                    last_signed_in_at=now,
                )
        except IntegrityError:  # the same number signed in twice at once
            account = Account.objects.select_for_update().get(phone_index=index)
            created = False
    if not created:
        account.resident = resident
        if resident is not None:
            account.unit = resident.community
        elif not account.community_chosen:
            account.unit = prefecture()
        account.last_signed_in_at = now
        account.save(update_fields=["resident", "unit", "last_signed_in_at"])
    record_event(
        None,
        PortalVerb.SIGNED_IN,
        account,
        unit=account.unit,
        after={"account": account.pk, "registered": resident is not None, "new": created},
    )
    return account


def needs_consent(account: Account) -> bool:
    return not account.consents.filter(version=settings.SHEQU_PORTAL_PRIVACY_VERSION).exists()


@transaction.atomic
def do_give_consent(account: Account, *, address: str | None) -> Consent:
    """Record the account's consent to the privacy notice in force (once per version)."""
    version = settings.SHEQU_PORTAL_PRIVACY_VERSION
    existing = account.consents.filter(version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                unit=account.unit,
                account=account,
                version=version,
                address_index=address_index(address),
            )
    except IntegrityError:
        return account.consents.get(version=version)
    record_event(
        None,
        PortalVerb.CONSENTED,
        consent,
        unit=account.unit,
        after={"account": account.pk, "version": version},
    )
    return consent


@transaction.atomic
def do_choose_community(account: Account, community: OrgUnit) -> Account:
    """A limited account says which community it lives in (a registered resident's
    community comes from the registry)."""
    if account.resident_id is not None:
        raise ValidationError({"community": _("您的社区以居民登记信息为准。")})
    if community.kind not in access.COMMUNITY_KINDS:
        raise ValidationError({"community": _("请选择社区或村。")})
    before = {"unit": account.unit_id}
    Account.objects.filter(pk=account.pk).update(unit=community, community_chosen=True)
    account.refresh_from_db()
    record_event(
        None,
        PortalVerb.COMMUNITY_CHOSEN,
        account,
        unit=community,
        before=before,
        after={"unit": community.pk},
    )
    return account


# --- asking ------------------------------------------------------------------------------


def check_photos(photos: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    """Each photo really a JPEG or PNG and not too large; at most SHEQU_PORTAL_MAX_PHOTOS."""
    if len(photos) > settings.SHEQU_PORTAL_MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("最多上传 %(n)s 张照片。") % {"n": settings.SHEQU_PORTAL_MAX_PHOTOS}}
        )
    limit = settings.SHEQU_PORTAL_MAX_PHOTO_BYTES
    checked = []
    for upload in photos:
        if upload.size is None or upload.size > limit:
            raise ValidationError(
                {
                    "photos": _("每张照片不能超过 %(mb)s MB。")
                    % {"mb": round(limit / 1024 / 1024, 1)}
                }
            )
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        kind = next((v for magic, v in PHOTO_TYPES.items() if head.startswith(magic)), None)
        if kind is None:
            raise ValidationError({"photos": _("只接受 JPG 或 PNG 格式的照片。")})
        checked.append((upload, kind[0], kind[1]))
    return checked


def _throttle_requests(account: Account, where: str, now: dt.datetime) -> None:
    day = OnlineRequest.objects.filter(account=account, created_at__gte=now - dt.timedelta(days=1))
    if day.count() >= settings.SHEQU_PORTAL_REQUESTS_PER_DAY:
        raise ValidationError(
            {
                "item": _("您今天已提交 %(n)s 件申请,已达上限,请明天再提交或到社区大厅办理。")
                % {"n": settings.SHEQU_PORTAL_REQUESTS_PER_DAY}
            }
        )
    if where and (
        OnlineRequest.objects.filter(
            address_index=where, created_at__gte=now - dt.timedelta(hours=1)
        ).count()
        >= settings.SHEQU_PORTAL_REQUESTS_PER_ADDRESS
    ):
        raise ValidationError({"item": _("本网络提交申请过于频繁,请一小时后再试。")})


def account_phone(account: Account) -> str:
    return cipher().decrypt(account.phone_enc)


@transaction.atomic
def do_submit_request(
    account: Account,
    *,
    item: ServiceItem,
    summary: str,
    name: str = "",
    photos: Sequence[UploadedFile] = (),
    client_token: str,
    address: str | None = None,
) -> OnlineRequest:
    """File a request online: a case of the account's community on the ``online``
    channel, with photos of materials. A retry with the same ``client_token`` returns
    the first request and creates nothing."""
    token = (client_token or "").strip()
    if not token or len(token) > 48:
        raise ValidationError({"item": _("表单已失效,请刷新页面后重新提交。")})
    existing = OnlineRequest.objects.select_related("case").filter(client_token=token).first()
    if existing is not None:
        if existing.account_id != account.pk:
            raise PermissionDenied
        return existing
    if account.resident_id is None and not account.community_chosen:
        raise ValidationError({"item": _("请先选择您所在的社区。")})
    if not access.items_for_account(account).filter(pk=item.pk).exists():
        raise ValidationError({"item": _("该事项不在本社区的服务目录中。")})
    if not item.public:
        raise ValidationError({"item": _("该事项不能网上申请,请到社区大厅办理或申请代办。")})
    summary, name = summary.strip(), name.strip()
    if not summary:
        raise ValidationError({"summary": _("请简要说明您要办理的事情。")})
    if len(summary) > 2000:
        raise ValidationError({"summary": _("说明不能超过 2000 字。")})
    if account.resident_id is None and not name:
        raise ValidationError({"name": _("请填写您的姓名。")})
    checked = check_photos(photos)
    now = timezone.now()
    where = address_index(address)
    _throttle_requests(account, where, now)
    text = summary
    if checked:
        text += "\n" + _("(网上申请附材料照片 %(n)s 张)") % {"n": len(checked)}
    phone = account_phone(account)
    if account.resident is not None:
        case = do_receive_case(
            None,
            unit=account.unit,
            item=item,
            channel=Channel.ONLINE,
            applicant_kind=ApplicantKind.RESIDENT,
            resident=account.resident,
            contact_phone=phone,
            summary=text,
            client_token=f"portal-{token}",
        )
    else:
        case = do_receive_case(
            None,
            unit=account.unit,
            item=item,
            channel=Channel.ONLINE,
            applicant_kind=ApplicantKind.CALLER,
            contact_name=name[:50],
            contact_phone=phone,
            summary=text,
            client_token=f"portal-{token}",
        )
    if account.resident is None and name and account.name != name[:50]:
        Account.objects.filter(pk=account.pk).update(name=name[:50])
    try:
        with transaction.atomic():
            request = OnlineRequest.objects.create(
                unit=case.unit,
                account=account,
                case=case,
                client_token=token,
                address_index=where,
                created_at=now,
            )
    except IntegrityError:  # a concurrent retry of the same submission won
        return OnlineRequest.objects.select_related("case").get(client_token=token)
    for upload, content_type, ext in checked:
        original = (upload.name or "").rsplit("/", 1)[-1][:200] or f"photo.{ext}"
        upload.name = f"{uuid.uuid4().hex}.{ext}"
        RequestPhoto.objects.create(
            unit=case.unit,
            request=request,
            file=upload,
            name=original,
            content_type=content_type,
            size=upload.size or 0,
        )
    payload = {"unit": case.unit.name, "item": item.name, "number": case.number or ""}
    enqueue(
        unit=case.unit,
        channel=MessageChannel.SMS,
        recipient=phone,
        kind="portal.submitted",
        text=TEXTS["portal.submitted"],
        payload=payload,
        dedupe_key=f"portal:request:{request.pk}:submitted",
    )
    for username in access.front_line_usernames(case.unit, access.REQUEST_ROLES):
        enqueue(
            unit=case.unit,
            channel=MessageChannel.STAFF,
            recipient=username,
            kind="portal.new_request",
            text=TEXTS["portal.new_request"],
            payload=payload,
            dedupe_key=f"portal:request:{request.pk}:{username}",
            link=case.get_absolute_url(),
        )
    record_event(
        None,
        PortalVerb.REQUEST_SUBMITTED,
        request,
        unit=case.unit,
        after={
            "account": account.pk,
            "case": case.pk,
            "number": case.number,
            "photos": len(checked),
        },
    )
    return request


# --- following and rating ------------------------------------------------------------------


def _own(account: Account, case: Case) -> None:
    if not access.cases_for_account(account).filter(pk=case.pk).exists():
        raise PermissionDenied


@transaction.atomic
def do_rate_request(
    account: Account,
    case: Case,
    *,
    grade: int,
    comment: str = "",
    criteria: dict[str, int] | None = None,
    client_token: str | None = None,
) -> Rating:
    """The resident rates a completed case of theirs online (好差评, the online criteria)."""
    _own(account, case)
    rating = do_rate_case(
        None,
        case,
        channel=RatingChannel.LINK,
        grade=grade,
        criteria=criteria,
        comment=comment,
        client_token=client_token,
    )
    record_event(
        None,
        PortalVerb.CASE_RATED,
        rating,
        unit=case.unit,
        after={"account": account.pk, "case": case.pk, "grade": grade},
    )
    return rating


@transaction.atomic
def do_appeal_rectification(account: Account, case: Case, *, reason: str) -> Appeal:
    """The resident does not accept the answer to the rectification of their bad rating:
    the community's leads and the township's officers are told to review it."""
    _own(account, case)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请说明您不认可整改答复的理由。")})
    rating = Rating.objects.filter(case=case).select_related("rectification").first()
    rect = getattr(rating, "rectification", None) if rating else None
    if rect is None or rect.status not in (RectificationStatus.REPLIED, RectificationStatus.DONE):
        raise ValidationError({"reason": _("整改答复后才能申请复核。")})
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                unit=case.unit, account=account, case=case, reason=reason[:2000]
            )
    except IntegrityError:
        raise ValidationError({"reason": _("您已对该办件申请过复核。")}) from None
    township = case.unit.parent_unit()
    staff = supervisors(case.unit)
    if township is not None:
        staff += officers_on(township)
    for username in sorted(set(staff)):
        enqueue(
            unit=case.unit,
            channel=MessageChannel.STAFF,
            recipient=username,
            kind="portal.appeal",
            text=TEXTS["portal.appeal"],
            payload={"number": case.number or "", "reason": reason[:200]},
            dedupe_key=f"portal:appeal:{appeal.pk}:{username}",
            link=case.get_absolute_url(),
        )
    record_event(
        None,
        PortalVerb.APPEALED,
        appeal,
        unit=case.unit,
        after={"account": account.pk, "case": case.pk},
    )
    return appeal


# --- full-process agency: a callback ---------------------------------------------------------


@transaction.atomic
def do_request_callback(
    account: Account,
    *,
    kind: str = CallbackKind.AGENCY,
    for_whom: str,
    person_name: str,
    phone: str,
    note: str = "",
    client_token: str,
) -> CallbackRequest:
    """Ask to be called back: by the community's agency station about full-process
    agency, or by its mediators about a dispute (``kind``)."""
    token = (client_token or "").strip()
    if not token or len(token) > 64:
        raise ValidationError({"person_name": _("表单已失效,请刷新页面后重新提交。")})
    existing = CallbackRequest.objects.filter(client_token=token).first()
    if existing is not None:
        if existing.account_id != account.pk:
            raise PermissionDenied
        return existing
    if account.unit.kind not in access.COMMUNITY_KINDS:
        raise ValidationError({"person_name": _("请先选择您所在的社区。")})
    errors = {}
    if kind not in CallbackKind.values:
        errors["for_whom"] = _("请选择回电类别。")
    if kind == CallbackKind.MEDIATION and not note.strip():
        errors["note"] = _("请简要说明纠纷情况。")
    if for_whom not in ForWhom.values:
        errors["for_whom"] = _("请选择为谁代办。")
    person_name = person_name.strip()
    if not person_name:
        errors["person_name"] = _("请填写需要代办的人的姓名。")
    try:
        number = normalise_mobile(phone or "")
    except ValueError:
        errors["phone"] = str(MSG_MOBILE)
    if errors:
        raise ValidationError(errors)
    open_count = CallbackRequest.objects.filter(account=account, status=CallbackStatus.OPEN).count()
    if open_count >= 3:
        raise ValidationError({"person_name": _("您已有 3 个待回电的请求,请等待代办员联系。")})
    callback = CallbackRequest.objects.create(
        unit=account.unit,
        account=account,
        kind=kind,
        for_whom=for_whom,
        person_name=person_name[:50],
        phone_enc=cipher().encrypt(number),
        phone_masked=mask_phone(number),
        key_id=cipher().current_key_id,
        note=note.strip()[:1000],
        client_token=token,
    )
    text_kind = "portal.mediation" if kind == CallbackKind.MEDIATION else "portal.callback"
    for username in access.front_line_usernames(account.unit, access.callback_roles(kind)):
        enqueue(
            unit=account.unit,
            channel=MessageChannel.STAFF,
            recipient=username,
            kind=text_kind,
            text=TEXTS[text_kind],
            payload={
                "name": callback.person_name,
                "for_whom": str(ForWhom(for_whom).label),
                "phone": callback.phone_masked,
            },
            dedupe_key=f"portal:callback:{callback.pk}:{username}",
        )
    record_event(
        None,
        PortalVerb.CALLBACK_REQUESTED,
        callback,
        unit=account.unit,
        after={
            "account": account.pk,
            "kind": kind,
            "for_whom": for_whom,
            "phone": callback.phone_masked,
        },
    )
    return callback


@transaction.atomic
def do_handle_callback(actor: User, callback: CallbackRequest, *, note: str) -> CallbackRequest:
    """An agent (or, for a dispute, a mediator) records that they called back."""
    require(
        actor,
        access.callback_roles(callback.kind),
        callback.unit,
        message=_("您的岗位无权处理此回电请求。"),
    )
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("请填写回电情况。")})
    now = timezone.now()
    before = transition(
        callback,
        [CallbackStatus.OPEN],
        fields=["status", "handled_at"],
        status=CallbackStatus.DONE,
        handled_at=now,
        handled_by=actor,
        handled_note=note[:1000],
    )
    enqueue(
        unit=callback.unit,
        channel=MessageChannel.SMS,
        recipient=account_phone(callback.account),
        kind="portal.callback_done",
        text=TEXTS[
            "portal.mediation_done"
            if callback.kind == CallbackKind.MEDIATION
            else "portal.callback_done"
        ],
        payload={"unit": callback.unit.name, "note": note[:200]},
        dedupe_key=f"portal:callback:{callback.pk}:done",
    )
    record_event(
        actor,
        PortalVerb.CALLBACK_HANDLED,
        callback,
        unit=callback.unit,
        before=before,
        after={"status": CallbackStatus.DONE},
    )
    return callback


# --- the worker's part ---------------------------------------------------------------------


def tidy_sign_in_codes(limit: int = 500) -> int:
    """Clear the text of sign-in messages once their code has expired (the outbox keeps
    every body; a code must not outlive its five minutes there), and delete codes older
    than a day (the throttles look back an hour, the lock half an hour). Returns how
    many rows it touched."""
    now = timezone.now()
    expired = now - dt.timedelta(seconds=settings.SHEQU_PORTAL_CODE_SECONDS)
    ids = list(
        Message.objects.filter(kind="portal.code", created_at__lt=expired)
        .exclude(body=PURGED_CODE_TEXT)
        .exclude(status="sending")
        .values_list("pk", flat=True)[:limit]
    )
    done = Message.objects.filter(pk__in=ids).update(body=PURGED_CODE_TEXT, payload={})
    old = list(
        SignInCode.objects.filter(created_at__lt=now - dt.timedelta(days=1)).values_list(
            "pk", flat=True
        )[:limit]
    )
    done += SignInCode.objects.filter(pk__in=old).delete()[0]
    return done
