"""Small builders for governance tests."""

from __future__ import annotations

import datetime as dt

from shequ.governance import actions
from shequ.governance.models import Matter, Meeting, MeetingType
from shequ.orgs.models import OrgUnit, User


def convene(
    actor: User | None,
    unit: OrgUnit,
    *,
    meeting_type: str = MeetingType.VILLAGERS,
    held_on: dt.date = dt.date(2025, 6, 20),
    notice_days: int = 10,
    matters: tuple[str, ...] = (Matter.ORDINARY,),
    open_: bool = True,
    **kw: object,
) -> Meeting:
    meeting = actions.do_convene_meeting(
        actor,
        unit=unit,
        meeting_type=meeting_type,
        title="测试会议",
        held_on=held_on,
        notice_on=held_on - dt.timedelta(days=notice_days),
        place="村委会会议室",
        agenda=[(f"议题{n}", m) for n, m in enumerate(matters, start=1)],
        **kw,  # type: ignore[arg-type]
    )
    if open_:
        actions.do_open_meeting(actor, meeting)
        meeting.refresh_from_db()
    return meeting
