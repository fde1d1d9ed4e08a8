"""Builders for deliberation tests: a topic of 官坡社区 taken to a chosen step."""

from __future__ import annotations

import datetime as dt

from shequ.governance import deliberation_actions as da
from shequ.governance.models import Outcome, Topic, TopicSource
from shequ.orgs.models import OrgUnit, User

PHONE = "13900000001"
PARTICIPANT_PHONE = "13900000002"
DAY = dt.date(2026, 3, 2)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def propose(unit: OrgUnit, *, major: bool = False, key: str = "k-resident") -> Topic:
    return da.do_propose_topic(
        None,
        unit=unit,
        title="小区停车位规划",
        description="三栋楼前乱停车,建议划线。",
        source=TopicSource.RESIDENT,
        proposer_name="向桂英",
        concerned="一至三栋住户",
        major=major,
        contact=PHONE,
        proposer_key=key,
    )


def agreed(actor: User, unit: OrgUnit, *, major: bool = False) -> Topic:
    topic = propose(unit, major=major)
    da.do_accept_topic(actor, topic)
    da.do_notice_topic(actor, topic, text="3月5日晚在社区议事厅民主恳谈", notice_on=DAY)
    da.do_record_consultation(
        actor,
        topic,
        form="talk",
        held_on=DAY + dt.timedelta(days=3),
        place="社区议事厅",
        record="住户代表12人参加,同意划线。",
        participants=[
            da.ParticipantIn("黄德明", "居民代表", "同意", PARTICIPANT_PHONE),
            da.ParticipantIn("物业公司", "驻区单位", "同意,负责施工"),
        ],
    )
    da.do_decide_outcome(
        actor,
        topic,
        outcome=Outcome.AGREED,
        text="划线40个车位",
        decided_on=DAY + dt.timedelta(days=3),
    )
    return topic
