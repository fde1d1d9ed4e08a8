"""A disclosure goes out only after a supervision-committee member approved it; the
approval is recorded; it shows on the portal's board, prints as a poster with the
approval, contacts, seal places and a QR code; the photo of the posted board is kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import Personas, make_staff
from shequ.governance import disclosure_actions as da
from shequ.governance.models import (
    CommitteeKind,
    CommitteeMember,
    Disclosure,
    DisclosureFile,
    DisclosureStatus,
)
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.disclosure_helpers import finance_due, on_calendar, supervision
from shequ.orgs.models import Event, Role

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _submit(village: Village) -> Disclosure:
    due = finance_due(village, "2025Q1")
    return da.do_submit_disclosure(
        village.staff,
        unit=village.unit,
        item=due.item,
        due=due,
        title="2025年第一季度财务收支公开",
        body="本季度收入、支出如下。",
        table=[["项目", "金额(元)"], ["收入", "12000.00"]],
    )


def test_it_publishes_only_what_the_supervision_committee_approved(village: Village) -> None:
    chair = supervision(village)
    on_calendar(village)
    d = _submit(village)
    with pytest.raises(ValidationError):  # not approved yet
        da.do_publish_disclosure(village.staff, d)
    with pytest.raises(ValidationError, match="监督委员会"):  # a village-committee member
        da.do_review_disclosure(village.staff, d, reviewer=_village_member(village), approve=True)
    with pytest.raises(ValidationError, match="理由"):
        da.do_review_disclosure(village.staff, d, reviewer=chair, approve=False)
    da.do_review_disclosure(village.staff, d, reviewer=chair, approve=True, note="账目相符")
    d.refresh_from_db()
    assert d.status == DisclosureStatus.APPROVED and d.reviewer == chair
    assert d.review_recorded_by == village.staff
    da.do_publish_disclosure(village.staff, d)
    d.refresh_from_db()
    assert d.status == DisclosureStatus.PUBLISHED and d.published_on is not None
    verbs = set(Event.objects.filter(object_id=str(d.pk)).values_list("verb", flat=True))
    assert {"governance.disclosure_reviewed", "governance.disclosure_published"} <= verbs


def _village_member(village: Village) -> CommitteeMember:
    return CommitteeMember.objects.get(
        committee__unit=village.unit,
        committee__kind=CommitteeKind.VILLAGE,
        resident=village.director,
    )


def test_a_member_with_an_account_reviews_and_others_may_not(
    village: Village, personas: Personas
) -> None:
    chair = supervision(village)
    on_calendar(village)
    d = _submit(village)
    with pytest.raises(PermissionDenied):
        da.do_review_disclosure(personas.lichuan_clerk, d, reviewer=chair, approve=True)
    member_user = make_staff("v_supervisor", (Role.VOLUNTEER, village.unit))
    chair.user = member_user
    chair.save(update_fields=["user"])
    da.do_review_disclosure(member_user, d, reviewer=chair, approve=True)
    assert Disclosure.objects.get(pk=d.pk).status == DisclosureStatus.APPROVED


def test_the_board_poster_and_photo(village: Village, personas: Personas) -> None:
    chair = supervision(village)
    on_calendar(village)
    d = _submit(village)
    c = personas.client(village.staff)
    page = reverse("governance:disclosure", args=[d.pk])
    assert c.get(reverse("governance:disclosure_poster", args=[d.pk])).status_code == 404
    r = c.post(page, {"step": "review", "reviewer": chair.pk, "decision": "approve", "note": ""})
    assert r.status_code == 302
    assert c.post(page, {"step": "publish"}).status_code == 302
    poster = c.get(reverse("governance:disclosure_poster", args=[d.pk])).content.decode()
    assert "2025年第一季度财务收支公开" in poster and "12000.00" in poster
    assert chair.resident.name in poster and "监督委员会" in poster
    assert "盖章" in poster and "<svg" in poster
    board = c.get(f"/board/?community={village.unit.pk}").content.decode()
    assert "2025年第一季度财务收支公开" in board
    portal = c.get(reverse("portal:disclosure", args=[village.unit.pk, d.pk]))
    assert portal.status_code == 200 and "12000.00" in portal.content.decode()
    photo = SimpleUploadedFile("board.png", PNG, content_type="image/png")
    r = c.post(
        page, {"step": "photo", "photo": photo, "taken_on": timezone.localdate().isoformat()}
    )
    assert r.status_code == 302
    row = DisclosureFile.objects.get(disclosure=d, kind="board_photo")
    served = c.get(reverse("governance:disclosure_file", args=[row.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    # Out of scope: 404.
    other = personas.client(personas.lichuan_clerk)
    assert other.get(page).status_code == 404
    assert other.get(reverse("governance:disclosure_file", args=[row.pk])).status_code == 404
