"""The agency pages: scope (404 outside), the agent's caseload, an agency case's page."""

from __future__ import annotations

from conftest import Personas
from shequ.agency.actions import do_open_agency_case
from shequ.agency.tests.conftest import Authorize, item
from shequ.orgs.models import User
from shequ.services.models import Case


def test_the_agent_sees_the_caseload_and_outsiders_get_404(
    personas: Personas, authorize: Authorize, agent: User
) -> None:
    auth = authorize()
    ac = do_open_agency_case(agent, authorization=auth, items=[item("SB-005"), item("MZ-004")])
    c = personas.client(agent)
    page = c.get("/agency/").content.decode()
    assert "向桂英" in page and "养老金领取资格认证" in page
    assert c.get(f"/agency/cases/{ac.pk}/").status_code == 200
    assert c.get(f"/agency/authorizations/{auth.pk}/").status_code == 200
    assert c.get("/agency/authorizations/new/").status_code == 200
    outsider = personas.client(personas.lichuan_clerk)
    for url in (
        f"/agency/cases/{ac.pk}/",
        f"/agency/authorizations/{auth.pk}/",
        f"/agency/cases/new/{auth.pk}/",
        "/agency/cases/99999999999999999999/",
    ):
        assert outsider.get(url).status_code == 404
    first = Case.objects.get(agency_item__agency_case=ac, item__code="SB-005")
    response = c.post(
        f"/agency/cases/{ac.pk}/", {"step": "complete", "case": first.pk, "result": "已认证"}
    )
    assert response.status_code == 302
    page = c.get(f"/agency/cases/{ac.pk}/").content.decode()
    assert "录入评价" in page and "139****1234" in page
    response = c.post(f"/agency/cases/{ac.pk}/", {"step": "rate", "case": first.pk, "grade": "5"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.rating.grade == 5 and first.rating.channel == "phone"
    assert "评价:非常满意" in c.get(f"/agency/cases/{ac.pk}/").content.decode()
