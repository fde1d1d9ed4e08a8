"""State changes of affairs disclosure (居务公开). Each is one transaction: it checks
the actor, validates, writes the rows and an audit event.

A disclosure is submitted by the committee (text, table, attachments), reviewed by a
member of the community's supervision committee (approved or returned, the approval
recorded with who recorded it), then published — on the portal's community board and as
a poster for the physical board, whose photo is the evidence. Residents question a
disclosure; the committee answers within the community's ``answer_days``. A complaint
that a matter was not disclosed goes to the township (第三十一条), which closes it with
its findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.governance.access import GOVERNANCE_ROLES, TOWNSHIP_ROLES
from shequ.governance.disclosure_calendar import ensure_dues
from shequ.governance.messages import TEXTS
from shequ.governance.models import (
    CommitteeKind,
    CommitteeMember,
    ComplaintStatus,
    Disclosure,
    DisclosureComplaint,
    DisclosureDue,
    DisclosureFile,
    DisclosureFileKind,
    DisclosureItem,
    DisclosureQuestion,
    DisclosureSetting,
    DisclosureStatus,
    QuestionChannel,
)
from shequ.governance.verbs import GovernanceVerb
from shequ.notify.models import Channel
from shequ.notify.outbox import enqueue
from shequ.orgs.access import COMMUNITY_LEAD_ROLES
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.files import SHOWN_TYPES
from shequ.orgs.kit import escalate_once, require, transition, user_or_none
from shequ.orgs.models import OrgUnit, Post, Role, UnitKind, User

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TABLE_ROWS = 200
DEFAULT_ANSWER_DAYS = 10
# Overdue dues older than this are on the township's list, but not messaged again
# (a community joining the calendar with a backlog must not flood the township).
ESCALATE_WINDOW = dt.timedelta(days=92)
WRITERS = GOVERNANCE_ROLES
# The day this process last stored the current periods' dues (the worker loops often;
# the periods change once a day at most). A community joining stores its own at once.
_ENSURED: dict[str, Any] = {}
# Who is reminded of a due day: the community's leads and clerks.
COMMITTEE_ROLES = COMMUNITY_LEAD_ROLES | {Role.CLERK}


def _require(actor: User | None, unit: OrgUnit) -> None:
    require(actor, WRITERS, unit, message=_("您的岗位无权办理居务公开。"))


def check_file(upload: UploadedFile | None, field: str) -> None:
    """A PDF, JPEG or PNG of at most 10 MB, told by its first bytes."""
    if upload is None:
        raise ValidationError({field: _("请上传照片或文件。")})
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        raise ValidationError({field: _("文件不能超过 10 MB。")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic, _type, _ext in SHOWN_TYPES):
        raise ValidationError({field: _("只接受 PDF、JPG 或 PNG 格式的文件。")})


def parse_table(text: str) -> list[list[str]]:
    """A table typed or pasted from Excel: one row a line, cells split by tabs or ``|``."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        sep = "\t" if "\t" in line else "|"
        rows.append([cell.strip()[:200] for cell in line.strip().strip("|").split(sep)])
    if len(rows) > MAX_TABLE_ROWS:
        raise ValidationError({"table": _("表格最多 200 行。")})
    return rows


def setting_for(unit: OrgUnit) -> DisclosureSetting | None:
    return DisclosureSetting.objects.filter(unit=unit).first()


