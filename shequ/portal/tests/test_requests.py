"""Asking online and following: a case on the online channel with photos, idempotent,
only one's own and one's household's cases (others 404), the timeline without staff
notes, rating after completion, throttles on submissions, and the staff's photo pages."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import MakeResident, Personas
from shequ.people.actions import do_add_household_member, do_create_household
from shequ.people.models import Resident
from shequ.portal import actions
from shequ.portal.models import OnlineRequest, RequestPhoto
from shequ.portal.tests.conftest import SignIn, account_of, photo_file, png
from shequ.services.actions import (
    do_accept_case,
    do_complete_case,
    do_receive_case,
    do_return_case_for_correction,
)
from shequ.services.models import Case, Rating, ServiceItem

MINE = "13972700019"  # the resident persona's number
OTHER = "13972700077"
ITEM = "SQ-001"


def _token(page: str) -> str:
    found = re.search(r'name="client_token" value="([0-9a-f]+)"', page)
    assert found, page[:3000]
    return found.group(1)


def submit(c: Client, code: str = ITEM, **extra: object) -> Case:
    token = _token(c.get(f"/ask/{code}/").content.decode())
    data = {"summary": "申领居住证,已在本社区居住半年。", "client_token": token, **extra}
    r = c.post(f"/ask/{code}/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    return Case.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))


def test_a_resident_submits_a_request_with_photos_once(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    c = sign_in(MINE)
    token = _token(c.get(f"/ask/{ITEM}/").content.decode())
    data = {
        "summary": "申领居住证。",
        "client_token": token,
        "photos": [photo_file(), photo_file("b.png")],
    }
    first = c.post(f"/ask/{ITEM}/", data)
    assert first.status_code == 302
    again = c.post(f"/ask/{ITEM}/", {"summary": "申领居住证。", "client_token": token})
    assert again["Location"] == first["Location"]
    case = Case.objects.get()
    assert case.channel == "online" and case.resident == resident and case.unit == personas.guanpo
    assert not case.quarter_hour_applies
    assert OnlineRequest.objects.get().account == account_of(MINE)
    assert RequestPhoto.objects.count() == 2
    page = c.get(first["Location"]).content.decode()
    assert "已登记" in page and "hukou" not in page and "id.png" in page
    photo = RequestPhoto.objects.first()
    assert photo is not None
    assert c.get(f"/my/photos/{photo.pk}/").status_code == 200
    # the clerk of the community sees the photos; a clerk of another county does not
    assert (
        personas.client(personas.clerk).get(f"/portal-staff/photos/{photo.pk}/").status_code == 200
    )
    assert (
        personas.client(personas.lichuan_clerk).get(f"/portal-staff/photos/{photo.pk}/").status_code
        == 404
    )
    staff_page = personas.client(personas.clerk).get("/portal-staff/requests/").content.decode()
    assert str(case.number) in staff_page


def test_a_photo_must_be_an_image(sign_in: SignIn, resident: Resident) -> None:
    c = sign_in(MINE)
    token = _token(c.get(f"/ask/{ITEM}/").content.decode())
    bad = __import__("io").BytesIO(b"MZ\x90\x00 not a picture")
    bad.name = "virus.png"
    r = c.post(f"/ask/{ITEM}/", {"summary": "x", "client_token": token, "photos": [bad]})
    assert r.status_code == 400 and "JPG 或 PNG" in r.content.decode()
    assert not Case.objects.exists()


def test_another_households_request_is_404(
    sign_in: SignIn, resident: Resident, make_resident: MakeResident
) -> None:
    make_resident(name="李四", phone=OTHER)
    mine = submit(sign_in(MINE))
    other = sign_in(OTHER, client=Client(REMOTE_ADDR="10.7.7.7"))
    assert other.get(f"/my/{mine.pk}/").status_code == 404
    assert other.get(f"/my/{mine.pk}/receipt/").status_code == 404
    assert other.post(f"/my/{mine.pk}/rate/", {"grade": 5, "client_token": "t"}).status_code == 404
    assert other.get("/my/999999999999/").status_code == 404
    assert str(mine.number) not in other.get("/my/").content.decode()


def test_a_household_sees_its_members_cases(
    sign_in: SignIn, resident: Resident, make_resident: MakeResident, personas: Personas
) -> None:
    spouse = make_resident(name="向大山", phone=OTHER)
    household = do_create_household(None, head=resident)
    do_add_household_member(None, household, resident=spouse, relation="spouse")
    case = do_receive_case(
        personas.clerk,
        unit=personas.guanpo,
        item=ServiceItem.objects.get(code="MZ-001"),
        channel="window",
        applicant_kind="resident",
        resident=spouse,
    )
    c = sign_in(MINE)
    assert c.get(f"/my/{case.pk}/").status_code == 200
    assert "向大山" in c.get("/my/").content.decode()


def test_the_timeline_shows_steps_not_staff_notes(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    c = sign_in(MINE)
    case = submit(c)
    do_return_case_for_correction(
        personas.clerk, case, missing=["居住证明"], note="内部:申请人态度好,房东电话 13911112222"
    )
    page = c.get(f"/my/{case.pk}/").content.decode()
    assert "居住证明" in page and "退回补正" in page
    assert "内部" not in page and "13911112222" not in page
    do_accept_case(personas.clerk, case, note="内部备注不显示")
    case.refresh_from_db()
    page = c.get(f"/my/{case.pk}/").content.decode()
    assert "内部备注不显示" not in page
    assert 'id="reply-at"' in page and case.due_at is not None


def test_a_completed_case_is_rated_once(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    c = sign_in(MINE)
    case = submit(c)
    assert 'id="rate-form"' not in c.get(f"/my/{case.pk}/").content.decode()
    do_accept_case(personas.clerk, case)
    do_complete_case(personas.clerk, case, result="已办结,请到社区领取居住证。")
    page = c.get(f"/my/{case.pk}/").content.decode()
    assert 'id="rate-form"' in page and "请到社区领取" in page
    token = _token(page)
    r = c.post(f"/my/{case.pk}/rate/", {"grade": "5", "comment": "很快", "client_token": token})
    assert r.status_code == 302
    again = c.post(f"/my/{case.pk}/rate/", {"grade": "5", "client_token": token})
    assert again.status_code == 302
    rating = Rating.objects.get()
    assert rating.grade == 5 and rating.channel == "link"
    bad = c.post(f"/my/{case.pk}/rate/", {"grade": "9", "client_token": "other"})
    assert bad.status_code == 400


def test_a_limited_account_chooses_its_community_and_asks(
    sign_in: SignIn, personas: Personas
) -> None:
    c = sign_in("13900003333")
    r = c.get(f"/ask/{ITEM}/")
    assert r.status_code == 302 and r["Location"].startswith("/my/community/")
    found = c.get("/my/community/?q=官坡").content.decode()
    assert "官坡社区" in found
    c.post("/my/community/", {"community": personas.guanpo.pk})
    token = _token(c.get(f"/ask/{ITEM}/").content.decode())
    r = c.post(f"/ask/{ITEM}/", {"summary": "办证", "client_token": token})
    assert r.status_code == 400 and "请填写您的姓名" in r.content.decode()
    case = submit(c, name="王五")
    assert case.applicant_kind == "caller" and case.contact_name == "王五"
    assert case.contact_phone_masked == "139****3333"
    assert "只能查看您在网上提交的申请" in c.get("/my/").content.decode()


def test_submissions_are_throttled_per_account(
    sign_in: SignIn, resident: Resident, settings: object
) -> None:
    settings.SHEQU_PORTAL_REQUESTS_PER_DAY = 2  # type: ignore[attr-defined]
    c = sign_in(MINE)
    submit(c)
    submit(c)
    token = _token(c.get(f"/ask/{ITEM}/").content.decode())
    r = c.post(f"/ask/{ITEM}/", {"summary": "第三件", "client_token": token})
    assert r.status_code == 400 and "已达上限" in r.content.decode()
    assert Case.objects.count() == 2


def test_an_item_not_online_cannot_be_asked(sign_in: SignIn, resident: Resident) -> None:
    c = sign_in(MINE)
    item = ServiceItem.objects.filter(public=False).first()
    assert item is not None
    page = c.get(f"/guide/{item.code}/").content.decode()
    assert 'id="apply"' not in page
    token = _token(c.get(f"/ask/{item.code}/").content.decode())
    r = c.post(f"/ask/{item.code}/", {"summary": "x", "client_token": token})
    assert r.status_code == 400 and "不能网上申请" in r.content.decode()
    with pytest.raises(ValidationError):
        actions.do_submit_request(account_of(MINE), item=item, summary="x", client_token="abc")


def test_a_png_helper_is_an_image() -> None:
    assert actions.check_photos([png()])[0][1] == "image/png"


def test_a_token_of_another_account_files_nothing(
    sign_in: SignIn, resident: Resident, make_resident: MakeResident
) -> None:
    make_resident(name="李四", phone=OTHER)
    mine = sign_in(MINE)
    token = _token(mine.get(f"/ask/{ITEM}/").content.decode())
    mine.post(f"/ask/{ITEM}/", {"summary": "办证", "client_token": token})
    other = sign_in(OTHER, client=Client(REMOTE_ADDR="10.7.7.8"))
    r = other.post(f"/ask/{ITEM}/", {"summary": "办证", "client_token": token})
    assert r.status_code == 404
    assert Case.objects.count() == 1


def test_apply_lists_only_what_can_be_asked_online(sign_in: SignIn, resident: Resident) -> None:
    c = sign_in(MINE)
    offline = ServiceItem.objects.filter(public=False).first()
    assert offline is not None
    assert offline.name in c.get("/guide/").content.decode()
    assert offline.name not in c.get("/guide/?apply=1").content.decode()


def test_the_case_page_links_the_requests_photos_for_its_scope(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    c = sign_in(MINE)
    case = submit(c, photos=[photo_file(), photo_file("b.png")])
    photos = list(RequestPhoto.objects.order_by("pk"))
    clerk = personas.client(personas.clerk)
    page = clerk.get(f"/services/cases/{case.pk}/").content.decode()
    row = re.search(r'<dd[^>]*id="case-files"[^>]*>(.*?)</dd>', page, re.S)
    assert row is not None
    links = re.findall(r'href="([^"]+)"', row.group(1))
    assert links == [f"/portal-staff/photos/{p.pk}/" for p in photos]
    opened = clerk.get(links[0])
    assert opened.status_code == 200 and opened["Content-Type"].startswith("image/")
    outsider = personas.client(personas.lichuan_clerk)
    assert outsider.get(f"/services/cases/{case.pk}/").status_code == 404
    assert outsider.get(links[0]).status_code == 404
