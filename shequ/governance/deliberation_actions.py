"""The steps of deliberation (协商议事), each one transaction with its audit event.

The procedure (《关于加强城乡社区协商的意见》 as local practice applies it)::

    proposed ─accept→ accepted ─notice→ noticed ─consult→ consulted ─decide→ decided
        └decline→ declined (the reason goes to the proposer)
    decided (agreed) ─[major: link the meeting resolution]─start→ implementing
    implementing ─feedback→ fed_back ─supervise→ supervised
    decided (not agreed / referred) ─feedback→ fed_back

Each step is a conditional update (``orgs.kit.transition``): of two clerks acting at
once, one wins. Results of an agreed outcome are followed by milestones; each milestone
is told to the proposer and the consultation's participants by SMS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.governance.access import GOVERNANCE_ROLES
from shequ.governance.deliberation_access import may_propose
from shequ.governance.deliberation_messages import TEXTS
from shequ.governance.models import (
    Consultation,
    ConsultationForm,
    Milestone,
    Outcome,
    Participant,
    Resolution,
    Result,
    Topic,
    TopicComment,
    TopicSource,
    TopicStatus,
    TopicSupport,
)
from shequ.governance.verbs import DeliberationVerb
from shequ.lib.masking import mask_phone
from shequ.lib.phone import normalise_mobile
from shequ.notify.models import Channel
from shequ.notify.outbox import enqueue
from shequ.orgs.access import COMMUNITY_LEAD_ROLES
from shequ.orgs.crypto import cipher, decrypt_or_blank
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.files import SHOWN_TYPES
from shequ.orgs.kit import require, transition, user_or_none
from shequ.orgs.models import OrgUnit, Post, UnitKind, User
from shequ.people.crypto import phone_index
from shequ.people.models import ResidentUnit

PHOTO_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {magic: ext for magic, shown, ext in SHOWN_TYPES if shown.startswith("image/")}


def _require(actor: User | None, unit: OrgUnit) -> None:
    require(actor, GOVERNANCE_ROLES, unit, message=_("您的岗位无权办理协商议事。"))


def _by_token(model: Any, token: str | None) -> Any:
    return model.objects.filter(client_token=token).first() if token else None


def _check_day(field: str, day: dt.date) -> None:
    if not 1990 <= day.year <= 2100:
        raise ValidationError({field: _("日期须在1990年至2100年之间。")})


def _contact(raw: str, field: str = "contact") -> tuple[str, str]:
    """(ciphertext, masked) of a mobile number, or blanks when none was given."""
    if not raw.strip():
        return "", ""
    try:
        phone = normalise_mobile(raw)
    except ValueError:
        raise ValidationError({field: _("请输入11位手机号码。")}) from None
    return cipher().encrypt(phone), mask_phone(phone)


def _text(field: str, value: str, limit: int = 5000) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("此项必填。")})
    if len(value) > limit:
        raise ValidationError({field: _("不能超过 %(n)s 个字。") % {"n": limit}})
    return value


def _sms(
    topic: Topic, kind: str, payload: dict[str, Any], *, to_participants: bool, tag: str
) -> None:
    """Tell the proposer (and the participants) by SMS; each number once per ``tag``."""
    tokens = [topic.contact_enc]
    if to_participants:
        tokens += list(
            Participant.objects.filter(consultation__topic=topic)
            .exclude(contact_enc="")
            .values_list("contact_enc", flat=True)
        )
    phones = sorted({p for p in (decrypt_or_blank(t) for t in tokens) if p})
    for phone in phones:
        enqueue(
            unit=topic.unit,
            channel=Channel.SMS,
            recipient=phone,
            kind=kind,
            text=TEXTS[kind],
            payload={**payload, "topic": topic.pk, "unit": topic.unit.name, "title": topic.title},
            dedupe_key=f"governance:{tag}:{cipher().blind_index(phone, purpose='deliberation')}",
        )


def _leads(unit: OrgUnit) -> list[str]:
    return sorted(
        set(
            Post.objects.active()
            .filter(unit=unit, role__in=COMMUNITY_LEAD_ROLES)
            .values_list("user__username", flat=True)
        )
    )


# --- proposing ---------------------------------------------------------------------------


@transaction.atomic
def do_propose_topic(
    actor: User | None,
    *,
    unit: OrgUnit,
    title: str,
    description: str,
    source: str,
    proposer_name: str,
    concerned: str,
    major: bool = False,
    resident_unit: ResidentUnit | None = None,
    contact: str = "",
    proposer_key: str = "",
    client_token: str | None = None,
) -> Topic:
    """A topic, proposed by a resident on the portal (``actor`` None, ``proposer_key``
    their account's phone index) or filed by staff (on a resident's behalf too)."""
    if (existing := _by_token(Topic, client_token)) is not None:
        return existing
    if unit.kind != UnitKind.COMMUNITY:
        raise ValidationError({"unit": _("请选择一个社区(村)。")})
    if actor is not None and not may_propose(actor, unit):
        raise PermissionDenied(_("您的岗位无权在该社区登记协商议题。"))
    if source not in TopicSource.values:
        raise ValidationError({"source": _("提出方无效。")})
    if source == TopicSource.RESIDENT_UNIT:
        if resident_unit is None:
            raise ValidationError({"resident_unit": _("驻区单位提出的议题须选择单位。")})
        if resident_unit.community_id != unit.pk:
            raise ValidationError({"resident_unit": _("该单位不在本社区。")})
    contact_enc, contact_masked = _contact(contact)
    if contact_enc and not proposer_key:  # filed on a resident's behalf: theirs on the portal
        proposer_key = phone_index(decrypt_or_blank(contact_enc))
    topic = Topic(
        unit=unit,
        title=_text("title", title, 200),
        description=_text("description", description),
        source=source,
        proposer_name=_text("proposer_name", proposer_name or "", 100),
        resident_unit=resident_unit if source == TopicSource.RESIDENT_UNIT else None,
        proposer_key=proposer_key,
        contact_enc=contact_enc,
        contact_masked=contact_masked,
        filed_by=user_or_none(actor),
        concerned=_text("concerned", concerned),
        major=major,
        client_token=client_token or None,
    )
    try:
        with transaction.atomic():
            topic.save()
    except IntegrityError:
        return Topic.objects.get(client_token=client_token)
    record_event(actor, DeliberationVerb.TOPIC_PROPOSED, topic, unit=unit, after=snapshot(topic))
    for username in _leads(unit):
        enqueue(
            unit=unit,
            channel=Channel.STAFF,
            recipient=username,
            kind="governance.topic_new",
            text=TEXTS["governance.topic_new"],
            payload={"title": topic.title, "source": topic.get_source_display()},
            dedupe_key=f"governance:topic_new:{topic.pk}:{username}",
            link=topic.get_absolute_url(),
        )
    return topic


# --- the procedure ---------------------------------------------------------------------------


def _step(
    actor: User | None,
    topic: Topic,
    verb: DeliberationVerb,
    allowed: Sequence[str],
    where: Q | None = None,
    **changes: Any,
) -> Topic:
    _require(actor, topic.unit)
    before = transition(topic, allowed, where=where, **changes)
    record_event(actor, verb, topic, unit=topic.unit, before=before, after=snapshot(topic))
    return topic


@transaction.atomic
def do_accept_topic(actor: User | None, topic: Topic) -> Topic:
    _step(
        actor,
        topic,
        DeliberationVerb.TOPIC_ACCEPTED,
        [TopicStatus.PROPOSED],
        status=TopicStatus.ACCEPTED,
        accepted_at=timezone.now(),
    )
    _sms(topic, "governance.topic_accepted", {}, to_participants=False, tag=f"accepted:{topic.pk}")
    return topic


@transaction.atomic
def do_decline_topic(actor: User | None, topic: Topic, *, reason: str) -> Topic:
    reason = _text("reason", reason, 1000)
    _step(
        actor,
        topic,
        DeliberationVerb.TOPIC_DECLINED,
        [TopicStatus.PROPOSED],
        status=TopicStatus.DECLINED,
        decline_reason=reason,
    )
    _sms(
        topic,
        "governance.topic_declined",
        {"reason": reason},
        to_participants=False,
        tag=f"declined:{topic.pk}",
    )
    return topic


@transaction.atomic
def do_notice_topic(actor: User | None, topic: Topic, *, text: str, notice_on: dt.date) -> Topic:
    """Prior notice to those concerned (协商预告): what, when, where, who may take part."""
    _check_day("notice_on", notice_on)
    return _step(
        actor,
        topic,
        DeliberationVerb.TOPIC_NOTICED,
        [TopicStatus.ACCEPTED],
        status=TopicStatus.NOTICED,
        notice_text=_text("text", text),
        notice_on=notice_on,
    )


@dataclass(frozen=True)
class ParticipantIn:
    name: str
    capacity: str
    position: str = ""
    contact: str = ""


@transaction.atomic
def do_record_consultation(
    actor: User | None,
    topic: Topic,
    *,
    form: str,
    held_on: dt.date,
    place: str,
    record: str,
    participants: Sequence[ParticipantIn],
    client_token: str | None = None,
) -> Consultation:
    """A consultation in one of the recognised forms, after the prior notice."""
    if (existing := _by_token(Consultation, client_token)) is not None:
        return existing
    _require(actor, topic.unit)
    if form not in ConsultationForm.values:
        raise ValidationError({"form": _("协商形式无效。")})
    _check_day("held_on", held_on)
    if topic.notice_on is not None and held_on < topic.notice_on:
        raise ValidationError({"held_on": _("协商日期不能早于预告日期。")})
    people = [p for p in participants if p.name.strip()]
    if not people:
        raise ValidationError({"participants": _("请至少登记一名参与人。")})
    rows = []
    for p in people:
        enc, masked = _contact(p.contact, "participants")
        rows.append(
            Participant(
                name=_text("participants", p.name, 50),
                capacity=_text("participants", p.capacity or "", 50),
                position=(p.position or "").strip()[:2000],
                contact_enc=enc,
                contact_masked=masked,
            )
        )
    before = transition(
        topic, [TopicStatus.NOTICED, TopicStatus.CONSULTED], status=TopicStatus.CONSULTED
    )
    consultation = Consultation.objects.create(
        topic=topic,
        form=form,
        held_on=held_on,
        place=_text("place", place, 200),
        record=_text("record", record, 20000),
        recorded_by=user_or_none(actor),
        client_token=client_token or None,
    )
    for row in rows:
        row.consultation = consultation
    Participant.objects.bulk_create(rows)
    record_event(
        actor,
        DeliberationVerb.CONSULTATION_RECORDED,
        topic,
        unit=topic.unit,
        before=before,
        after={
            **snapshot(consultation),
            "participants": [f"{r.name}({r.capacity})" for r in rows],
        },
    )
    return consultation


@transaction.atomic
def do_decide_outcome(
    actor: User | None,
    topic: Topic,
    *,
    outcome: str,
    text: str,
    decided_on: dt.date,
    referred_to: str = "",
) -> Topic:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("协商结果无效。")})
    _check_day("decided_on", decided_on)
    referred_to = referred_to.strip()
    if outcome == Outcome.REFERRED and not referred_to:
        raise ValidationError({"referred_to": _("请填写提交至哪一级或哪个部门。")})
    last = topic.consultations.order_by("-held_on").values_list("held_on", flat=True).first()
    if last is not None and decided_on < last:
        raise ValidationError({"decided_on": _("形成结果日期不能早于协商日期。")})
    _step(
        actor,
        topic,
        DeliberationVerb.OUTCOME_DECIDED,
        [TopicStatus.CONSULTED],
        status=TopicStatus.DECIDED,
        outcome=outcome,
        outcome_text=_text("text", text),
        decided_on=decided_on,
        referred_to=referred_to[:100] if outcome == Outcome.REFERRED else "",
    )
    _sms(
        topic,
        "governance.topic_outcome",
        {"outcome": topic.get_outcome_display(), "text": topic.outcome_text[:200]},
        to_participants=True,
        tag=f"outcome:{topic.pk}",
    )
    return topic


@transaction.atomic
def do_link_resolution(actor: User | None, topic: Topic, resolution: Resolution) -> Topic:
    """A major matter goes to the residents' (villagers') or representatives' meeting:
    the agreed outcome links the resolution that decided it."""
    if resolution.unit_id != topic.unit_id:
        raise ValidationError({"resolution": _("决议须是本社区会议的决议。")})
    if not resolution.passed:
        raise ValidationError({"resolution": _("该决议未获通过。")})
    return _step(
        actor,
        topic,
        DeliberationVerb.RESOLUTION_LINKED,
        [TopicStatus.DECIDED, TopicStatus.IMPLEMENTING],
        where=Q(outcome=Outcome.AGREED),
        resolution=resolution,
    )


@transaction.atomic
def do_start_implementation(actor: User | None, topic: Topic) -> Topic:
    if topic.outcome != Outcome.AGREED:
        raise ValidationError({"status": _("只有达成一致的协商结果才组织实施。")})
    if topic.major and topic.resolution_id is None:
        raise ValidationError(
            {"resolution": _("重大事项须经村(居)民会议或代表会议表决,请先关联会议决议。")}
        )
    where = Q(outcome=Outcome.AGREED)
    if topic.major:
        where &= Q(resolution__isnull=False)
    return _step(
        actor,
        topic,
        DeliberationVerb.IMPLEMENTATION_STARTED,
        [TopicStatus.DECIDED],
        where=where,
        status=TopicStatus.IMPLEMENTING,
    )


@transaction.atomic
def do_give_feedback(actor: User | None, topic: Topic, *, text: str, on: dt.date) -> Topic:
    """Feedback to residents: how an agreed outcome was carried out, or why the matter
    was not agreed or where it was referred."""
    _check_day("on", on)
    text = _text("text", text)
    if topic.status == TopicStatus.IMPLEMENTING and not topic.results.exists():
        raise ValidationError({"text": _("请先登记落实事项及其进展。")})
    _step(
        actor,
        topic,
        DeliberationVerb.FEEDBACK_GIVEN,
        [TopicStatus.IMPLEMENTING, TopicStatus.DECIDED],
        where=Q(status=TopicStatus.IMPLEMENTING) | ~Q(outcome=Outcome.AGREED),
        status=TopicStatus.FED_BACK,
        feedback_text=text,
        fed_back_on=on,
    )
    _sms(
        topic,
        "governance.topic_feedback",
        {"text": text[:200]},
        to_participants=True,
        tag=f"feedback:{topic.pk}",
    )
    return topic


@transaction.atomic
def do_supervise_topic(actor: User | None, topic: Topic, *, text: str, on: dt.date) -> Topic:
    """The supervision committee's opinion on how the outcome was carried out."""
    _check_day("on", on)
    return _step(
        actor,
        topic,
        DeliberationVerb.TOPIC_SUPERVISED,
        [TopicStatus.FED_BACK],
        status=TopicStatus.SUPERVISED,
        supervision_text=_text("text", text),
        supervised_on=on,
    )


