"""The committee's page forms: representatives, groups and their heads, the supervision
committee and its members, recall, and opening a democratic evaluation. Each posts to
the action; a refusal shows on the form and saves nothing."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from conftest import Personas, make_staff
from shequ.governance import actions
from shequ.governance.models import (
    Committee,
    CommitteeKind,
    CommitteeMember,
    DeclaredRelation,
    Evaluation,
    Group,
    Matter,
    MemberPost,
    Recall,
    RecallStatus,
    Representative,
    Resolution,
)
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.helpers import convene
from shequ.orgs.models import Role


def _reps_url(village: Village) -> str:
    return reverse("governance:representatives", args=[village.unit.pk])


def test_it_registers_a_representative_once_and_refuses_a_minor(
    village: Village, personas: Personas
) -> None:
    c = personas.client(village.staff)
    assert c.get(_reps_url(village)).status_code == 200
    form = {
        "action": "representative",
        "rep-resident": village.adults[6].pk,
        "rep-households": 8,
        "rep-term_from": "2024-05-01",
        "rep-client_token": "rep-1",
    }
    r = c.post(_reps_url(village), form)
    assert r.status_code == 302
    rep = Representative.objects.get(client_token="rep-1")
    assert rep.resident == village.adults[6] and rep.term_to == dt.date(2029, 4, 30)
    assert c.post(_reps_url(village), form).status_code == 302  # a retry creates nothing
    assert Representative.objects.filter(unit=village.unit).count() == 1
    assert village.adults[6].name in c.get(_reps_url(village)).content.decode()

    minor = c.post(
        _reps_url(village),
        {**form, "rep-resident": village.child.pk, "rep-client_token": "rep-2"},
    )
    assert minor.status_code == 400 and "十八周岁" in minor.content.decode()
    assert not Representative.objects.filter(client_token="rep-2").exists()


def test_it_saves_a_group_with_its_head_and_households(
    village: Village, personas: Personas
) -> None:
    c = personas.client(village.staff)
    form = {
        "action": "group",
        "group-name": "第一村民小组",
        "group-leader": village.adults[3].pk,
        "group-households": [village.households[0].pk, village.households[1].pk],
    }
    assert c.post(_reps_url(village), form).status_code == 302
    group = Group.objects.get(unit=village.unit, name="第一村民小组")
    assert group.leader == village.adults[3] and group.households.count() == 2
    assert group.kind == "villager"
    # A head from another community is not a choice: nothing changes.
    r = c.post(_reps_url(village), {**form, "group-leader": personas.resident.pk})
    assert r.status_code == 400
    group.refresh_from_db()
    assert group.leader == village.adults[3]


def _supervision_resolution(village: Village) -> Resolution:
    meeting = convene(village.staff, village.unit, matters=(Matter.SUPERVISION,))
    for person in village.adults[:15]:
        actions.do_sign_in(village.staff, meeting, person)
    return actions.do_decide_resolution(
        village.staff, meeting.agenda.get(), text="推选监督委员会", votes_for=15
    )


def _committee_form(resolution: Resolution | None, *people: tuple[int, str, bool]) -> dict:
    form: dict = {
        "action": "elect",
        "kind": CommitteeKind.SUPERVISION,
        "elected_on": "2025-06-20",
        "resolution": resolution.pk if resolution else "",
        "client_token": "sup-1",
    }
    for n in range(1, 8):
        form[f"post_{n}"] = MemberPost.MEMBER
    for n, (pk, post, accounting) in enumerate(people, start=1):
        form[f"resident_{n}"] = pk
        form[f"post_{n}"] = post
        if accounting:
            form[f"accounting_{n}"] = "on"
    return form


def test_the_supervision_committee_refuses_the_directors_spouse_and_saves_nothing(
    village: Village, personas: Personas
) -> None:
    c = personas.client(village.staff)
    url = reverse("governance:committee_new", args=[village.unit.pk])
    assert c.get(url).status_code == 200
    resolution = _supervision_resolution(village)
    spouse = village.households[0].members.get(relation="spouse").resident
    r = c.post(
        url,
        _committee_form(
            resolution,
            (village.adults[8].pk, MemberPost.DIRECTOR, True),
            (spouse.pk, MemberPost.MEMBER, False),
        ),
    )
    body = r.content.decode()
    assert r.status_code == 400 and "同户" in body and village.director.name in body
    assert not Committee.objects.filter(kind=CommitteeKind.SUPERVISION).exists()
    without = c.post(url, _committee_form(None, (village.adults[8].pk, MemberPost.DIRECTOR, True)))
    assert without.status_code == 400 and "决议" in without.content.decode()

    r = c.post(
        url,
        _committee_form(
            resolution,
            (village.adults[8].pk, MemberPost.DIRECTOR, False),
            (village.adults[12].pk, MemberPost.MEMBER, False),
        ),
    )
    committee = Committee.objects.get(kind=CommitteeKind.SUPERVISION)
    assert r.status_code == 302 and r["Location"] == committee.get_absolute_url()
    assert committee.members.count() == 2 and committee.resolution == resolution
    page = c.get(committee.get_absolute_url()).content.decode()
    assert "财会" in page  # the warning: nobody with accounting skills


def test_a_declared_relative_is_refused_from_the_form(village: Village, personas: Personas) -> None:
    c = personas.client(village.staff)
    url = reverse("governance:committee_new", args=[village.unit.pk])
    r = c.post(
        url,
        {
            "action": "relation",
            "rel-a": village.adults[10].pk,
            "rel-b": village.director.pk,
            "rel-relation": "女儿",
        },
    )
    assert r.status_code == 302 and DeclaredRelation.objects.count() == 1
    resolution = _supervision_resolution(village)
    r = c.post(url, _committee_form(resolution, (village.adults[10].pk, MemberPost.MEMBER, True)))
    assert r.status_code == 400 and "女儿" in r.content.decode()


def test_a_recall_is_proposed_then_decided_by_the_double_majority(
    village: Village, personas: Personas
) -> None:
    c = personas.client(village.staff)
    member = CommitteeMember.objects.get(resident=village.adults[2])
    page = member.committee.get_absolute_url()
    form = {
        "action": "propose",
        "recall-member": member.pk,
        "recall-basis": "voters",
        "recall-proposers": 3,  # of 20 adults: 1/5 needs 4
        "recall-reason": "长期不履职",
        "recall-proposed_on": "2025-06-01",
        "recall-client_token": "rc-1",
    }
    assert c.post(page, form).status_code == 302
    short = Recall.objects.get(client_token="rc-1")
    assert short.status == RecallStatus.INSUFFICIENT and "第十六条" in short.article
    r = c.post(page, {**form, "recall-proposers": 4, "recall-client_token": "rc-2"})
    assert r.status_code == 302
    recall = Recall.objects.get(client_token="rc-2")
    assert recall.status == RecallStatus.PROPOSED
    assert c.post(page, {**form, "recall-client_token": "rc-2"}).status_code == 302
    assert Recall.objects.count() == 2  # a retry created nothing

    vote = {"action": "vote", "recall": recall.pk}
    p = f"vote{recall.pk}-"
    bad = c.post(
        page,
        {
            **vote,
            p + "voters": 20,
            p + "votes_cast": 8,
            p + "votes_for": 9,
            p + "voted_on": "2025-07-01",
        },
    )
    assert bad.status_code == 400 and "赞成票" in bad.content.decode()
    recall.refresh_from_db()
    assert recall.status == RecallStatus.PROPOSED
    r = c.post(
        page,
        {
            **vote,
            p + "voters": 20,
            p + "votes_cast": 11,
            p + "votes_for": 6,
            p + "voted_on": "2025-07-01",
        },
    )
    assert r.status_code == 302
    recall.refresh_from_db()
    member.refresh_from_db()
    assert recall.status == RecallStatus.PASSED and member.ended_on == dt.date(2025, 7, 1)
    assert "罢免通过" in c.get(page).content.decode()


def test_a_reader_gets_no_recall_form_and_cannot_post(village: Village, personas: Personas) -> None:
    member = CommitteeMember.objects.get(resident=village.adults[2])
    page = member.committee.get_absolute_url()
    agent = personas.client(make_staff("v_agent", (Role.AGENT, village.unit)))  # reads only
    body = agent.get(page)
    assert body.status_code == 200 and "recall-form" not in body.content.decode()
    assert agent.get(_reps_url(village)).status_code == 404
    assert agent.post(page, {"action": "propose", "recall-member": member.pk}).status_code == 404
    outsider = personas.client(personas.lichuan_clerk)
    assert outsider.get(page).status_code == 404
    assert outsider.get(_reps_url(village)).status_code == 404
    r = outsider.post(page, {"action": "propose", "recall-member": member.pk})
    assert r.status_code == 404 and not Recall.objects.exists()


def test_it_opens_the_years_evaluation_from_the_meeting_page(
    village: Village, personas: Personas
) -> None:
    resolution = _supervision_resolution(village)
    supervision = actions.do_elect_committee(
        village.staff,
        unit=village.unit,
        kind=CommitteeKind.SUPERVISION,
        elected_on=dt.date(2025, 6, 20),
        members=[actions.Candidate(village.adults[8], MemberPost.DIRECTOR, True)],
        resolution=resolution,
    )
    chair = supervision.members.get()
    meeting = convene(
        village.staff, village.unit, matters=(Matter.WORK_REPORT,), held_on=dt.date(2025, 12, 10)
    )
    c = personas.client(village.staff)
    assert "evaluation-form" in c.get(meeting.get_absolute_url()).content.decode()
    main = Committee.objects.get(unit=village.unit, kind=CommitteeKind.VILLAGE)
    form = {
        "action": "evaluation",
        "ev-committee": main.pk,
        "ev-chair": chair.pk,
        "ev-year": 2025,
        "ev-client_token": "ev-1",
    }
    not_a_chair = CommitteeMember.objects.get(resident=village.director)
    r = c.post(meeting.get_absolute_url(), {**form, "ev-chair": not_a_chair.pk})
    assert r.status_code == 400 and not Evaluation.objects.exists()
    r = c.post(meeting.get_absolute_url(), form)
    evaluation = Evaluation.objects.get(client_token="ev-1")
    assert r.status_code == 302 and r["Location"] == evaluation.get_absolute_url()
    assert evaluation.chair == chair and evaluation.committee == main
    assert c.post(meeting.get_absolute_url(), form).status_code == 302  # a retry
    again = c.post(meeting.get_absolute_url(), {**form, "ev-client_token": "ev-2"})
    assert again.status_code == 400 and "已评议" in again.content.decode()
    assert Evaluation.objects.count() == 1


def test_the_forms_read_in_english(village: Village, personas: Personas) -> None:
    c = personas.client(village.staff)
    en = {"accept-language": "en"}
    reps = c.get(_reps_url(village), headers=en).content.decode()
    assert "Representatives and groups" in reps and "Save the group" in reps
    new = c.get(reverse("governance:committee_new", args=[village.unit.pk]), headers=en)
    assert "Member 1" in new.content.decode() and "成员 1" not in new.content.decode()
