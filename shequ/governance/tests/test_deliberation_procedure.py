"""A topic's procedure: accepted or declined with a reason the proposer is sent, prior
notice before the consultation, outcome, a major matter needs its meeting resolution,
results with milestones told to the proposer and the participants, feedback and
supervision; two clerks cannot both take a step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import Personas
from shequ.governance import deliberation_actions as da
from shequ.governance.models import Outcome, Result, TopicStatus
from shequ.governance.tests.deliberation_helpers import (
    DAY,
    PARTICIPANT_PHONE,
    PNG,
    agreed,
    propose,
)
from shequ.notify.models import Message
from shequ.orgs.models import Event

pytestmark = pytest.mark.django_db


def test_it_declines_with_a_reason_sent_to_the_proposer(personas: Personas) -> None:
    topic = propose(personas.guanpo)
    da.do_decline_topic(personas.director, topic, reason="属物业服务合同纠纷,请通过调解解决")
    assert topic.status == TopicStatus.DECLINED
    sms = Message.objects.get(kind="governance.topic_declined")
    assert "属物业服务合同纠纷" in sms.body and sms.recipient == "139****0001"
    with pytest.raises(ValidationError):
        da.do_accept_topic(personas.director, topic)  # already declined


def test_the_consultation_comes_after_the_prior_notice(personas: Personas) -> None:
    topic = propose(personas.guanpo)
    da.do_accept_topic(personas.director, topic)
    with pytest.raises(ValidationError):  # no notice yet
        da.do_record_consultation(
            personas.director, topic, form="talk", held_on=DAY, place="x", record="y",
            participants=[da.ParticipantIn("甲", "居民")],
        )  # fmt: skip
    da.do_notice_topic(personas.director, topic, text="预告", notice_on=DAY)
    with pytest.raises(ValidationError) as e:
        da.do_record_consultation(
            personas.director, topic, form="talk", held_on=DAY - dt.timedelta(days=1),
            place="x", record="y", participants=[da.ParticipantIn("甲", "居民")],
        )  # fmt: skip
    assert "held_on" in e.value.message_dict


def test_a_major_matter_needs_a_passed_resolution_before_implementation(
    personas: Personas,
) -> None:
    topic = agreed(personas.director, personas.guanpo, major=True)
    with pytest.raises(ValidationError) as e:
        da.do_start_implementation(personas.director, topic)
    assert "resolution" in e.value.message_dict


def test_milestones_reach_the_proposer_and_participants(personas: Personas) -> None:
    topic = agreed(personas.director, personas.guanpo)
    result = da.do_add_result(
        personas.director,
        topic,
        title="划线施工",
        responsible="居委会主任",
        due_on=DAY + dt.timedelta(days=30),
    )
    with pytest.raises(ValidationError):  # not yet implementing
        da.do_record_milestone(personas.director, result, happened_on=DAY, text="x", progress=10)
    da.do_start_implementation(personas.director, topic)
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    da.do_record_milestone(
        personas.director, result, happened_on=DAY + dt.timedelta(days=10), text="划线完成",
        progress=100, photo=photo,
    )  # fmt: skip
    result.refresh_from_db()
    assert result.progress == 100 and result.completed_on == DAY + dt.timedelta(days=10)
    assert result.on_time is True
    told = set(
        Message.objects.filter(kind="governance.topic_milestone").values_list(
            "recipient", flat=True
        )
    )
    assert told == {"139****0001", PARTICIPANT_PHONE[:3] + "****" + PARTICIPANT_PHONE[-4:]}
    assert str(result.milestones.get().photo.name).endswith(".png")
    with pytest.raises(ValidationError):  # a fake photo
        other = da.do_add_result(personas.director, topic, title="b", responsible="c", due_on=DAY)
        da.do_record_milestone(
            personas.director, other, happened_on=DAY, text="x", progress=5,
            photo=SimpleUploadedFile("a.png", b"<html>", content_type="image/png"),
        )  # fmt: skip
    da.do_give_feedback(
        personas.director, topic, text="已划线40个车位", on=DAY + dt.timedelta(days=11)
    )
    da.do_supervise_topic(
        personas.director, topic, text="监督委员会认可", on=DAY + dt.timedelta(days=20)
    )
    assert topic.status == TopicStatus.SUPERVISED
    assert Event.objects.filter(verb="governance.topic_supervised").exists()


def test_progress_does_not_go_back_and_overdue_is_a_query(personas: Personas) -> None:
    topic = agreed(personas.director, personas.guanpo)
    da.do_start_implementation(personas.director, topic)
    result = da.do_add_result(personas.director, topic, title="a", responsible="b", due_on=DAY)
    da.do_record_milestone(personas.director, result, happened_on=DAY, text="x", progress=60)
    with pytest.raises(ValidationError):
        da.do_record_milestone(personas.director, result, happened_on=DAY, text="x", progress=40)
    result.refresh_from_db()
    assert result.is_overdue(DAY + dt.timedelta(days=1)) and not result.is_overdue(DAY)
    assert (
        Result.objects.filter(progress__lt=100, due_on__lt=DAY + dt.timedelta(days=1)).count() == 1
    )


def test_outsiders_may_not_move_a_topic_and_a_step_is_taken_once(personas: Personas) -> None:
    topic = propose(personas.guanpo)
    with pytest.raises(PermissionDenied):
        da.do_accept_topic(personas.lichuan_clerk, topic)
    stale = type(topic).objects.get(pk=topic.pk)
    da.do_accept_topic(personas.director, topic)
    with pytest.raises(ValidationError):
        da.do_decline_topic(personas.clerk, stale, reason="重复")
    assert type(topic).objects.get(pk=topic.pk).status == TopicStatus.ACCEPTED


def test_a_referred_outcome_names_where_and_goes_straight_to_feedback(personas: Personas) -> None:
    topic = agreed(personas.director, personas.guanpo)
    other = propose(personas.guanpo, key="k2")
    da.do_accept_topic(personas.director, other)
    da.do_notice_topic(personas.director, other, text="预告", notice_on=DAY)
    da.do_record_consultation(
        personas.director, other, form="hearing", held_on=DAY, place="x", record="y",
        participants=[da.ParticipantIn("甲", "居民")],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        da.do_decide_outcome(
            personas.director, other, outcome=Outcome.REFERRED, text="t", decided_on=DAY
        )
    da.do_decide_outcome(
        personas.director, other, outcome=Outcome.REFERRED, text="t", decided_on=DAY,
        referred_to="舞阳坝街道城管办",
    )  # fmt: skip
    da.do_give_feedback(personas.director, other, text="已转街道", on=DAY)
    assert other.status == TopicStatus.FED_BACK
    with pytest.raises(ValidationError):  # an agreed one is implemented first
        da.do_give_feedback(personas.director, topic, text="x", on=DAY)


def test_grid_workers_file_topics_and_support_is_once_per_resident(personas: Personas) -> None:
    topic = da.do_propose_topic(
        personas.grid_worker, unit=personas.guanpo, title="路灯", description="路灯坏了",
        source="grid_worker", proposer_name="冉建国", concerned="第1网格居民",
    )  # fmt: skip
    assert topic.filed_by == personas.grid_worker
    with pytest.raises(PermissionDenied):
        da.do_propose_topic(
            personas.lichuan_clerk, unit=personas.guanpo, title="x", description="y",
            source="committee", proposer_name="z", concerned="w",
        )  # fmt: skip
    with pytest.raises(ValidationError):  # not accepted yet
        da.do_support_topic(topic, supporter_key="a")
    da.do_accept_topic(personas.director, topic)
    assert da.do_support_topic(topic, supporter_key="a") is True
    assert da.do_support_topic(topic, supporter_key="a") is False
    assert topic.supports.count() == 1


def test_a_hidden_comment_keeps_its_reason(personas: Personas) -> None:
    topic = propose(personas.guanpo)
    da.do_accept_topic(personas.director, topic)
    comment = da.do_comment_topic(None, topic, author_name="居民甲", text="广告内容")
    with pytest.raises(PermissionDenied):
        da.do_hide_comment(personas.lichuan_clerk, comment, reason="广告")
    da.do_hide_comment(personas.director, comment, reason="与议题无关的广告")
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "与议题无关的广告"
    assert comment.text == "广告内容"
