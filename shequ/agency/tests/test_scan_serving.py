"""Issue 11, item 7: scans are stored under a name from their detected type, a body over
the limit is refused before it is read, and stored scans are served only through an
access-checked view (the approving township sees a village matter's scan). Fails before
issue 11: a PDF arrived as evil.html, a 30 MB body was read whole, and no view served
scans at all, and the case page linked none of a case's scans."""

from __future__ import annotations

import re

from django.test import Client

from conftest import Personas, make_staff
from shequ.agency.actions import do_open_agency_case
from shequ.agency.models import Authorization, RemoteMatter, VillagePoint
from shequ.agency.tests.conftest import PDF, Authorize, item, scan
from shequ.agency.tests.test_village import (  # noqa: F401 - fixtures
    file,
    operator,
    point,
    township_officer,
)
from shequ.orgs.models import Role, User
from shequ.services.models import Case

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_a_scan_is_stored_by_its_detected_type(authorize: Authorize) -> None:
    auth: Authorization = authorize(form_scan=scan("evil.html", PDF, "text/html"))
    name = auth.form_scan.name or ""
    assert name.endswith(".pdf") and "evil" not in name
    png: Authorization = authorize(form_scan=scan("a.svg", PNG, "image/svg+xml"))
    assert (png.form_scan.name or "").endswith(".png")


def test_the_approving_township_sees_a_matters_scan(
    point: VillagePoint,  # noqa: F811
    operator: User,  # noqa: F811
    township_officer: User,  # noqa: F811
    personas: Personas,
) -> None:
    matter: RemoteMatter = file(operator, point)
    url = f"/agency/matters/{matter.pk}/scan/"
    c = Client()
    c.force_login(township_officer)
    got = c.get(url)
    assert got.status_code == 200
    assert got["Content-Type"] == "application/pdf"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert b"".join(got.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    outsider = Client()
    outsider.force_login(personas.lichuan_clerk)
    assert outsider.get(url).status_code == 404


def test_an_authorisation_scan_is_for_its_scope(authorize: Authorize, personas: Personas) -> None:
    auth: Authorization = authorize()
    url = f"/agency/authorizations/{auth.pk}/scan/"
    assert personas.client(personas.director).get(url).status_code == 200
    assert personas.client(personas.lichuan_clerk).get(url).status_code == 404


def test_a_30_mb_body_is_refused_before_it_is_read(personas: Personas) -> None:
    clerk = make_staff("p_scan_clerk", (Role.CLERK, personas.guanpo))
    c = Client()
    c.force_login(clerk)
    got = c.generic(
        "POST",
        "/agency/authorizations/new/",
        b"x" * 16,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(30 * 1024 * 1024),
    )
    assert got.status_code == 413


def _case_file_links(c: Client, case_url: str) -> list[str]:
    """The links of the case page's 材料 row."""
    page = c.get(case_url)
    assert page.status_code == 200
    row = re.search(r'<dd[^>]*id="case-files"[^>]*>(.*?)</dd>', page.content.decode(), re.S)
    return re.findall(r'href="([^"]+)"', row.group(1)) if row else []


def _opens_a_pdf(c: Client, url: str) -> bool:
    got = c.get(url)
    body = b"".join(got.streaming_content) if got.status_code == 200 else b""  # type: ignore[attr-defined]
    return got["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")


def test_the_case_page_links_a_village_matters_scan_for_those_who_may_open_it(
    point: VillagePoint,  # noqa: F811
    operator: User,  # noqa: F811
    township_officer: User,  # noqa: F811
    personas: Personas,
) -> None:
    matter: RemoteMatter = file(operator, point)
    case_url = f"/services/cases/{matter.case_id}/"
    for allowed in (township_officer, operator):  # the approving township, the point
        c = Client()
        c.force_login(allowed)
        links = _case_file_links(c, case_url)
        assert links == [f"/agency/matters/{matter.pk}/scan/"]
        assert _opens_a_pdf(c, links[0])
    outsider = personas.client(personas.lichuan_clerk)
    assert outsider.get(case_url).status_code == 404
    assert outsider.get(links[0]).status_code == 404


def test_the_case_page_links_the_signed_authorisation_of_an_agency_case(
    authorize: Authorize, agent: User, personas: Personas
) -> None:
    auth = authorize()
    agency_case = do_open_agency_case(agent, authorization=auth, items=[item("SB-005")])
    case = Case.objects.get(agency_item__agency_case=agency_case)
    c = personas.client(personas.director)
    links = _case_file_links(c, f"/services/cases/{case.pk}/")
    assert links == [f"/agency/authorizations/{auth.pk}/scan/"]
    assert _opens_a_pdf(c, links[0])
    outsider = personas.client(personas.lichuan_clerk)
    assert outsider.get(f"/services/cases/{case.pk}/").status_code == 404
    assert outsider.get(links[0]).status_code == 404
    # A case with no scans has no 材料 row.
    other = do_open_agency_case(agent, authorization=auth, items=[item("MZ-004")])
    plain = Case.objects.get(agency_item__agency_case=other)
    Authorization.objects.filter(pk=auth.pk).update(form_scan="")
    assert _case_file_links(c, f"/services/cases/{plain.pk}/") == []