# --- results and milestones ----------------------------------------------------------------


@transaction.atomic
def do_add_result(
    actor: User | None,
    topic: Topic,
    *,
    title: str,
    responsible: str,
    due_on: dt.date,
    post: Post | None = None,
    parent: Result | None = None,
    client_token: str | None = None,
) -> Result:
    if (existing := _by_token(Result, client_token)) is not None:
        return existing
    _require(actor, topic.unit)
    if topic.outcome != Outcome.AGREED or topic.status not in (
        TopicStatus.DECIDED,
        TopicStatus.IMPLEMENTING,
    ):
        raise ValidationError({"title": _("只有达成一致、尚未反馈的协商结果才登记落实事项。")})
    _check_day("due_on", due_on)
    if parent is not None and parent.topic_id != topic.pk:
        raise ValidationError({"parent": _("上级成果须属于同一议题。")})
    if post is not None and not post.unit.path.startswith(topic.unit.path[:8]):
        raise ValidationError({"post": _("责任人岗位须在本县市。")})
    result = Result.objects.create(
        topic=topic,
        parent=parent,
        title=_text("title", title, 200),
        responsible=_text("responsible", responsible, 100),
        post=post,
        due_on=due_on,
        client_token=client_token or None,
    )
    record_event(
        actor, DeliberationVerb.RESULT_ADDED, result, unit=topic.unit, after=snapshot(result)
    )
    return result


