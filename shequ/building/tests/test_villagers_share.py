"""一事一议: the county bureau enters the villagers' share (筹资筹劳) on the project page;
a bad entry is shown beside its field and writes nothing; once the share is in, the
subsidy may be paid (先筹后补)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conftest import Personas
from shequ.building import actions
from shequ.building.models import (
    EntryKind,
    FundSource,
    LedgerEntry,
    Procedure,
    Project,
    ProjectKind,
)
from shequ.orgs.models import Event, OrgUnit, User

DAY = "2015-05-01"


def _approved(secretary: User, township: User, county: User, where: OrgUnit) -> Project:
    project = actions.do_create_project(
        secretary,
        unit=where,
        name="组级道路硬化",
        kind=ProjectKind.ROAD,
        procedure=Procedure.CASE_BY_CASE,
        budget="200000",
        plan={FundSource.CASE_SELF_RAISED: "100000", FundSource.RURAL_FISCAL: "100000"},
    )
    actions.do_apply_project(secretary, project, resolution_ref="村民会议决议〔2015〕1号")
    actions.do_review_project(township, project)
    actions.do_approve_project(county, project, approved_on=dt.date(2015, 4, 1))
    return project


def _share(**extra: str) -> dict[str, str]:
    return {"step": "raise", "amount": "100000", "entry_date": DAY,
            "document_ref": "筹资筹劳公示", "client_token": "share-1", **extra}  # fmt: skip


def test_the_county_enters_the_villagers_share_on_the_page(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    project = _approved(rural_secretary, rural_township, personas.county, rural)
    c = personas.client(personas.county)
    page = c.get(project.get_absolute_url()).content.decode()
    assert 'id="raise"' in page and "先筹后补" in page
    # the subsidy waits for the villagers' share
    pay = {"step": "subsidy", "amount": "100000", "level": "county", "source": "rural_fiscal",
           "entry_date": DAY, "client_token": "pay-1"}  # fmt: skip
    assert "先筹后补" in c.post(project.get_absolute_url(), pay).content.decode()

    response = c.post(project.get_absolute_url(), _share())
    assert response.status_code == 302
    assert c.post(project.get_absolute_url(), _share()).status_code == 302  # a retry
    entry = LedgerEntry.objects.get(source=FundSource.CASE_SELF_RAISED)
    assert entry.amount == Decimal("100000.00") and entry.kind == EntryKind.DISBURSED
    assert entry.project == project and entry.unit == rural
    assert entry.entry_date == dt.date(2015, 5, 1) and entry.recorded_by == personas.county
    assert Event.objects.filter(verb="building.entry_recorded", object_id=str(entry.pk)).exists()
    page = c.get(project.get_absolute_url()).content.decode()
    assert '<dd class="col-sm-9" id="raised">100000.00</dd>' in page
    # now the subsidy goes through
    assert c.post(project.get_absolute_url(), pay).status_code == 302
    assert actions.subsidy_paid(project) == Decimal("100000.00")


def test_a_bad_share_is_shown_and_nothing_is_saved(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    project = _approved(rural_secretary, rural_township, personas.county, rural)
    c = personas.client(personas.county)
    before = Event.objects.count()
    for bad, message in (
        ({"amount": "1.001"}, "两位小数"),
        ({"amount": "abc"}, "请填写金额"),
        ({"amount": "-5"}, "大于零"),
        ({"amount": "200000.01"}, "不能超过预算"),
        ({"entry_date": "2999-01-01"}, "不能晚于今天"),
        ({"entry_date": "not-a-day"}, "有效的日期"),
    ):
        response = c.post(project.get_absolute_url(), _share(**bad, client_token=str(bad)))
        html = response.content.decode()
        assert response.status_code == 200, bad
        assert message in html, (bad, message)
        # the error sits in the share form, the values typed are kept
        form = html.split('id="raise"', 1)[1].split("</form>", 1)[0]
        assert "text-danger" in form and "筹资筹劳公示" in form, bad
    assert not LedgerEntry.objects.exists()
    assert Event.objects.count() == before


def test_only_the_county_bureau_enters_it(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    project = _approved(rural_secretary, rural_township, personas.county, rural)
    for user in (rural_township, rural_secretary):
        c = personas.client(user)
        assert 'id="raise"' not in c.get(project.get_absolute_url()).content.decode()
        response = c.post(project.get_absolute_url(), _share(client_token=user.username))
        assert response.status_code == 200
    assert (
        personas.client(personas.lichuan_clerk)
        .post(project.get_absolute_url(), _share())
        .status_code
        == 404
    )
    assert not LedgerEntry.objects.exists()


def test_an_ordinary_or_refused_project_takes_no_villagers_share(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    ordinary = actions.do_create_project(
        personas.county, unit=rural, name="文化广场", kind=ProjectKind.OTHER,
        procedure=Procedure.ORDINARY, budget="1000",
    )  # fmt: skip
    refused = actions.do_create_project(
        rural_secretary, unit=rural, name="路灯", kind=ProjectKind.OTHER,
        procedure=Procedure.CASE_BY_CASE, budget="1000",
        plan={FundSource.CASE_SELF_RAISED: "500"},
    )  # fmt: skip
    actions.do_apply_project(rural_secretary, refused, resolution_ref="决议2号")
    actions.do_refuse_project(rural_township, refused, note="未达到户代表三分之二")
    c = personas.client(personas.county)
    for project in (ordinary, refused):
        assert 'id="raise"' not in c.get(project.get_absolute_url()).content.decode()
        response = c.post(project.get_absolute_url(), _share(client_token=project.name))
        assert response.status_code == 200
    assert not LedgerEntry.objects.exists()
