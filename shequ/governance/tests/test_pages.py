"""The pages: the meeting journey through forms, papers, scope, the township view."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation

from conftest import Personas
from shequ.governance import actions
from shequ.governance.models import Matter, Meeting, MeetingStatus, Resolution
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.helpers import convene


def test_it_convenes_signs_in_votes_and_prints(village: Village, personas: Personas) -> None:
    c = personas.client(village.staff)
    url = reverse("governance:meeting_new", args=[village.unit.pk])
    assert c.get(url).status_code == 200
    held = timezone.localdate() + dt.timedelta(days=12)
    form = {
        "meeting_type": "villagers",
        "title": "村民会议",
        "held_on": held.isoformat(),
        "starts_at": "09:00",
        "notice_on": timezone.localdate().isoformat(),
        "place": "村委会",
        "agenda_1": "公益事业筹资方案",
        "matter_1": Matter.ART24_WELFARE,
        "matter_2": "ordinary",
        "matter_3": "ordinary",
        "matter_4": "ordinary",
        "matter_5": "ordinary",
        "client_token": "t-1",
    }
    short = c.post(url, {**form, "notice_on": (held - dt.timedelta(days=3)).isoformat()})
    assert short.status_code == 200 and "第二十一条" in short.content.decode()
    r = c.post(url, form)
    meeting = Meeting.objects.get(client_token="t-1")
    assert r.status_code == 302 and r["Location"] == meeting.get_absolute_url()
    assert (
        c.post(url, form).status_code == 302
        and Meeting.objects.filter(unit=village.unit).count() == 1
    )
    notice = c.get(reverse("governance:paper", args=[meeting.pk, "notice"]))
    assert "公益事业筹资方案" in notice.content.decode() and "盖章" in notice.content.decode()
    page = meeting.get_absolute_url()
    c.post(page, {"action": "open"})
    for resident in village.adults[:11]:
        c.post(page, {"action": "sign_in", "resident": resident.pk})
    body = c.get(page).content.decode()
    assert "已达到法定人数" in body and "第二十二条" in body
    item = meeting.agenda.get()
    r = c.post(
        page,
        {
            "action": "vote",
            "item": item.pk,
            "text": "同意",
            "method": "hands",
            "votes_for": 9,
            "votes_against": 1,
            "votes_abstain": 1,
            "client_token": "v-1",
        },
    )
    assert r.status_code == 302
    resolution = Resolution.objects.get(item=item)
    assert resolution.passed
    c.post(page, {"action": "close", "chair": "主任", "recorder": "文书", "minutes": "会议顺利"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED and meeting.quorate
    minutes = c.get(reverse("governance:paper", args=[meeting.pk, "minutes"])).content.decode()
    assert "赞成 9" in minutes and "已达到法定人数" in minutes
    archive = c.get(reverse("governance:paper", args=[meeting.pk, "archive"])).content.decode()
    assert "签到表" in archive and resolution.number in archive
    assert c.get(resolution.get_absolute_url()).status_code == 200


def test_a_failed_quorum_meeting_offers_no_vote(village: Village, personas: Personas) -> None:
    meeting = convene(village.staff, village.unit)
    for person in village.adults[:5]:
        actions.do_sign_in(village.staff, meeting, person)
    c = personas.client(village.staff)
    body = c.get(meeting.get_absolute_url()).content.decode()
    assert "未达到法定人数" in body and "vote-form" not in body
    assert village.child.name not in body  # minors are not offered for sign-in
    item = meeting.agenda.get()
    r = c.post(
        meeting.get_absolute_url(),
        {
            "action": "vote",
            "item": item.pk,
            "text": "x",
            "method": "hands",
            "votes_for": 5,
            "client_token": "z",
        },
    )
    assert r.status_code == 400 and "第二十二条" in r.content.decode()
    assert not Resolution.objects.exists()
    c.post(
        meeting.get_absolute_url(), {"action": "discuss", "item": item.pk, "discussion": "讨论了"}
    )
    item.refresh_from_db()
    assert item.discussion == "讨论了"


def test_out_of_scope_is_404(village: Village, personas: Personas) -> None:
    meeting = convene(village.staff, village.unit)
    c = personas.client(personas.lichuan_clerk)
    assert c.get(meeting.get_absolute_url()).status_code == 404
    assert c.get(reverse("governance:community", args=[village.unit.pk])).status_code == 404
    reader = personas.client(personas.clerk)  # 官坡's clerk: another township
    assert reader.post(meeting.get_absolute_url(), {"action": "open"}).status_code == 404


def test_township_view_and_export(village: Village, personas: Personas) -> None:
    meeting = convene(village.staff, village.unit, matters=(Matter.ART24_HOMESTEAD,))
    for r in village.adults[:12]:
        actions.do_sign_in(village.staff, meeting, r)
    actions.do_decide_resolution(village.staff, meeting.agenda.get(), text="方案", votes_for=12)
    actions.do_close_meeting(village.staff, meeting, minutes="", chair="甲", recorder="乙")
    c = personas.client(personas.prefecture)
    township = village.unit.parent_unit()
    assert township is not None
    page = c.get(reverse("governance:township"), {"unit": township.pk, "year": 2025})
    body = page.content.decode()
    assert village.unit.name in body and "1/1" in body
    xlsx = c.get(
        reverse("governance:township"), {"unit": township.pk, "year": 2025, "format": "xlsx"}
    )
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert c.get(reverse("governance:law")).status_code == 200
    assert "未经核实" in c.get(reverse("governance:law")).content.decode()


def test_charter_pages_and_the_community_page(village: Village, personas: Personas) -> None:
    one = actions.do_draft_charter(
        village.staff, unit=village.unit, kind="charter", title="自治章程", text="第一条\n第二条"
    )
    meeting = convene(village.staff, village.unit, matters=(Matter.CHARTER,))
    for person in village.adults[:12]:
        actions.do_sign_in(village.staff, meeting, person)
    resolution = actions.do_decide_resolution(
        village.staff, meeting.agenda.get(), text="通过", votes_for=12
    )
    actions.do_close_meeting(village.staff, meeting, minutes="", chair="甲", recorder="乙")
    for r in range(6, 12):
        actions.do_add_representative(
            None, unit=village.unit, resident=village.adults[r], term_from=dt.date(2021, 5, 1)
        )
    reps = convene(village.staff, village.unit, meeting_type="villagers_reps")
    actions.do_open_comment(
        village.staff, one, comment_from=dt.date(2025, 5, 1), comment_to=dt.date(2025, 5, 15)
    )
    actions.do_record_comment(
        village.staff, one, author="村民", text="好", received_on=dt.date(2025, 5, 2)
    )
    actions.do_mark_discussed(village.staff, one, reps)
    actions.do_adopt_charter(village.staff, one, resolution)
    actions.do_publish_charter(village.staff, one, published_on=dt.date(2025, 6, 22))
    actions.do_file_charter(
        village.staff, one, filed_on=dt.date(2025, 7, 1), filed_with="镇政府", receipt="备1"
    )
    two = actions.do_draft_charter(
        village.staff, unit=village.unit, kind="charter", title="", text="第一条\n第二条(修订)"
    )
    c = personas.client(village.staff)
    body = c.get(reverse("governance:charter", args=[two.charter_id])).content.decode()
    assert "第二条(修订)" in body and 'id="diff"' in body
    page = c.get(reverse("governance:community", args=[village.unit.pk])).content.decode()
    assert "v2" in page and "自治章程" in page
    with translation.override("zh-hans"):  # the request's language must not leak
        english = c.get(
            reverse("governance:community", args=[village.unit.pk]),
            headers={"accept-language": "en"},
        )
    assert english.status_code == 200 and "Self-governance" in english.content.decode()
