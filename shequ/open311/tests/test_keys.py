"""Partner keys: issued by the command or in the admin (shown once, stored hashed)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from shequ.lib import apikeys
from shequ.open311.models import PartnerKey
from shequ.open311.tests.conftest import LICHUAN, FileRequest, check_errors
from shequ.orgs.models import Event, User

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("open311_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_issues_a_key_once_and_revokes_it(file_request: FileRequest) -> None:
    key, note = run("create", "恩施市便民小程序", "--county", "422801")
    assert key.startswith("o311_") and "shown only now" in note
    partner = PartnerKey.objects.get(name="恩施市便民小程序")
    assert partner.key_hash == apikeys.digest(key) and partner.county is not None
    assert partner.county.short_code == "422801"
    assert key not in str(PartnerKey.objects.values_list().get(pk=partner.pk))
    assert Event.objects.filter(verb="open311.key_issued", object_id=str(partner.pk)).exists()
    assert file_request(api_key=key).status_code == 200
    listing, _ = run("list")
    assert partner.prefix in listing and key not in listing
    run("revoke", "恩施市便民小程序")
    check_errors(file_request(api_key=key, description="再来"), 403, "json")
    assert Event.objects.filter(verb="open311.key_revoked").exists()


def test_the_command_refuses_bad_input(db: None) -> None:
    with pytest.raises(CommandError):
        run("create", "x", "--county", "999999")
    run("create", "dup")
    with pytest.raises(CommandError):
        run("create", "dup")
    with pytest.raises(CommandError):
        run("revoke", "nobody")
    with pytest.raises(CommandError):
        run("create", "town", "--county", LICHUAN + "x")


def test_the_admin_issues_a_key_and_shows_it_once(db: None) -> None:
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    c = Client()
    c.force_login(admin)
    r = c.post("/admin/open311/partnerkey/add/", {"name": "州12345热线", "county": ""}, follow=True)
    assert r.status_code == 200
    shown = [str(m) for m in r.context["messages"]]
    [message] = [m for m in shown if "o311_" in m]
    key = message.split(":")[-1].strip()
    partner = PartnerKey.objects.get(name="州12345热线")
    assert partner.key_hash == apikeys.digest(key)
    assert Event.objects.filter(verb="open311.key_issued", actor=admin).exists()


def test_the_admin_lists_keys_and_requests_without_secrets(file_request: FileRequest) -> None:
    assert file_request().status_code == 200
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    c = Client()
    c.force_login(admin)
    partner = PartnerKey.objects.get()
    page = c.get("/admin/open311/partnerkey/").content.decode()
    assert partner.prefix in page
    assert c.get(f"/admin/open311/partnerkey/{partner.pk}/change/").status_code == 200
    assert c.get("/admin/open311/servicerequest/").status_code == 200
    r = c.post("/admin/open311/partnerkey/", {"action": "revoke", "_selected_action": [partner.pk]})
    assert r.status_code == 302
    partner.refresh_from_db()
    assert not partner.active