@transaction.atomic
def do_save_disclosure_setting(
    actor: User | None,
    unit: OrgUnit,
    *,
    adopted_on: dt.date,
    frequent_finance: bool = False,
    board_location: str = "",
    answer_days: int = DEFAULT_ANSWER_DAYS,
    remind_days: int = 5,
) -> DisclosureSetting:
    """Put a community on the calendar (or change its settings); its dues up to today
    are stored at once."""
    _require(actor, unit)
    if unit.kind != UnitKind.COMMUNITY:
        raise ValidationError({"unit": _("请选择一个社区(村)。")})
    if not 1 <= answer_days <= 60:
        raise ValidationError({"answer_days": _("答复期限须在1至60天之间。")})
    if not 0 <= remind_days <= 30:
        raise ValidationError({"remind_days": _("提醒天数须在0至30天之间。")})
    if not 2000 <= adopted_on.year <= 2100:
        raise ValidationError({"adopted_on": _("日期须在2000年至2100年之间。")})
    setting = setting_for(unit)
    before = snapshot(setting) if setting else None
    values = {
        "adopted_on": adopted_on,
        "frequent_finance": frequent_finance,
        "board_location": board_location.strip()[:200],
        "answer_days": answer_days,
        "remind_days": remind_days,
    }
    if setting is None:
        setting = DisclosureSetting.objects.create(unit=unit, **values)
    else:
        for k, v in values.items():
            setattr(setting, k, v)
        setting.save(update_fields=list(values))
    record_event(
        actor,
        GovernanceVerb.DISCLOSURE_SETTING_SAVED,
        setting,
        unit=unit,
        before=before,
        after=snapshot(setting),
    )
    ensure_dues([setting], timezone.localdate())
    return setting


# --- submitting, reviewing, publishing ------------------------------------------------------------


@transaction.atomic
def do_submit_disclosure(
    actor: User | None,
    *,
    unit: OrgUnit,
    item: DisclosureItem,
    title: str,
    body: str,
    due: DisclosureDue | None = None,
    table: Sequence[Sequence[str]] = (),
    attachments: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
    client_token: str | None = None,
) -> Disclosure:
    """The committee's draft goes to the supervision committee for review."""
    if client_token:
        found = Disclosure.objects.filter(client_token=client_token).first()
        if found is not None:
            return found
    _require(actor, unit)
    errors: dict[str, str] = {}
    if item.unit_id not in (None, unit.pk):
        errors["item"] = _("该公开事项不属于本社区。")
    if due is not None and (due.unit_id != unit.pk or due.item_id != item.pk):
        errors["due"] = _("期次与社区或公开事项不符。")
    if not title.strip():
        errors["title"] = _("请填写标题。")
    if not body.strip():
        errors["body"] = _("请填写公开内容。")
    if errors:
        raise ValidationError(errors)
    for n, upload in enumerate(attachments):
        check_file(upload, "attachments" if n == 0 else f"attachments_{n}")
    now = at or timezone.now()
    try:
        with transaction.atomic():
            disclosure = Disclosure.objects.create(
                unit=unit,
                item=item,
                due=due,
                title=title.strip()[:200],
                body=body.strip(),
                table=[list(map(str, row)) for row in table][:MAX_TABLE_ROWS],
                created_at=now,
                created_by=user_or_none(actor),
                client_token=client_token or None,
            )
    except IntegrityError:
        return Disclosure.objects.get(client_token=client_token)
    for upload in attachments:
        DisclosureFile.objects.create(
            disclosure=disclosure,
            kind=DisclosureFileKind.ATTACHMENT,
            file=upload,
            name=(upload.name or "")[:200],
            uploaded_by=user_or_none(actor),
        )
    record_event(
        actor,
        GovernanceVerb.DISCLOSURE_SUBMITTED,
        disclosure,
        unit=unit,
        after=snapshot(disclosure),
    )
    return disclosure


