"""Issue 11, item 8: a password change or a deactivation ends the user's API tokens;
reveal answers are not cached; the reveal export is a POST; a dead token on a POST is
401. Fails before issue 11: tokens outlived a changed password, the API's reveal had no
Cache-Control, and an unknown or revoked token on a POST answered a CSRF 403."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.test import Client

from conftest import MakeResident, Personas, make_staff
from shequ.orgs.actions import do_create_api_token, do_revoke_api_token
from shequ.orgs.admin import UserAdmin
from shequ.orgs.models import ApiToken, Event

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_a_password_change_revokes_the_users_tokens(personas: Personas) -> None:
    clerk = personas.clerk
    _token, secret = do_create_api_token(clerk, name="脚本")
    assert secret is not None
    assert _bearer(secret).get("/api/v1/people/residents").status_code == 200
    c = personas.client(clerk)
    changed = c.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert changed.status_code == 302
    assert _bearer(secret).get("/api/v1/people/residents").status_code == 401
    assert not ApiToken.objects.filter(user=clerk, revoked_at__isnull=True).exists()
    event = Event.objects.filter(verb="api_token.revoked").latest("pk")
    assert event.after is not None and event.after["why"] == "password_changed"


def test_an_admin_password_or_deactivation_revokes_them(personas: Personas) -> None:
    clerk = personas.clerk
    do_create_api_token(clerk, name="一")
    form = UserAdmin.change_password_form(
        clerk, {"password1": "another-long-secret-7", "password2": "another-long-secret-7"}
    )
    assert isinstance(form, AdminPasswordChangeForm) and form.is_valid(), form.errors
    form.save()
    assert not ApiToken.objects.filter(user=clerk, revoked_at__isnull=True).exists()
    do_create_api_token(clerk, name="二")
    admin_user = make_staff("p_admin")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    c = Client()
    c.force_login(admin_user)
    change = f"/admin/orgs/user/{clerk.pk}/change/"
    page = c.get(change)
    assert page.status_code == 200
    data = {
        "username": clerk.username,
        "full_name": clerk.full_name,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "posts-TOTAL_FORMS": "0",
        "posts-INITIAL_FORMS": "0",
        "posts-MIN_NUM_FORMS": "0",
        "posts-MAX_NUM_FORMS": "1000",
    }
    c.post(change, data)
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert not ApiToken.objects.filter(user=clerk, revoked_at__isnull=True).exists()


def test_reveal_answers_are_not_cached(personas: Personas, make_resident: MakeResident) -> None:
    r = make_resident()
    c = personas.client(personas.director)
    api = c.post(
        f"/api/v1/people/residents/{r.pk}/reveal",
        json.dumps({"field": "id_number", "reason": "核对低保材料"}),
        content_type="application/json",
    )
    assert api.status_code == 200 and api["Cache-Control"] == "no-store"
    assert c.get("/people/export.xlsx", {"reveal": "on", "reason": "报送"}).status_code == 405
    full = c.post("/people/export.xlsx", {"reveal": "on", "reason": "报送民政局"})
    assert full.status_code == 200 and full["Cache-Control"] == "no-store"


def test_an_unknown_or_revoked_token_on_a_post_is_401_not_a_csrf_403(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident()
    token, secret = do_create_api_token(personas.clerk, name="旧脚本")
    assert secret is not None
    do_revoke_api_token(personas.clerk, token)
    body = json.dumps({"field": "id_number", "reason": "核对"})
    url = f"/api/v1/people/residents/{r.pk}/reveal"
    for credential in (secret, "shq_nonsense"):
        c = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {credential}"})
        answer = c.post(url, body, content_type="application/json")
        assert answer.status_code == 401, answer.content
        assert set(answer.json()) == {"detail", "errors"}
        assert answer.json()["detail"] == "请登录,或在请求头中提供有效的接口令牌。"
    # No credentials at all: 401 too. A signed-in session still needs its CSRF token.
    anonymous = Client(enforce_csrf_checks=True).post(url, body, content_type="application/json")
    assert anonymous.status_code == 401
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(personas.director)
    assert signed_in.post(url, body, content_type="application/json").status_code == 403
