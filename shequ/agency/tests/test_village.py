"""Village points: a matter filed with a scan goes up to the township, a retry makes no
second case, the result comes back and the point hands it over with a receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
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
from shequ.orgs.models import CommunityType, OrgUnit, Role, UnitKind, User
from shequ.services.actions import do_complete_case
from shequ.services.models import Case, CaseStatus

BADONG = "422823000000"


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


def test_the_point_form_files_once_for_a_repeated_token(
    point: VillagePoint, operator: User
) -> None:
    c = Client()
    c.force_login(operator)
    url = f"/agency/points/{point.pk}/matters/new/"
    assert c.get(url).status_code == 200
    for _ in range(2):
        response = c.post(  # a fresh upload each time, as a browser resends it
            url,
            {
                "item": item("MZ-002").pk,
                "villager_name": "向秀兰",
                "villager_phone": "13971801111",
                "client_token": "form-token-1",
                "scan": scan("s.pdf", PDF),
            },
        )
        assert response.status_code == 302
    assert Case.objects.count() == 1
    page = c.get(f"/agency/points/{point.pk}/").content.decode()
    assert "向秀兰" in page and "已报上级" in page
    bad = c.post(
        url,
        {
            "item": item("MZ-002").pk,
            "villager_name": "x",
            "villager_phone": "13971801111",
            "scan": scan("s.exe", b"MZ\x90"),
        },
    )
    assert bad.status_code == 200 and "PDF" in bad.content.decode()