def check_photo(photo: UploadedFile | None) -> None:
    """A milestone photo is a JPEG or PNG (told by its bytes) of at most 5 MB."""
    if photo is None:
        return
    if (photo.size or 0) > PHOTO_BYTES:
        raise ValidationError({"photo": _("照片不能超过 5 MB。")})
    head = photo.read(8)
    photo.seek(0)
    if not any(head.startswith(magic) for magic in IMAGE_TYPES):
        raise ValidationError({"photo": _("请上传 JPG 或 PNG 照片。")})


@transaction.atomic
def do_record_milestone(
    actor: User | None,
    result: Result,
    *,
    happened_on: dt.date,
    text: str,
    progress: int,
    photo: UploadedFile | None = None,
    client_token: str | None = None,
) -> Milestone:
    """A step of a result: its date, what was done, the progress reached (never less than
    before) and a photo; the proposer and the participants are told."""
    if (existing := _by_token(Milestone, client_token)) is not None:
        return existing
    topic = result.topic
    _require(actor, topic.unit)
    if topic.status != TopicStatus.IMPLEMENTING:
        raise ValidationError({"progress": _("议题进入组织实施后才能登记进展。")})
    _check_day("happened_on", happened_on)
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("进度须在0到100之间。")})
    check_photo(photo)
    text = _text("text", text)
    if progress < result.progress:
        raise ValidationError(
            {"progress": _("进度不能低于上次登记的 %(n)s%%。") % {"n": result.progress}}
        )
    before = transition(
        result,
        [str(p) for p in range(progress + 1)],  # not gone further meanwhile
        field="progress",
        progress=progress,
        completed_on=happened_on if progress == 100 else None,
    )
    milestone = Milestone(
        result=result,
        happened_on=happened_on,
        text=text,
        progress=progress,
        recorded_by=user_or_none(actor),
        client_token=client_token or None,
    )
    if photo is not None:
        milestone.photo.save(f"milestone.{_ext(photo)}", photo, save=False)
    milestone.save()
    record_event(
        actor,
        DeliberationVerb.MILESTONE_RECORDED,
        result,
        unit=topic.unit,
        before=before,
        after={**snapshot(result), "milestone": snapshot(milestone)},
    )
    _sms(
        topic,
        "governance.topic_milestone",
        {"result": result.title, "progress": progress, "text": text[:200]},
        to_participants=True,
        tag=f"milestone:{milestone.pk}",
    )
    return milestone


