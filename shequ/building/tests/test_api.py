"""/api/v1/building/: totals, entries (idempotent, never floats), reversal, compliance,
projects and the subsidy rule, pledges; scope and roles like the pages."""

from __future__ import annotations

import json
from typing import Any

from conftest import Personas
from shequ.building import actions
from shequ.building.models import FundSource, LedgerEntry, Procedure, ProjectKind
from shequ.orgs.models import OrgUnit, User

API = "/api/v1/building"


def _post(c: Any, url: str, body: dict[str, Any], **headers: str) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json", **headers)


def _body(personas: Personas, **extra: Any) -> dict[str, Any]:
    return {
        "unit_id": personas.guanpo.pk,
        "entry_date": "2015-03-01",
        "level": "county",
        "source": "county_fund",
        "six_bits": "fiscal",
        "kind": "allocated",
        "amount_yuan": "100.25",
        **extra,
    }


def test_it_records_idempotently_and_totals(personas: Personas) -> None:
    c = personas.client(personas.county)
    first = _post(c, f"{API}/ledger/entries/", _body(personas), HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201, first.content
    again = _post(c, f"{API}/ledger/entries/", _body(personas), HTTP_IDEMPOTENCY_KEY="k1")
    assert again.json()["id"] == first.json()["id"]
    assert LedgerEntry.objects.count() == 1
    totals = c.get(f"{API}/ledger/totals/?by=source,level&unit_id={personas.guanpo.pk}").json()
    assert totals["total_yuan"] == "100.25"
    assert totals["rows"][0]["key"] == {"source": "county_fund", "level": "county"}
    assert c.get(f"{API}/ledger/totals/?by=amount").status_code == 422
    listed = c.get(f"{API}/ledger/entries/").json()
    assert listed["count"] == 1 and listed["items"][0]["amount_yuan"] == "100.25"


def test_bad_amounts_and_roles(personas: Personas) -> None:
    c = personas.client(personas.county)
    for amount in ("1.005", "-1", "x", ""):
        r = _post(c, f"{API}/ledger/entries/", _body(personas, amount_yuan=amount))
        assert r.status_code == 422, amount
    r = _post(c, f"{API}/ledger/entries/", _body(personas, amount_yuan=0.1))
    assert r.status_code == 422
    t = personas.client(personas.township)
    assert _post(t, f"{API}/ledger/entries/", _body(personas)).status_code == 403
    out = personas.client(personas.lichuan_clerk)
    assert _post(out, f"{API}/ledger/entries/", _body(personas)).status_code == 404
    assert not LedgerEntry.objects.exists()


def test_reverse_and_compliance_and_pledges(personas: Personas) -> None:
    c = personas.client(personas.county)
    entry = _post(c, f"{API}/ledger/entries/", _body(personas)).json()
    r = _post(c, f"{API}/ledger/entries/{entry['id']}/reverse/", {"reason": "错"})
    assert r.status_code == 201 and r.json()["amount_yuan"] == "-100.25"
    assert (
        _post(c, f"{API}/ledger/entries/{entry['id']}/reverse/", {"reason": "错"}).status_code
        == 422
    )
    comp = c.get(f"{API}/standards/compliance/?day=2015-06-30").json()
    assert comp["total"]["unit_id"] == OrgUnit.objects.get(code="422801000000").pk
    assert c.get(f"{API}/figures/seed/").json()["day"] == "2015-06-30"
    assert c.get(f"{API}/pledges/").json()["items"] == []
    assert c.get(f"{API}/projects/").json()["items"] == []


def test_a_retried_reversal_returns_the_first(personas: Personas) -> None:
    c = personas.client(personas.county)
    entry = _post(c, f"{API}/ledger/entries/", _body(personas)).json()
    url = f"{API}/ledger/entries/{entry['id']}/reverse/"
    key = {"Idempotency-Key": "rev-1"}
    first = c.post(url, {"reason": "错"}, content_type="application/json", headers=key)
    again = c.post(url, {"reason": "错"}, content_type="application/json", headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert LedgerEntry.objects.filter(reverses_id=entry["id"]).count() == 1


def test_a_subsidy_before_approval_is_refused(
    personas: Personas, rural: OrgUnit, rural_secretary: User
) -> None:
    project = actions.do_create_project(
        rural_secretary,
        unit=rural,
        name="饮水",
        kind=ProjectKind.WATER,
        procedure=Procedure.CASE_BY_CASE,
        budget="1000",
        plan={FundSource.CASE_SELF_RAISED: "500"},
    )
    c = personas.client(personas.county)
    r = _post(c, f"{API}/projects/{project.pk}/subsidy/", {"amount_yuan": "100"})
    assert r.status_code == 422 and "先批后建" in r.json()["errors"]["amount"][0]
    assert c.get(f"{API}/projects/{project.pk}/").json()["status"] == "draft"
    assert (
        personas.client(personas.lichuan_clerk).get(f"{API}/projects/{project.pk}/").status_code
        == 404
    )
