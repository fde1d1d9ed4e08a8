"""The pages: register from a phone, walk the steps by POST, print the papers, read
the figures and export them; out of scope is a 404, bad input a 400 with messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import Personas
from shequ.mediation.models import Committee, Dispute, DisputeStatus
from shequ.mediation.tests.conftest import MakeDispute, agree
from shequ.orgs.models import Event

pytestmark = pytest.mark.django_db


def test_a_grid_worker_registers_a_dispute(personas: Personas, committee: Committee) -> None:
    c = personas.client(personas.grid_worker)
    page = c.get(reverse("mediation:dispute_new"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.fields["unit"].initial == personas.grid.pk
    assert form.fields["committee"].initial == committee.pk
    data = {
        "unit": personas.grid.pk,
        "committee": committee.pk,
        "source": "referral",
        "referrer": "grid",
        "kind": "neighbour",
        "summary": "两家因院坝排水发生争吵,情绪激动",
        "a_name": "黄大山",
        "a_phone": "13972799876",
        "b_name": "李四",
        "client_token": "abc123",
    }
    r = c.post(reverse("mediation:dispute_new"), data)
    assert r.status_code == 302
    d = Dispute.objects.get()
    assert d.reported_by == personas.grid_worker and d.referrer == "grid"
    again = c.post(reverse("mediation:dispute_new"), data)
    assert again.status_code == 302 and Dispute.objects.count() == 1
    bad = c.post(reverse("mediation:dispute_new"), {**data, "client_token": "x2", "a_phone": "123"})
    assert bad.status_code == 400 and bad.context["form"].errors["a_name"]
    assert Dispute.objects.count() == 1


def test_the_steps_by_post(personas: Personas, make_dispute: MakeDispute) -> None:
    d = make_dispute()
    c = personas.client(personas.mediator)
    url = lambda step: reverse("mediation:dispute_step", args=[d.pk, step])  # noqa: E731
    assert c.get(d.get_absolute_url()).status_code == 200
    assert c.post(url("accept"), {"mediator": personas.mediator.pk}).status_code == 302
    held = timezone.localtime() - dt.timedelta(hours=1)
    session = {
        "held_at": held.strftime("%Y-%m-%dT%H:%M"),
        "place": "官坡社区调解室",
        "participants": "黄大山、李四",
        "record": "双方陈述各自意见,同意现场查看。",
    }
    assert c.post(url("session"), {**session, "client_token": "s1"}).status_code == 302
    assert c.post(url("session"), {**session, "client_token": "s1"}).status_code == 302
    assert d.sessions.count() == 1
    bad = c.post(
        url("agreement"),
        {
            "form": "written",
            "facts": "积水纠纷事实",
            "terms": "疏通排水沟并赔偿",
            "effective_on": timezone.localdate(),
        },
    )
    assert bad.status_code == 400
    assert (
        "performance_manner"
        in bad.context["steps"][[s["step"] for s in bad.context["steps"]].index("agreement")][
            "form"
        ].errors
    )
    ok = c.post(
        url("agreement"),
        {
            "form": "written",
            "facts": "积水纠纷事实",
            "terms": "疏通排水沟并赔偿300元",
            "performance_manner": "现场疏通",
            "performance_due_on": timezone.localdate() + dt.timedelta(days=5),
            "effective_on": timezone.localdate(),
        },
    )
    assert ok.status_code == 302
    page = c.get(d.get_absolute_url())
    assert "confirmation-countdown" in page.content.decode()
    for kind in ("agreement", "application", "archive"):
        paper = c.get(reverse("mediation:paper", args=[d.pk, kind]))
        assert paper.status_code == 200, kind
        html = paper.content.decode()
        assert "0718-8221234" in html and d.number in html and "<svg" in html
    assert "指印" in c.get(reverse("mediation:paper", args=[d.pk, "agreement"])).content.decode()
    assert c.get(reverse("mediation:paper", args=[d.pk, "no_agreement"])).status_code == 404
    assert (
        c.post(
            url("follow_up"),
            {"visited_on": timezone.localdate(), "result": "performed", "note": "已履行"},
        ).status_code
        == 302
    )
    assert c.post(url("close"), {}).status_code == 302
    assert c.post(url("archive"), {}).status_code == 302
    d.refresh_from_db()
    assert d.status == DisputeStatus.ARCHIVED
    assert c.post(url("accept"), {}).status_code == 409


def test_out_of_scope_is_a_404(personas: Personas, make_dispute: MakeDispute) -> None:
    d = make_dispute()
    for who in (personas.lichuan_clerk, personas.outsider):
        c = personas.client(who)
        assert c.get(d.get_absolute_url()).status_code == 404
        assert c.post(reverse("mediation:dispute_step", args=[d.pk, "accept"])).status_code == 404
        assert c.get(reverse("mediation:paper", args=[d.pk, "archive"])).status_code == 404


def test_a_grid_worker_cannot_accept_by_post(personas: Personas, make_dispute: MakeDispute) -> None:
    d = make_dispute()
    c = personas.client(personas.grid_worker)
    assert c.post(reverse("mediation:dispute_step", args=[d.pk, "accept"])).status_code == 409
    assert Dispute.objects.get(pk=d.pk).status == DisputeStatus.REGISTERED


def test_reveal_is_logged(personas: Personas, make_dispute: MakeDispute) -> None:
    d = make_dispute()
    party = d.parties.get(name="李四")
    c = personas.client(personas.director)
    r = c.post(
        reverse("mediation:party_reveal", args=[d.pk]),
        {"party": party.pk, "field": "phone", "reason": "联系当事人调解"},
    )
    assert r.status_code == 200 and "13972711234" in r.content.decode()
    assert Event.objects.filter(verb="mediation.party_revealed").count() == 1
    r = personas.client(personas.mediator).post(
        reverse("mediation:party_reveal", args=[d.pk]),
        {"party": party.pk, "field": "phone", "reason": "联系当事人调解"},
    )
    assert r.status_code == 403


def test_lists_and_figures(personas: Personas, mediating: Dispute, committee: Committee) -> None:
    agree(personas.mediator, mediating)
    c = personas.client(personas.county)
    for name in ("overview", "committees", "advisors", "third_parties", "figures"):
        assert c.get(reverse(f"mediation:{name}")).status_code == 200, name
    assert c.get(committee.get_absolute_url()).status_code == 200
    page = c.get(reverse("mediation:figures"))
    assert page.context["f"].total == 1 and page.context["f"].agreed == 1
    xlsx = c.get(reverse("mediation:figures") + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert Event.objects.filter(verb="mediation.exported").count() == 1
    assert (
        personas.client(personas.grid_worker).get(reverse("mediation:figures")).status_code == 403
    )


def test_a_page_get_writes_nothing(personas: Personas, mediating: Dispute) -> None:
    before = Event.objects.count()
    c = personas.client(personas.mediator)
    c.get(mediating.get_absolute_url())
    c.get(reverse("mediation:overview") + "?view=overdue")
    assert Event.objects.count() == before


def test_a_party_is_found_by_phone_in_a_post(personas: Personas, make_dispute: MakeDispute) -> None:
    d = make_dispute()
    c = personas.client(personas.mediator)
    r = c.post(reverse("mediation:party_lookup"), {"phone": "13972711234"})
    assert r.status_code == 200 and [row["d"] for row in r.context["rows"]] == [d]
    assert "13972711234" not in r.content.decode()
    r = personas.client(personas.lichuan_clerk).post(
        reverse("mediation:party_lookup"), {"phone": "13972711234"}
    )
    assert r.status_code == 200 and r.context["rows"] == []
    assert Event.objects.filter(verb="mediation.party_looked_up").count() == 2
    assert c.post(reverse("mediation:party_lookup"), {}).status_code == 302


def test_a_member_leaves_and_an_advisor_is_released(
    personas: Personas, committee: Committee
) -> None:
    import datetime as dt

    from shequ.mediation import actions

    c = personas.client(personas.director)
    member = committee.members.get(name="向明")
    r = c.post(
        reverse("mediation:member_end", args=[committee.pk, member.pk]), {"ended_on": "2025-06-01"}
    )
    assert r.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == dt.date(2025, 6, 1)
    a = actions.do_assign_advisor(
        None,
        unit=personas.guanpo,
        name="陈律师",
        firm="湖北施南律师事务所",
        started_on=dt.date(2025, 1, 1),
    )
    assert (
        c.post(
            reverse("mediation:advisor_end", args=[a.pk]), {"ended_on": "2025-12-31"}
        ).status_code
        == 302
    )
    a.refresh_from_db()
    assert a.ended_on == dt.date(2025, 12, 31)
    m = personas.client(personas.mediator)
    other = committee.members.get(name="谭家福")
    m.post(
        reverse("mediation:member_end", args=[committee.pk, other.pk]), {"ended_on": "2025-06-01"}
    )
    other.refresh_from_db()
    assert other.ended_on is None