def _ext(photo: UploadedFile) -> str:
    head = photo.read(8)
    photo.seek(0)
    return next((ext for magic, ext in IMAGE_TYPES.items() if head.startswith(magic)), "bin")


# --- support and comments ------------------------------------------------------------------


def _open_to_residents(topic: Topic) -> None:
    if topic.status in (TopicStatus.PROPOSED, TopicStatus.DECLINED):
        raise ValidationError({"topic": _("该议题尚未受理。")})


@transaction.atomic
def do_support_topic(topic: Topic, *, supporter_key: str) -> bool:
    """A resident supports a topic, once; returns whether this was a new support."""
    _open_to_residents(topic)
    if not supporter_key:
        raise ValidationError({"topic": _("请先登录。")})
    try:
        with transaction.atomic():
            TopicSupport.objects.create(topic=topic, supporter_key=supporter_key)
    except IntegrityError:
        return False
    record_event(None, DeliberationVerb.TOPIC_SUPPORTED, topic, unit=topic.unit)
    return True


@transaction.atomic
def do_comment_topic(
    actor: User | None,
    topic: Topic,
    *,
    author_name: str,
    text: str,
    author_key: str = "",
    client_token: str | None = None,
) -> TopicComment:
    if (existing := _by_token(TopicComment, client_token)) is not None:
        return existing
    _open_to_residents(topic)
    comment = TopicComment.objects.create(
        topic=topic,
        author_name=_text("author_name", author_name, 50),
        author_key=author_key,
        text=_text("text", text, 2000),
        client_token=client_token or None,
    )
    record_event(
        actor, DeliberationVerb.COMMENT_POSTED, comment, unit=topic.unit, after=snapshot(comment)
    )
    return comment


@transaction.atomic
def do_hide_comment(actor: User | None, comment: TopicComment, *, reason: str) -> TopicComment:
    """The committee hides a comment; the comment and the reason stay on record."""
    _require(actor, comment.topic.unit)
    reason = _text("reason", reason, 200)
    if comment.hidden:
        raise ValidationError({"reason": _("该评论已被隐藏。")})
    before = transition(
        comment,
        ["False"],
        field="hidden",
        hidden=True,
        hidden_reason=reason,
        hidden_by=user_or_none(actor),
        hidden_at=timezone.now(),
    )
    record_event(
        actor,
        DeliberationVerb.COMMENT_HIDDEN,
        comment,
        unit=comment.topic.unit,
        before=before,
        after=snapshot(comment),
    )
    return comment
