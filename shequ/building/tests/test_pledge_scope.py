"""The prefecture's pledges (十件实事) cover its counties: a county officer reads them,
with the county's own part of the progress, and cannot change them; a county's own
pledge stays out of other counties' sight."""

from __future__ import annotations

import datetime as dt

from conftest import ENSHI_CITY, Personas, unit
from shequ.building import actions
from shequ.building.models import EntryKind, FiscalLevel, FundSource, PledgeMeasure, SixBits
from shequ.orgs.models import OrgUnit

API = "/api/v1/building"


def test_a_county_reads_the_prefectures_pledges_and_cannot_change_them(
    personas: Personas,
) -> None:
    prefecture = OrgUnit.objects.get(kind="prefecture")
    pledge = actions.do_make_pledge(
        personas.prefecture, prefecture, year=2015, title="拨付社区建设资金",
        measure=PledgeMeasure.FUNDS_DISBURSED, target="10",
    )  # fmt: skip
    enshi = actions.do_make_pledge(
        personas.county, unit(ENSHI_CITY), year=2015, title="恩施市:新建服务大厅",
        measure=PledgeMeasure.MANUAL, target="3",
    )  # fmt: skip
    actions.do_record_entry(
        personas.county, unit=personas.guanpo, entry_date=dt.date(2015, 4, 1),
        level=FiscalLevel.COUNTY, source=FundSource.COUNTY_FUND, six_bits=SixBits.FISCAL,
        kind=EntryKind.DISBURSED, amount="20000",
    )  # fmt: skip
    lichuan = personas.lichuan_clerk.posts.first().unit  # type: ignore[union-attr]
    actions.do_record_entry(
        personas.prefecture, unit=lichuan, entry_date=dt.date(2015, 4, 1),
        level=FiscalLevel.PREFECTURE, source=FundSource.REWARD_SUBSIDY, six_bits=SixBits.FISCAL,
        kind=EntryKind.DISBURSED, amount="30000",
    )  # fmt: skip
    c = personas.client(personas.county)
    listing = c.get("/building/pledges/").content.decode()
    assert "拨付社区建设资金" in listing and "恩施市:新建服务大厅" in listing
    page = c.get(pledge.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="read-only"' in html and 'name="what" value="complete"' not in html
    assert '<dd class="col-sm-9" id="progress">5' in html  # 万元, the whole prefecture
    assert '<dd class="col-sm-9" id="progress-here">2' in html  # of which 恩施市
    assert [p["title"] for p in c.get(f"{API}/pledges/").json()["items"]] == [
        "拨付社区建设资金",
        "恩施市:新建服务大厅",
    ]
    # read-only: completing is refused and changes nothing
    for user in (personas.county, personas.township):
        response = personas.client(user).post(pledge.get_absolute_url(), {"what": "complete"})
        assert response.status_code == 200
    pledge.refresh_from_db()
    assert pledge.completed_on is None
    # the prefecture works on its pledge
    own = personas.client(personas.prefecture).get(pledge.get_absolute_url()).content.decode()
    assert 'id="read-only"' not in own and 'id="progress-here"' not in own
    # a unit of another county reads the prefecture's pledge, not 恩施市's
    other = personas.client(personas.lichuan_clerk)
    assert other.get(pledge.get_absolute_url()).status_code == 200
    assert other.get(enshi.get_absolute_url()).status_code == 404
    assert "恩施市:新建服务大厅" not in other.get("/building/pledges/").content.decode()
    assert personas.client(personas.outsider).get(pledge.get_absolute_url()).status_code == 404
