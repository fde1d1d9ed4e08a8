"""Registering and revoking an authorisation (授权委托): only the eligible, checked against
the registry at that moment; a scan of the signed form; the resident and family told."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import Personas
from shequ.agency.actions import do_revoke_authorization
from shequ.agency.models import Authorization, AuthStatus
from shequ.agency.tests.conftest import FAMILY_PHONE, Authorize, MakeResident, item, scan
from shequ.notify.models import Message
from shequ.orgs.models import Event
from shequ.people.actions import do_end_category_membership
from shequ.people.models import CategoryMembership


def test_it_registers_an_eligible_resident_and_tells_resident_and_family(
    authorize: Authorize,
) -> None:
    auth = authorize(client_token="t-1")
    assert auth.status == AuthStatus.ACTIVE
    assert auth.categories == ["elderly_alone"]
    assert (auth.form_scan.name or "").startswith("agency/authorizations/")
    assert (
        auth.family_phone_masked.startswith("139") and FAMILY_PHONE not in auth.family_phone_masked
    )
    bodies = list(Message.objects.filter(kind="agency.authorized").values_list("body", flat=True))
    assert len(bodies) == 2 and "全程代办" in bodies[0]
    assert Event.objects.filter(verb="agency.authorization_registered").count() == 1
    assert authorize(client_token="t-1").pk == auth.pk  # a retry creates nothing
    assert Authorization.objects.count() == 1


def test_it_refuses_an_ineligible_resident_with_a_clear_reason(
    authorize: Authorize, make_resident: MakeResident
) -> None:
    young = make_resident(category=None, name="李强")
    with pytest.raises(ValidationError) as exc:
        authorize(resident=young)
    message = exc.value.message_dict["resident"][0]
    assert "李强" in message and "不属于可全程代理的人群" in message
    assert "特困人员" in message and "孤寡老人" in message
    assert not Authorization.objects.exists()
    assert not Message.objects.filter(kind="agency.authorized").exists()


def test_eligibility_is_read_from_the_registry_at_the_moment_of_authorisation(
    personas: Personas, authorize: Authorize, make_resident: MakeResident
) -> None:
    r = make_resident(category="disabled")
    m = CategoryMembership.objects.get(resident=r)
    do_end_category_membership(personas.clerk, m, valid_to=timezone.localdate() - dt.timedelta(1))
    with pytest.raises(ValidationError, match="不属于可全程代理"):
        authorize(resident=r)


def test_a_scan_must_be_a_pdf_or_image_of_limited_size(authorize: Authorize, settings: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        authorize(form_scan=scan("form.pdf", b"MZ\x90\x00 not a pdf"))
    assert "PDF" in exc.value.message_dict["form_scan"][0]
    settings.SHEQU_AGENCY_MAX_SCAN_BYTES = 10
    with pytest.raises(ValidationError, match="不能超过"):
        authorize()
    with pytest.raises(ValidationError, match="请上传"):
        authorize(form_scan=None)


def test_named_items_must_allow_agency(authorize: Authorize) -> None:
    with pytest.raises(ValidationError, match="请选择委托事项"):
        authorize(all_items=False)
    auth = authorize(all_items=False, items=[item("MZ-004"), item("SB-005")])
    assert set(auth.items.values_list("code", flat=True)) == {"MZ-004", "SB-005"}


def test_an_outsider_cannot_authorise_and_revocation_is_once(
    personas: Personas, authorize: Authorize
) -> None:
    with pytest.raises(PermissionDenied):
        authorize(actor=personas.lichuan_clerk)
    auth = authorize()
    with pytest.raises(ValidationError, match="撤销原因"):
        do_revoke_authorization(personas.clerk, auth, reason=" ")
    do_revoke_authorization(personas.clerk, auth, reason="本人申请撤销")
    auth.refresh_from_db()
    assert auth.status == AuthStatus.REVOKED and auth.revoked_at is not None
    with pytest.raises(ValidationError, match="已撤销"):
        do_revoke_authorization(personas.director, auth, reason="再次撤销")
    assert Message.objects.filter(kind="agency.revoked").count() == 2
