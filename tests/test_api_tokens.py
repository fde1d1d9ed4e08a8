"""Personal API tokens: made and revoked on the user's own page, accepted as
``Authorization: Bearer`` on /api/v1/ with the token user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import Personas, make_staff
from shequ.lib import apikeys
from shequ.lib.idcard import make_id_number
from shequ.orgs.actions import do_create_api_token, do_revoke_api_token
from shequ.orgs.models import ApiToken, Event, UnitKind
from shequ.people.actions import do_register_resident
from shequ.services.actions import do_receive_case
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import ServiceItem

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_it_creates_a_token_shown_once_and_stores_only_its_digest(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    r = c.post(reverse("orgs:api_tokens"), {"name": "台账同步", "client_token": "t-1"})
    assert r.status_code == 200
    secret = r.context["secret"]
    assert "no-store" in r["Cache-Control"]
    assert secret.startswith("shq_")
    token = ApiToken.objects.get(user=personas.clerk)
    assert token.secret_hash == apikeys.digest(secret)
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret)
    assert secret not in str(ApiToken.objects.values_list().get())
    assert Event.objects.filter(verb="api_token.created", object_id=str(token.pk)).exists()
    # The list shows the prefix, never the secret again.
    page = c.get(reverse("orgs:api_tokens")).content.decode()
    assert token.prefix in page and secret not in page
    # A retried submission creates nothing and shows no secret.
    r = c.post(reverse("orgs:api_tokens"), {"name": "台账同步", "client_token": "t-1"})
    assert r.status_code == 302
    assert ApiToken.objects.filter(user=personas.clerk).count() == 1


def test_it_revokes_only_ones_own_tokens(personas: Personas) -> None:
    token, _ = do_create_api_token(personas.clerk, name="mine")
    other = personas.client(personas.lichuan_clerk)
    r = other.post(reverse("orgs:api_token_revoke", args=[token.pk]))
    assert r.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    r = personas.client(personas.clerk).post(reverse("orgs:api_token_revoke", args=[token.pk]))
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Event.objects.filter(verb="api_token.revoked", object_id=str(token.pk)).exists()


def test_it_links_the_page_from_the_navbar(personas: Personas) -> None:
    page = personas.client(personas.clerk).get(reverse("workbench:home")).content.decode()
    assert reverse("orgs:api_tokens") in page


def test_it_scopes_a_token_like_its_user(personas: Personas) -> None:
    """A community clerk's token reads its own community's case, not another county's."""
    ensure_catalogue()
    item = ServiceItem.objects.get(code="MZ-001")
    lichuan_community = personas.lichuan_clerk.posts.get().unit
    assert lichuan_community.kind == UnitKind.COMMUNITY
    far_case = do_receive_case(
        None,
        unit=lichuan_community,
        item=item,
        channel="window",
        applicant_kind="caller",
        contact_name="谭先生",
        contact_phone="13972700001",
    )
    near_case = do_receive_case(
        None,
        unit=personas.clerk.posts.get().unit,
        item=item,
        channel="window",
        applicant_kind="caller",
        contact_name="向女士",
        contact_phone="13972700002",
    )
    far_resident = do_register_resident(
        None,
        unit=lichuan_community,
        name="谭桂英",
        id_number=make_id_number("422802", dt.date(1960, 5, 1), 18),
    )
    _, secret = do_create_api_token(personas.clerk, name="script")
    assert secret is not None
    c = Client()  # no session: the token alone
    r = c.get(f"/api/v1/services/cases/{near_case.pk}/", headers=bearer(secret))
    assert r.status_code == 200, r.content
    assert r.json()["number"] == near_case.number
    assert (
        c.get(f"/api/v1/services/cases/{far_case.pk}/", headers=bearer(secret)).status_code == 404
    )
    r = c.get(f"/api/v1/people/residents/{far_resident.pk}", headers=bearer(secret))
    assert r.status_code == 404
    listed = c.get("/api/v1/services/cases/", headers=bearer(secret)).json()
    assert [row["id"] for row in listed["items"]] == [near_case.pk]
    assert ApiToken.objects.get(user=personas.clerk).last_used_at is not None