def supervisors(unit: OrgUnit, day: dt.date | None = None) -> list[CommitteeMember]:
    """The serving members of the community's supervision committee (村(居)务监督委员会)."""
    day = day or timezone.localdate()
    return list(
        CommitteeMember.objects.filter(
            committee__unit=unit,
            committee__kind=CommitteeKind.SUPERVISION,
            committee__ended_on__isnull=True,
            committee__elected_on__lte=day,
            started_on__lte=day,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("resident")
        .order_by("post", "pk")
    )


@transaction.atomic
def do_review_disclosure(
    actor: User | None,
    disclosure: Disclosure,
    *,
    reviewer: CommitteeMember,
    approve: bool,
    note: str = "",
    at: dt.datetime | None = None,
) -> Disclosure:
    """A supervision-committee member approves the disclosure or returns it with a
    reason. The member signs in and reviews, or the committee's staff records the
    member's signed review (``review_recorded_by`` says who)."""
    unit = disclosure.unit
    now = at or timezone.now()
    if actor is not None and not (reviewer.user_id and reviewer.user_id == actor.pk):
        _require(actor, unit)
    if reviewer.pk not in {m.pk for m in supervisors(unit, timezone.localtime(now).date())}:
        raise ValidationError({"reviewer": _("审核人须是本社区(村)现任监督委员会成员。")})
    if not approve and not note.strip():
        raise ValidationError({"note": _("退回修改须写明理由。")})
    before = transition(
        disclosure,
        [DisclosureStatus.SUBMITTED],
        status=DisclosureStatus.APPROVED if approve else DisclosureStatus.RETURNED,
        reviewer=reviewer,
        reviewed_at=now,
        review_note=note.strip()[:500],
        review_recorded_by=user_or_none(actor),
    )
    record_event(
        actor,
        GovernanceVerb.DISCLOSURE_REVIEWED,
        disclosure,
        unit=unit,
        before=before,
        after=snapshot(disclosure),
    )
    return disclosure


@transaction.atomic
def do_resubmit_disclosure(
    actor: User | None, disclosure: Disclosure, *, title: str, body: str, table: Sequence[Any]
) -> Disclosure:
    """A returned disclosure, corrected, goes back for review."""
    _require(actor, disclosure.unit)
    if not title.strip() or not body.strip():
        raise ValidationError({"body": _("请填写标题和公开内容。")})
    before = transition(
        disclosure,
        [DisclosureStatus.RETURNED],
        status=DisclosureStatus.SUBMITTED,
        title=title.strip()[:200],
        body=body.strip(),
        table=[list(map(str, row)) for row in table][:MAX_TABLE_ROWS],
    )
    record_event(
        actor,
        GovernanceVerb.DISCLOSURE_SUBMITTED,
        disclosure,
        unit=disclosure.unit,
        before=before,
        after=snapshot(disclosure),
    )
    return disclosure


@transaction.atomic
def do_publish_disclosure(
    actor: User | None, disclosure: Disclosure, *, at: dt.datetime | None = None
) -> Disclosure:
    """Only an approved disclosure goes out: on the portal's board from now, and its
    poster is printed for the physical board."""
    _require(actor, disclosure.unit)
    now = at or timezone.now()
    before = transition(
        disclosure,
        [DisclosureStatus.APPROVED],
        status=DisclosureStatus.PUBLISHED,
        published_at=now,
        published_on=timezone.localtime(now).date(),
        published_by=user_or_none(actor),
    )
    record_event(
        actor,
        GovernanceVerb.DISCLOSURE_PUBLISHED,
        disclosure,
        unit=disclosure.unit,
        before=before,
        after=snapshot(disclosure),
    )
    return disclosure


@transaction.atomic
def do_add_board_photo(
    actor: User | None, disclosure: Disclosure, upload: UploadedFile, *, taken_on: dt.date
) -> DisclosureFile:
    """The photo of the poster on the community's board: the evidence it was posted."""
    _require(actor, disclosure.unit)
    if disclosure.status != DisclosureStatus.PUBLISHED:
        raise ValidationError({"photo": _("公布后才能上传张贴照片。")})
    if disclosure.published_on and taken_on < disclosure.published_on:
        raise ValidationError({"taken_on": _("张贴日期不能早于公布日期。")})
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("张贴日期不能晚于今天。")})
    check_file(upload, "photo")
    row = DisclosureFile.objects.create(
        disclosure=disclosure,
        kind=DisclosureFileKind.BOARD_PHOTO,
        file=upload,
        name=(upload.name or "")[:200],
        taken_on=taken_on,
        uploaded_by=user_or_none(actor),
    )
    record_event(
        actor, GovernanceVerb.DISCLOSURE_PHOTO_ADDED, row, unit=disclosure.unit, after=snapshot(row)
    )
    return row


# --- questions and complaints ----------------------------------------------------------------------


