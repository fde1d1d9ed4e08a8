"""The building pages: every page answers for the roles that use them, forms write
through the actions, out of scope is a 404, exports are spreadsheets."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from conftest import LICHUAN, Personas, unit
from shequ.building import actions, standards
from shequ.building.models import (
    AreaStandard,
    EntryKind,
    FacilityCheck,
    FacilityItem,
    FiscalLevel,
    FundSource,
    GroupKind,
    ItemGroup,
    LedgerEntry,
    PledgeMeasure,
    Procedure,
    ProjectKind,
    SixBits,
    SubsidyRule,
)
from shequ.building.tests.conftest import photo
from shequ.orgs.models import OrgUnit, User


def _entry(personas: Personas, where: OrgUnit | None = None) -> LedgerEntry:
    return actions.do_record_entry(
        personas.county,
        unit=where or personas.guanpo,
        entry_date=dt.date(2015, 1, 5),
        level=FiscalLevel.COUNTY,
        source=FundSource.COUNTY_FUND,
        six_bits=SixBits.FISCAL,
        kind=EntryKind.ALLOCATED,
        amount="1234.56",
    )


def test_every_page_answers(personas: Personas, rural: OrgUnit, rural_secretary: User) -> None:
    e = _entry(personas)
    project = actions.do_create_project(
        rural_secretary,
        unit=rural,
        name="村道",
        kind=ProjectKind.ROAD,
        procedure=Procedure.CASE_BY_CASE,
        budget="1000",
        plan={FundSource.CASE_SELF_RAISED: "500"},
    )
    prefecture = OrgUnit.objects.get(kind="prefecture")
    group = actions.do_create_group(
        personas.prefecture,
        prefecture,
        kind=GroupKind.LEADING_GROUP,
        name="领导小组",
        established_on=dt.date(2011, 5, 1),
    )
    doc = actions.do_file_document(
        personas.prefecture,
        prefecture,
        title="意见",
        issuer="州政府",
        issued_on=dt.date(2011, 4, 1),
    )
    pledge = actions.do_make_pledge(
        personas.prefecture,
        prefecture,
        year=2015,
        title="规范化建设",
        measure=PledgeMeasure.STANDARDS_MET,
        target="10",
    )
    c = personas.client(personas.prefecture)
    for url in (
        "/building/",
        "/building/figures/",
        "/building/figures/?day=2015-06-30&unit=junk",
        "/building/ledger/",
        "/building/ledger/?by=unit&first=2015-01-01&last=bad",
        f"/building/ledger/{e.pk}/",
        "/building/ledger/new/",
        "/building/projects/",
        f"/building/projects/{project.pk}/",
        "/building/projects/new/",
        "/building/standards/",
        f"/building/standards/?unit={unit(LICHUAN).pk}&day=2015-06-30",
        f"/building/standards/community/{personas.guanpo.pk}/",
        f"/building/standards/community/{rural.pk}/",
        "/building/groups/",
        f"/building/groups/{group.pk}/",
        "/building/documents/",
        f"/building/documents/{doc.pk}/",
        "/building/pledges/",
        f"/building/pledges/{pledge.pk}/",
    ):
        response = c.get(url)
        assert response.status_code in (200, 404), url
        if "junk" not in url:
            assert response.status_code == 200, url


def test_out_of_scope_is_not_found(personas: Personas) -> None:
    lichuan_community = unit(LICHUAN).children()[0].children()[0]
    e = _entry(personas)
    c = personas.client(personas.lichuan_clerk)
    assert c.get(f"/building/ledger/{e.pk}/").status_code == 404
    assert c.get(f"/building/standards/community/{personas.guanpo.pk}/").status_code == 404
    assert c.get(f"/building/standards/community/{lichuan_community.pk}/").status_code in (200, 404)
    assert c.get("/building/ledger/999999999999999999999/").status_code == 404
    outsider = personas.client(personas.outsider)
    assert outsider.get("/building/ledger/").status_code == 200
    assert outsider.get(f"/building/ledger/{e.pk}/").status_code == 404


def test_a_county_officer_records_and_reverses_an_entry(personas: Personas) -> None:
    c = personas.client(personas.county)
    data = {
        "unit": personas.guanpo.pk,
        "entry_date": "2015-02-01",
        "level": "county",
        "source": "county_fund",
        "six_bits": "fiscal",
        "kind": "allocated",
        "amount": "2000.10",
        "client_token": "page-1",
    }
    assert c.post("/building/ledger/new/", data).status_code == 302
    assert c.post("/building/ledger/new/", data).status_code == 302  # a retry
    entry = LedgerEntry.objects.get()
    assert entry.amount == Decimal("2000.10")
    bad = c.post("/building/ledger/new/", {**data, "amount": "1.001", "client_token": "page-2"})
    assert bad.status_code == 200 and "两位小数" in bad.content.decode()
    assert c.post(f"/building/ledger/{entry.pk}/", {"reason": "录错单位"}).status_code == 302
    assert LedgerEntry.objects.filter(reverses=entry).count() == 1
    page = c.get(f"/building/ledger/?unit={personas.guanpo.pk}")
    assert '<td class="text-end">0.00</td>' in page.content.decode()
    # a township officer may not record funds
    t = personas.client(personas.township)
    page = t.post("/building/ledger/new/", {**data, "client_token": "page-3"})
    assert page.status_code == 200 and LedgerEntry.objects.count() == 2


def test_the_ledger_export_is_a_spreadsheet_of_numbers(personas: Personas) -> None:
    _entry(personas)
    response = personas.client(personas.county).get("/building/ledger/?format=xlsx&by=level")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    totals = list(book.worksheets[0].values)
    assert totals[1][1] == 1234.56
    lines = list(book.worksheets[1].values)
    assert lines[1][7] == 1234.56


def test_a_township_officer_checks_an_item_with_a_photo(personas: Personas) -> None:
    item = FacilityItem.objects.get(group=ItemGroup.THIRTEEN_ONES, code="charity_supermarket")
    c = personas.client(personas.township)
    url = f"/building/standards/community/{personas.guanpo.pk}/"
    missing = c.post(url, {"what": "check", "item": item.pk, "present": "1"})
    assert missing.status_code == 200 and "佐证" in missing.content.decode()
    ok = c.post(url, {"what": "check", "item": item.pk, "present": "1", "photo": photo()})
    assert ok.status_code == 302
    check = FacilityCheck.objects.get()
    assert check.present and check.evidence is not None and check.checked_by == personas.township
    row = standards.compliance(timezone.localdate(), personas.guanpo)[personas.guanpo.pk]
    assert item.pk in row.present
    # the clerk uploads evidence but does not check
    clerk = personas.client(personas.clerk)
    assert clerk.post(url, {"what": "evidence", "file": photo()}).status_code == 302
    clerk.post(url, {"what": "check", "item": item.pk, "present": "0"})
    assert FacilityCheck.objects.count() == 1
    export = personas.client(personas.county).get("/building/standards/?format=xlsx")
    assert export.status_code == 200


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]+")


def test_english_pages_show_no_chinese_outside_the_data(
    personas: Personas, rural: OrgUnit, rural_secretary: User
) -> None:
    """Everything Chinese left on an English page is data: unit names, the catalogue,
    the rules' names and bases."""
    project = actions.do_create_project(
        rural_secretary,
        unit=rural,
        name="Road",
        kind=ProjectKind.ROAD,
        procedure=Procedure.CASE_BY_CASE,
        budget="1000",
        plan={FundSource.CASE_SELF_RAISED: "500"},
    )
    prefecture = OrgUnit.objects.get(kind="prefecture")
    pledge = actions.do_make_pledge(
        personas.prefecture, prefecture, year=2015, title="Halls",
        measure=PledgeMeasure.HALLS_OPENED, target="5",
    )  # fmt: skip
    data = " ".join(
        [
            *OrgUnit.objects.values_list("name", flat=True),
            *FacilityItem.objects.values_list("name", flat=True),
            *FacilityItem.objects.values_list("note", flat=True),
            *SubsidyRule.objects.values_list("name", flat=True),
            *SubsidyRule.objects.values_list("basis", flat=True),
            *AreaStandard.objects.values_list("basis", flat=True),
        ]
    )
    c = personas.client(personas.county)
    c.cookies["django_language"] = "en"
    for url in (
        "/building/",
        "/building/figures/",
        "/building/ledger/",
        "/building/ledger/new/",
        "/building/projects/",
        f"/building/projects/{project.pk}/",
        f"/building/projects/{project.pk}/sheet/",
        "/building/projects/new/",
        "/building/standards/",
        f"/building/standards/community/{personas.guanpo.pk}/",
        f"/building/standards/community/{rural.pk}/",
        "/building/groups/",
        "/building/documents/",
        "/building/pledges/",
        f"/building/pledges/{pledge.pk}/",
    ):
        html = c.get(url, headers={"accept-language": "en"}).content.decode()
        main = html.split("<main", 1)[-1]
        text = re.sub(r"<[^>]+>", " ", main)
        left = [run for run in CJK.findall(text) if run not in data]
        assert not left, (url, left[:10])


def test_every_list_exports_a_spreadsheet(personas: Personas) -> None:
    prefecture = OrgUnit.objects.get(kind="prefecture")
    group = actions.do_create_group(
        personas.prefecture, prefecture, kind=GroupKind.LEADING_GROUP, name="领导小组",
        established_on=dt.date(2011, 5, 1),
    )  # fmt: skip
    actions.do_add_member(personas.prefecture, group, role="leader", name="=HYPERLINK(1)")
    c = personas.client(personas.prefecture)
    for url in ("/building/projects/", "/building/groups/", "/building/documents/",
                "/building/pledges/", "/building/figures/"):  # fmt: skip
        response = c.get(url, {"format": "xlsx"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        load_workbook(io.BytesIO(response.content))
    groups = load_workbook(io.BytesIO(c.get("/building/groups/?format=xlsx").content))
    rows = list(groups.worksheets[0].values)
    assert rows[1][4] == "'=HYPERLINK(1)"  # defused by the one writer
