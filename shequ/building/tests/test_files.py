"""Files on the building pages open through their record's access: whoever may see the
evidence, progress photo, document or pledge report opens its file; anyone else gets a
404. A PDF or image opens in the browser, anything else downloads; never sniffed."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import ENSHI_CITY, Personas, unit
from shequ.building import actions
from shequ.building.models import (
    FacilityEvidence,
    FacilityItem,
    ItemGroup,
    PledgeMeasure,
    Procedure,
    ProjectKind,
)
from shequ.building.tests.conftest import PNG, photo
from shequ.orgs.models import OrgUnit, User

PDF = b"%PDF-1.4\n%fake\n"


def _opens(response: object, content_type: str, body: bytes) -> None:
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"] == content_type  # type: ignore[index]
    assert response["X-Content-Type-Options"] == "nosniff"  # type: ignore[index]
    assert response["Content-Disposition"].startswith("inline")  # type: ignore[index]
    assert b"".join(response.streaming_content) == body  # type: ignore[attr-defined]


def test_each_kind_of_file_opens_for_those_who_see_the_record(
    personas: Personas, rural: OrgUnit, rural_township: User, rural_secretary: User
) -> None:
    county = unit(ENSHI_CITY)
    item = FacilityItem.objects.get(group=ItemGroup.THIRTEEN_ONES, code="charity_supermarket")
    evidence = actions.do_upload_evidence(personas.clerk, personas.guanpo, file=photo(), item=item)
    check = actions.do_check_facility(
        personas.township, personas.guanpo, item, present=True, photo=photo()
    )
    area = actions.do_check_area(personas.township, personas.guanpo, area_m2="320", photo=photo())
    project = actions.do_create_project(
        personas.county,
        unit=rural,
        name="村委会办公用房",
        kind=ProjectKind.CENTRE,
        procedure=Procedure.ORDINARY,
        budget="50000",
    )
    report = actions.do_report_progress(rural_secretary, project, progress=30, photo=photo())
    document = actions.do_file_document(
        personas.county,
        county,
        title="社区建设实施意见",
        issuer="恩施市人民政府",
        issued_on=dt.date(2015, 3, 1),
        file=SimpleUploadedFile("意见.pdf", PDF, content_type="application/pdf"),
    )
    pledge = actions.do_make_pledge(
        personas.county, county, year=2015, title="培训", measure=PledgeMeasure.MANUAL, target="1"
    )
    pledge_report = actions.do_report_pledge(
        personas.county, pledge, value="1", note="已培训", evidence=photo()
    )
    urls = {
        "evidence": reverse("building:evidence_file", args=[evidence.pk]),
        "check": reverse("building:evidence_file", args=[check.evidence_id]),
        "area": reverse("building:evidence_file", args=[area.evidence_id]),
        "photo": reverse("building:project_photo", args=[report.pk]),
        "document": reverse("building:document_file", args=[document.pk]),
        "pledge": reverse("building:pledge_evidence", args=[pledge_report.pk]),
    }
    # the pages link to these addresses, not to the unserved media path
    clerk, officer = personas.client(personas.clerk), personas.client(personas.county)
    checklist = clerk.get(f"/building/standards/community/{personas.guanpo.pk}/")
    html = checklist.content.decode()
    assert urls["evidence"] in html and urls["check"] in html and urls["area"] in html
    assert "/media/" not in html
    assert urls["photo"] in officer.get(project.get_absolute_url()).content.decode()
    assert urls["document"] in officer.get(document.get_absolute_url()).content.decode()
    assert urls["pledge"] in officer.get(pledge.get_absolute_url()).content.decode()

    for name in ("evidence", "check", "area"):
        _opens(clerk.get(urls[name]), "image/png", PNG)
    _opens(personas.client(rural_township).get(urls["photo"]), "image/png", PNG)
    _opens(officer.get(urls["photo"]), "image/png", PNG)
    _opens(personas.client(personas.township).get(urls["document"]), "application/pdf", PDF)
    _opens(officer.get(urls["pledge"]), "image/png", PNG)

    # another county's clerk, a community's clerk for another community's project, a
    # user without a post: not found
    for user in (personas.lichuan_clerk, personas.outsider):
        c = personas.client(user)
        for name, url in urls.items():
            assert c.get(url).status_code == 404, (user, name)
    assert clerk.get(urls["photo"]).status_code == 404
    assert clerk.get(reverse("building:evidence_file", args=[999999])).status_code == 404
    # signed out: to the login page
    assert Client().get(urls["evidence"]).status_code == 302


def test_a_file_that_is_not_a_pdf_or_image_only_downloads(personas: Personas) -> None:
    """The upload check admits only PDF, JPEG and PNG; a file stored another way (an admin,
    an import) is served by its bytes, not its name: as a download."""
    evidence = FacilityEvidence(unit=personas.guanpo)
    evidence.file.save("page.png", ContentFile(b"<html><script>alert(1)</script>"), save=True)
    response = personas.client(personas.clerk).get(
        reverse("building:evidence_file", args=[evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_record_without_its_file_is_not_found(personas: Personas) -> None:
    document = actions.do_file_document(
        personas.county,
        unit(ENSHI_CITY),
        title="无附件的文件",
        issuer="恩施市民政局",
        issued_on=dt.date(2015, 3, 1),
    )
    c = personas.client(personas.county)
    assert c.get(reverse("building:document_file", args=[document.pk])).status_code == 404