@transaction.atomic
def do_ask_question(
    actor: User | None,
    disclosure: Disclosure,
    *,
    asker: str,
    text: str,
    channel: str = QuestionChannel.PORTAL,
    asker_ref: str = "",
    at: dt.datetime | None = None,
    client_token: str | None = None,
) -> DisclosureQuestion:
    """A resident questions a published disclosure: on the portal (``actor`` None, the
    portal passes its account as ``asker_ref``) or on paper, recorded by staff."""
    if client_token:
        found = DisclosureQuestion.objects.filter(client_token=client_token).first()
        if found is not None:
            return found
    if channel == QuestionChannel.PAPER or actor is not None:
        _require(actor, disclosure.unit)
    if channel not in QuestionChannel.values:
        raise ValidationError({"channel": _("渠道无效。")})
    if disclosure.status != DisclosureStatus.PUBLISHED:
        raise ValidationError({"text": _("只能质询已公布的内容。")})
    errors = {}
    if not asker.strip():
        errors["asker"] = _("请填写质询人姓名。")
    if not text.strip():
        errors["text"] = _("请写明要质询的内容。")
    if errors:
        raise ValidationError(errors)
    now = at or timezone.now()
    setting = setting_for(disclosure.unit)
    days = setting.answer_days if setting else DEFAULT_ANSWER_DAYS
    question = DisclosureQuestion.objects.create(
        unit=disclosure.unit,
        disclosure=disclosure,
        asker=asker.strip()[:50],
        asker_ref=asker_ref[:40],
        channel=channel,
        text=text.strip()[:5000],
        asked_at=now,
        answer_due_on=timezone.localtime(now).date() + dt.timedelta(days=days),
        client_token=client_token or None,
    )
    record_event(
        actor,
        GovernanceVerb.DISCLOSURE_QUESTIONED,
        question,
        unit=disclosure.unit,
        after=snapshot(question, ["disclosure", "channel", "asked_at", "answer_due_on"]),
    )
    return question


@transaction.atomic
def do_answer_question(
    actor: User | None, question: DisclosureQuestion, answer: str, *, at: dt.datetime | None = None
) -> DisclosureQuestion:
    _require(actor, question.unit)
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复。")})
    now = at or timezone.now()
    claimed = DisclosureQuestion.objects.filter(pk=question.pk, answered_at__isnull=True).update(
        answer=answer.strip()[:5000],
        answered_at=now,
        answered_on=timezone.localtime(now).date(),
        answered_by=user_or_none(actor),
    )
    if not claimed:
        raise ValidationError({"answer": _("该质询已答复。")})
    question.refresh_from_db()
    record_event(
        actor,
        GovernanceVerb.DISCLOSURE_ANSWERED,
        question,
        unit=question.unit,
        after=snapshot(question, ["answered_at", "answer_due_on"]),
    )
    return question


@transaction.atomic
def do_file_complaint(
    actor: User | None,
    *,
    unit: OrgUnit,
    complainant: str,
    text: str,
    received_on: dt.date,
    due: DisclosureDue | None = None,
    question: DisclosureQuestion | None = None,
) -> DisclosureComplaint:
    """第三十一条: the township records a resident's report that the community did not
    disclose (or not truthfully, or did not answer a question)."""
    township = unit.parent_unit()
    if township is None:
        raise ValidationError({"unit": _("该社区没有上级乡镇(街道)。")})
    require(actor, TOWNSHIP_ROLES, unit, message=_("举报由乡镇(街道)或县级人民政府受理。"))
    errors = {}
    if not complainant.strip():
        errors["complainant"] = _("请填写举报人。")
    if not text.strip():
        errors["text"] = _("请填写举报内容。")
    if received_on > timezone.localdate():
        errors["received_on"] = _("收到日期不能晚于今天。")
    if due is not None and due.unit_id != unit.pk:
        errors["due"] = _("期次不属于该社区。")
    if question is not None and question.unit_id != unit.pk:
        errors["question"] = _("质询不属于该社区。")
    if errors:
        raise ValidationError(errors)
    complaint = DisclosureComplaint.objects.create(
        unit=unit,
        township=township,
        due=due,
        question=question,
        complainant=complainant.strip()[:50],
        text=text.strip()[:5000],
        received_on=received_on,
        recorded_by=user_or_none(actor),
    )
    record_event(
        actor,
        GovernanceVerb.DISCLOSURE_COMPLAINT_FILED,
        complaint,
        unit=unit,
        after=snapshot(complaint, ["township", "due", "question", "received_on"]),
    )
    return complaint


