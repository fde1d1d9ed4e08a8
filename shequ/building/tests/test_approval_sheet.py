"""The 一事一议 approval sheet: a paper with the project, the villagers' meeting decision,
the amounts by source, each step's opinion with signature and seal places, and a QR
code to the project page; for those who see the project only."""

from __future__ import annotations

import datetime as dt
import re

from conftest import Personas
from shequ.building import actions
from shequ.building.models import (
    EntryKind,
    FiscalLevel,
    FundSource,
    Procedure,
    ProjectKind,
    SixBits,
)
from shequ.orgs.models import OrgUnit, User


def test_the_sheet_carries_what_was_decided_and_paid(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    project = actions.do_create_project(
        rural_secretary,
        unit=rural,
        name="组级道路硬化",
        kind=ProjectKind.ROAD,
        procedure=Procedure.CASE_BY_CASE,
        budget="200000",
        plan={FundSource.CASE_SELF_RAISED: "100000", FundSource.RURAL_FISCAL: "100000"},
    )
    actions.do_apply_project(rural_secretary, project, resolution_ref="村民会议决议〔2015〕1号")
    actions.do_review_project(rural_township, project, note="符合一事一议条件")
    actions.do_approve_project(
        personas.county, project, note="同意,按规定奖补", approved_on=dt.date(2015, 4, 1)
    )
    actions.do_record_entry(
        personas.county, unit=rural, entry_date=dt.date(2015, 5, 1), level=FiscalLevel.COMMUNITY,
        source=FundSource.CASE_SELF_RAISED, six_bits=SixBits.SELF_RAISED,
        kind=EntryKind.DISBURSED, amount="100000", project=project,
    )  # fmt: skip
    actions.do_pay_subsidy(
        personas.county, project, amount="60000", level=FiscalLevel.COUNTY,
        source=FundSource.RURAL_FISCAL, entry_date=dt.date(2015, 5, 2),
    )  # fmt: skip
    c = personas.client(rural_secretary)
    page = c.get(project.get_absolute_url()).content.decode()
    assert f"/building/projects/{project.pk}/sheet/" in page
    response = c.get(f"/building/projects/{project.pk}/sheet/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "一事一议项目审批表" in html and "组级道路硬化" in html and rural.name in html
    assert "村民会议决议〔2015〕1号" in html
    sources = html.split('id="sheet-sources"', 1)[1].split("</table>", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", sources))
    assert "一事一议自筹 100000.00 100000.00" in text
    assert "财政统筹强农惠农资金 100000.00 60000.00" in text
    assert "合计 200000.00 160000.00" in text
    assert "符合一事一议条件" in html.split('id="sheet-review"', 1)[1]
    approval = html.split('id="sheet-approval"', 1)[1].split("</td>", 1)[0]
    assert "同意,按规定奖补" in approval and "2015-04-01" in approval
    assert html.count("(盖章)") == 3 and "签名" in html
    assert "联系电话" in html
    qr = html.split('id="sheet-qr"', 1)[1]
    assert "<svg" in qr and f"http://testserver/building/projects/{project.pk}/" in qr


def test_a_refusal_shows_on_the_step_that_refused(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    project = actions.do_create_project(
        rural_secretary, unit=rural, name="路灯", kind=ProjectKind.OTHER,
        procedure=Procedure.CASE_BY_CASE, budget="1000",
        plan={FundSource.CASE_SELF_RAISED: "500"},
    )  # fmt: skip
    actions.do_apply_project(rural_secretary, project, resolution_ref="决议2号")
    actions.do_refuse_project(rural_township, project, note="未达到户代表三分之二")
    html = personas.client(personas.county).get(f"/building/projects/{project.pk}/sheet/")
    review = html.content.decode().split('id="sheet-review"', 1)[1].split("</td>", 1)[0]
    assert "未达到户代表三分之二" in review and "不予批准" in review


def test_only_those_who_see_the_project_get_its_sheet(
    personas: Personas, rural: OrgUnit, rural_secretary: User
) -> None:
    project = actions.do_create_project(
        rural_secretary, unit=rural, name="路灯", kind=ProjectKind.OTHER,
        procedure=Procedure.CASE_BY_CASE, budget="1000",
        plan={FundSource.CASE_SELF_RAISED: "500"},
    )  # fmt: skip
    ordinary = actions.do_create_project(
        rural_secretary, unit=rural, name="广场", kind=ProjectKind.OTHER,
        procedure=Procedure.ORDINARY, budget="1000",
    )  # fmt: skip
    url = f"/building/projects/{project.pk}/sheet/"
    assert personas.client(personas.county).get(url).status_code == 200
    for user in (personas.lichuan_clerk, personas.clerk, personas.outsider):
        assert personas.client(user).get(url).status_code == 404
    # an ordinary project has no 一事一议 sheet
    sheet = f"/building/projects/{ordinary.pk}/sheet/"
    assert personas.client(personas.county).get(sheet).status_code == 404
