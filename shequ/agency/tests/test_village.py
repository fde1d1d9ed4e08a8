"""Village points: a matter filed with a scan goes up to the township, a retry makes no
second case, the result comes back and the point hands it over with a receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import Personas, make_staff
from shequ.agency.actions import (
    do_file_remote_matter,
    do_hand_over_remote_result,
    do_record_commercial_service,
)
from shequ.agency.figures import village_figures
from shequ.agency.models import CountyTravelCost, Handover, RemoteMatter, VillagePoint
from shequ.agency.tests.conftest import PDF, item, scan
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import CommunityType, Event, OrgUnit, Role, UnitKind, User
from shequ.people.actions import do_register_resident
from shequ.people.models import Resident
from shequ.services.actions import do_complete_case
from shequ.services.figures import village_matters_waiting
from shequ.services.models import Case, CaseStatus

BADONG = "422823000000"
VILLAGER_ID = make_id_number("422823", dt.date(1986, 7, 2), 42)


@pytest.fixture
def point(catalogue: int) -> VillagePoint:
    community = (
        OrgUnit.objects.filter(
            path__startswith=OrgUnit.objects.get(code=BADONG).path,
            kind=UnitKind.COMMUNITY,
            community_type=CommunityType.RURAL,
        )
        .order_by("path")
        .first()
    )
    assert community is not None
    return VillagePoint.objects.create(
        unit=community,
        name=f"{community.name}便民服务点",
        has_fibre=True,
        opened_on=dt.date(2013, 1, 1),
    )


@pytest.fixture
def operator(point: VillagePoint) -> User:
    return make_staff("p_operator", (Role.CLERK, point.unit))


@pytest.fixture
def township_officer(point: VillagePoint) -> User:
    return make_staff(
        "p_bd_township", (Role.TOWNSHIP_OFFICER, point.unit.ancestors().get(kind="township"))
    )


def file(operator: User, point: VillagePoint, key: str = "v-1") -> RemoteMatter:
    return do_file_remote_matter(
        operator,
        point,
        item=item("MZ-002"),
        scan=scan("材料.pdf"),
        villager_name="谭大山",
        villager_phone="13971801234",
        client_token=key,
    )


def test_a_matter_goes_up_once_and_its_result_is_handed_over(
    point: VillagePoint, operator: User, township_officer: User
) -> None:
    matter = file(operator, point)
    case = Case.objects.get()
    assert case.channel == "village_point" and case.status == CaseStatus.SENT_UP
    assert case.handling_unit.kind == UnitKind.TOWNSHIP
    assert matter.scan.name and matter.scan.read().startswith(b"%PDF")
    assert file(operator, point).pk == matter.pk  # the retry after a dropped connection
    assert Case.objects.count() == 1 and RemoteMatter.objects.count() == 1
    with pytest.raises(ValidationError, match="尚未返回"):
        do_hand_over_remote_result(operator, matter)
    do_complete_case(township_officer, case, result="批准临时救助 600 元")
    receipt = do_hand_over_remote_result(operator, matter)
    assert receipt.kind == "point_result" and receipt.to_party == "谭大山"
    assert receipt.documents == ["批准临时救助 600 元"]
    with pytest.raises(ValidationError, match="已交付"):
        do_hand_over_remote_result(operator, matter)
    assert Handover.objects.count() == 1


def test_a_scan_is_required_and_outsiders_cannot_file(
    point: VillagePoint, operator: User, personas: Personas
) -> None:
    with pytest.raises(ValidationError, match="请上传"):
        do_file_remote_matter(operator, point, item=item("MZ-002"), scan=None, villager_name="a")
    with pytest.raises(PermissionDenied):
        file(personas.clerk, point)
    assert not Case.objects.exists()


def test_the_figures_add_platform_work_at_the_point_or_county_cost(
    point: VillagePoint, operator: User, township_officer: User
) -> None:
    county = OrgUnit.objects.get(code=BADONG)
    CountyTravelCost.objects.create(unit=county, fare_yuan=Decimal(30), lost_work_yuan=Decimal(50))
    matter = file(operator, point)
    file(operator, point, key="v-2")
    do_complete_case(township_officer, Case.objects.get(pk=matter.case_id), result="批准")
    do_record_commercial_service(
        operator, point, kind="payment", amount_yuan="88.5", client_token="c"
    )
    do_record_commercial_service(
        operator, point, kind="payment", amount_yuan="88.5", client_token="c"
    )
    with pytest.raises(ValidationError):
        do_record_commercial_service(operator, point, kind="payment", amount_yuan="-1")
    today = timezone.localdate()
    f = village_figures(county, dt.date(2013, 1, 1), today + dt.timedelta(days=1))
    assert (f.points, f.points_with_fibre) == (1, 1)
    assert (f.matters_accepted, f.matters_completed, f.completion_rate) == (2, 1, Decimal("50.0"))
    assert (f.commercial_services, f.commercial_amount_yuan) == (1, Decimal("88.50"))
    assert f.trips_saved == 3 and f.money_saved_yuan == Decimal("240.00")
    point.fare_yuan = Decimal(70)
    point.save()
    f = village_figures(county, dt.date(2013, 1, 1), today + dt.timedelta(days=1))
    assert f.money_saved_yuan == Decimal("360.00")
    empty = village_figures(county, dt.date(2013, 1, 1), dt.date(2013, 2, 1))
    assert empty.completion_rate is None and empty.money_saved_yuan == 0


@pytest.fixture
def villager(point: VillagePoint, operator: User) -> Resident:
    return do_register_resident(
        operator,
        unit=point.unit,
        name="向秀兰",
        id_number=VILLAGER_ID,
        phone="13971801111",
        registration_type="registered",
    )


def test_the_point_form_files_once_for_a_repeated_token(
    point: VillagePoint, operator: User, villager: Resident
) -> None:
    c = Client()
    c.force_login(operator)
    url = f"/agency/points/{point.pk}/matters/new/"
    form = c.get(url).content.decode()
    assert "遭遇急难情况的证明" in form  # the material list of 临时救助申请 is on the page
    for _ in range(2):
        response = c.post(  # a fresh upload each time, as a browser resends it
            url,
            {
                "item": item("MZ-002").pk,
                "id_number": VILLAGER_ID,
                "client_token": "form-token-1",
                "scan": scan("s.pdf", PDF),
            },
        )
        assert response.status_code == 302
    case = Case.objects.get()
    assert case.resident == villager  # the villager is the applicant, not a "caller"
    assert case.applicant_kind == "resident"
    page = c.get(response["Location"]).content.decode()
    assert "向秀兰" in page and "已报上级" in page
    assert f"/services/cases/{case.pk}/notice/accepted/" in page  # the receipt to print
    receipt = c.get(f"/services/cases/{case.pk}/notice/accepted/").content.decode()
    assert "受理回执" in receipt and "报送" in receipt and "<svg" in receipt
    bad = c.post(
        url,
        {
            "item": item("MZ-002").pk,
            "id_number": VILLAGER_ID,
            "scan": scan("s.exe", b"MZ\x90"),
        },
    )
    assert bad.status_code == 200 and "PDF" in bad.content.decode()


def test_an_id_number_not_in_the_village_registry_files_nothing(
    point: VillagePoint, operator: User, villager: Resident
) -> None:
    c = Client()
    c.force_login(operator)
    unknown = make_id_number("422823", dt.date(1970, 1, 1), 11)
    response = c.post(
        f"/agency/points/{point.pk}/matters/new/",
        {"item": item("MZ-002").pk, "id_number": unknown, "scan": scan("s.pdf", PDF)},
    )
    assert response.status_code == 200
    assert "居民登记库中没有本村这个身份证号的村民" in response.content.decode()
    assert not Case.objects.exists()
    assert Event.objects.filter(verb="resident.looked_up").exists()  # the lookup is logged


def test_the_township_returns_a_matter_the_point_resubmits_and_the_township_refuses(
    point: VillagePoint, operator: User, township_officer: User, villager: Resident
) -> None:
    matter = do_file_remote_matter(
        operator, point, item=item("MZ-002"), scan=scan(), resident=villager
    )
    case = Case.objects.get(pk=matter.case_id)
    township = case.handling_unit
    assert [c.pk for c in village_matters_waiting(township)] == [case.pk]
    officer = Client()
    officer.force_login(township_officer)
    page = officer.get(case.get_absolute_url()).content.decode()
    assert f"/agency/matters/{matter.pk}/scan/" in page  # the township opens the scan
    assert 'id="step-return"' in page and 'id="step-refuse"' in page
    assert officer.get(f"/agency/matters/{matter.pk}/scan/").status_code == 200

    response = officer.post(
        reverse("services:case_step", args=[case.pk, "return"]),
        {"missing_other": "户口簿\n遭遇急难情况的证明(医疗票据、事故证明等)"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    assert case.handling_unit == point.unit  # back in the point's queue
    assert not village_matters_waiting(township).exists()

    point_client = Client()
    point_client.force_login(operator)
    listing = point_client.get(point.get_absolute_url()).content.decode()
    assert "打印一次性告知书" in listing
    notice = point_client.get(reverse("services:case_notice", args=[case.pk, "returned"]))
    text = notice.content.decode()
    assert notice.status_code == 200 and "<li>户口簿</li>" in text
    assert township.name in text  # issued by the township, with its office block

    response = point_client.post(
        reverse("agency:matter_resubmit", args=[matter.pk]), {"scan": scan("fixed.pdf")}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SENT_UP and case.handling_unit == township

    response = officer.post(
        reverse("services:case_step", args=[case.pk, "refuse"]),
        {"reason": "不符合临时救助条件", "legal_basis": "《社会救助暂行办法》第四十七条"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED and case.result == "不符合临时救助条件"
    refused = point_client.get(reverse("services:case_notice", args=[case.pk, "refused"]))
    assert "不予受理通知书" in refused.content.decode()