@transaction.atomic
def do_close_complaint(
    actor: User | None, complaint: DisclosureComplaint, *, outcome: str, closed_on: dt.date
) -> DisclosureComplaint:
    require(actor, TOWNSHIP_ROLES, complaint.unit, message=_("须由乡镇(街道)办结。"))
    if not outcome.strip():
        raise ValidationError({"outcome": _("请填写调查核实结果。")})
    if closed_on < complaint.received_on:
        raise ValidationError({"closed_on": _("办结日期不能早于收到日期。")})
    before = transition(
        complaint,
        [ComplaintStatus.OPEN],
        status=ComplaintStatus.CLOSED,
        outcome=outcome.strip()[:5000],
        closed_on=closed_on,
    )
    record_event(
        actor,
        GovernanceVerb.DISCLOSURE_COMPLAINT_CLOSED,
        complaint,
        unit=complaint.unit,
        before=before,
        after=snapshot(complaint, ["status", "closed_on"]),
    )
    return complaint


# --- the worker: reminders before the due day, the township told of overdue ones ----------------


def _published() -> Exists:
    return Exists(Disclosure.objects.filter(due=OuterRef("pk"), status=DisclosureStatus.PUBLISHED))


def _usernames(q: Q) -> list[str]:
    return sorted(set(Post.objects.active().filter(q).values_list("user__username", flat=True)))


def _tell(due: DisclosureDue, kind: str, recipients: list[str], tag: str) -> None:
    payload = {
        "unit": due.unit.name,
        "item": due.item.title,
        "period": due.key if not due.resolution_id else f"{due.period_start:%Y-%m-%d}",
        "due": f"{due.due_on:%Y-%m-%d}",
    }
    link = f"/governance/disclosure/units/{due.unit_id}/"
    for username in recipients:
        enqueue(
            unit=due.unit,
            channel=Channel.STAFF,
            recipient=username,
            kind=kind,
            text=TEXTS[kind],
            payload=payload,
            dedupe_key=f"governance:disclosure:{tag}:{due.pk}:{due.due_on.isoformat()}:{username}",
            link=link,
        )


def remind_disclosures(today: dt.date | None = None, limit: int = 100) -> int:
    """Store the dues of the current periods, remind each community's committee before a
    due day and tell the township of a disclosure overdue; once per due date each (a
    worker task)."""
    today = today or timezone.localdate()
    settings = list(DisclosureSetting.objects.select_related("unit"))
    if not settings:
        return 0
    if _ENSURED.get("day") != today or _ENSURED.get("n") != len(settings):
        ensure_dues(settings, today, since=today - dt.timedelta(days=45))
        _ENSURED.update(day=today, n=len(settings))

    def remind(due: DisclosureDue, when: dt.date) -> None:
        who = _usernames(Q(unit=due.unit, role__in=COMMITTEE_ROLES))
        _tell(due, "governance.disclosure_due", who, "remind")
        record_event(None, GovernanceVerb.DISCLOSURE_REMINDED, due, unit=due.unit,
                     after={"due_on": when})  # fmt: skip

    def escalate(due: DisclosureDue, when: dt.date) -> None:
        township = due.unit.parent_unit()
        who = _usernames(Q(unit=township, role=Role.TOWNSHIP_OFFICER)) if township else []
        _tell(due, "governance.disclosure_overdue", who, "overdue")
        record_event(None, GovernanceVerb.DISCLOSURE_ESCALATED, due, unit=due.unit,
                     after={"due_on": when})  # fmt: skip

    done = 0
    unpublished = DisclosureDue.objects.exclude(_published()).select_related("unit", "item")
    for days in sorted({s.remind_days for s in settings}):
        units = [s.unit_id for s in settings if s.remind_days == days]
        done += escalate_once(
            unpublished.filter(
                unit_id__in=units, due_on__gte=today, due_on__lte=today + dt.timedelta(days=days)
            ),
            due_field="due_on",
            marker_field="reminded_for",
            handle=remind,
            limit=limit,
        )
    done += escalate_once(
        unpublished.filter(
            unit_id__in=[s.unit_id for s in settings],
            due_on__lt=today,
            due_on__gte=today - ESCALATE_WINDOW,
        ),
        due_field="due_on",
        marker_field="escalated_for",
        handle=escalate,
        limit=limit,
    )
    return done