def test_it_refuses_a_revoked_or_unknown_token(personas: Personas) -> None:
    token, secret = do_create_api_token(personas.clerk, name="old")
    assert secret is not None
    c = Client()
    assert c.get("/api/v1/services/cases/", headers=bearer(secret)).status_code == 200
    do_revoke_api_token(personas.clerk, token)
    assert c.get("/api/v1/services/cases/", headers=bearer(secret)).status_code == 401
    assert c.get("/api/v1/services/cases/", headers=bearer("shq_nonsense")).status_code == 401
    assert c.get("/api/v1/services/cases/").status_code == 401


def test_a_token_needs_no_csrf_for_writes(personas: Personas) -> None:
    ensure_catalogue()
    _, secret = do_create_api_token(personas.clerk, name="w")
    assert secret is not None
    c = Client(enforce_csrf_checks=True)
    r = c.post(
        "/api/v1/services/cases/",
        {
            "unit_id": personas.clerk.posts.get().unit_id,
            "item": "MZ-001",
            "applicant_kind": "caller",
            "contact_name": "向女士",
            "contact_phone": "13972700002",
        },
        content_type="application/json",
        headers=bearer(secret),
    )
    assert r.status_code == 201, r.content


def test_it_rate_limits_each_token(personas: Personas, settings: object) -> None:
    settings.SHEQU_API_TOKEN_RATE_PER_MINUTE = 3  # type: ignore[attr-defined]
    _, secret = do_create_api_token(personas.clerk, name="busy")
    _, other = do_create_api_token(personas.clerk, name="calm")
    assert secret is not None and other is not None
    c = Client()
    # Frozen mid-window, so the minute cannot roll over between the requests.
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, 20, tzinfo=dt.UTC), tick=False):
        codes = [
            c.get("/api/v1/services/cases/", headers=bearer(secret)).status_code for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        r = c.get("/api/v1/services/cases/", headers=bearer(secret))
        assert r.status_code == 429
        assert r["Retry-After"] == "40"
        assert "每分钟最多 3 次" in r.json()["detail"]
        # Another token of the same person has its own count.
        assert c.get("/api/v1/services/cases/", headers=bearer(other)).status_code == 200
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, 1, 0, tzinfo=dt.UTC), tick=False):
        assert c.get("/api/v1/services/cases/", headers=bearer(secret)).status_code == 200


def test_the_api_refuses_an_oversized_body(personas: Personas, settings: object) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024  # type: ignore[attr-defined]
    _, secret = do_create_api_token(personas.clerk, name="big")
    assert secret is not None
    r = Client().post(
        "/api/v1/services/cases/",
        {"unit_id": 1, "item": "x", "applicant_kind": "caller", "summary": "长" * 2000},
        content_type="application/json",
        headers=bearer(secret),
    )
    assert r.status_code == 413
    assert r.json() == {"detail": "请求内容过大。", "errors": {}}


def test_a_superuser_lists_and_revokes_tokens_in_the_admin(personas: Personas) -> None:
    token, secret = do_create_api_token(personas.clerk, name="lost laptop")
    assert secret is not None
    admin = make_staff("root")
    admin.is_superuser = admin.is_staff = True
    admin.save(update_fields=["is_superuser", "is_staff"])
    c = personas.client(admin)
    page = c.get("/admin/orgs/apitoken/")
    assert page.status_code == 200 and token.prefix in page.content.decode()
    assert secret not in page.content.decode()
    assert c.get("/admin/orgs/apitoken/add/").status_code == 403
    r = c.post(
        "/admin/orgs/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Event.objects.filter(verb="api_token.revoked", actor=admin).exists()
    assert Client().get("/api/v1/services/cases/", headers=bearer(secret)).status_code == 401
