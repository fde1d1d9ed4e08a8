"""Sign-in by one-time code: hashed, expiring, throttled, locked, the same answer for
known and unknown numbers, and the privacy consent recorded."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from conftest import Personas
from shequ.notify.models import Message
from shequ.orgs.models import Event
from shequ.people.models import Resident
from shequ.portal import actions
from shequ.portal.models import Account, Consent, SignInCode
from shequ.portal.tests.conftest import SignIn, account_of

UNKNOWN = "13900001111"


def _plain(page: str, *secrets: str) -> str:
    """The page without what must differ: the CSRF token and the given values."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    for value in secrets:
        page = page.replace(value, "X")
    return page


def test_it_sends_a_code_by_text_and_keeps_only_its_hash(personas: Personas) -> None:
    sent = actions.do_send_sign_in_code(phone="13972700019", address="10.0.0.1")
    row = SignInCode.objects.get()
    assert sent.demo_code and sent.demo_code not in row.code_hash
    assert "13972700019" not in row.phone_index
    message = Message.objects.get(kind="portal.code")
    assert message.recipient == "139****0019" and sent.demo_code in message.body
    assert row.expires_at - row.created_at == dt.timedelta(minutes=5)
    # once expired, the worker clears the code from the outbox too
    Message.objects.filter(pk=message.pk).update(status="sent")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert actions.tidy_sign_in_codes() == 1
    message.refresh_from_db()
    assert sent.demo_code not in message.body and message.payload == {}


def test_it_answers_the_same_for_a_known_and_an_unknown_number(
    personas: Personas, resident: Resident
) -> None:
    pages = []
    for phone in ("13972700019", UNKNOWN):
        c = Client(REMOTE_ADDR="10.0.0.2")
        r = c.post("/signin/", {"phone": phone})
        assert r.status_code == 302 and r["Location"] == "/signin/code/"
        page = c.get("/signin/code/").content.decode()
        code = c.session["portal_demo_code"]
        pages.append(_plain(page, code, phone[:3] + "****" + phone[-4:]))
    assert pages[0] == pages[1]
    assert Message.objects.filter(kind="portal.code").count() == 2
    # and the throttle's answer does not depend on the registry either
    answers = []
    for phone in ("13972700019", UNKNOWN):
        r = Client(REMOTE_ADDR="10.0.0.3").post("/signin/", {"phone": phone})
        answers.append((r.status_code, _plain(r.content.decode(), phone)))
    assert answers[0] == answers[1] and answers[0][0] == 400


def test_a_code_expires_after_five_minutes(personas: Personas) -> None:
    sent = actions.do_send_sign_in_code(phone=UNKNOWN, address=None)
    late = timezone.now() + dt.timedelta(minutes=5, seconds=1)
    with time_machine.travel(late), pytest.raises(ValidationError, match="已过期"):
        actions.do_verify_sign_in_code(phone=UNKNOWN, code=sent.demo_code, address=None)
    assert not Account.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=4, seconds=50)):
        account = actions.do_verify_sign_in_code(phone=UNKNOWN, code=sent.demo_code, address=None)
    assert account.limited


def test_a_code_works_once(personas: Personas) -> None:
    sent = actions.do_send_sign_in_code(phone=UNKNOWN, address=None)
    actions.do_verify_sign_in_code(phone=UNKNOWN, code=sent.demo_code, address=None)
    with pytest.raises(ValidationError):
        actions.do_verify_sign_in_code(phone=UNKNOWN, code=sent.demo_code, address=None)


def test_codes_are_throttled_per_number(personas: Personas, settings: object) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        actions.do_send_sign_in_code(phone=UNKNOWN, address="10.0.0.4")
        with pytest.raises(ValidationError, match="秒后再重新获取"):
            actions.do_send_sign_in_code(phone=UNKNOWN, address="10.0.0.5")
    for minute in range(1, 5):
        with time_machine.travel(start + dt.timedelta(minutes=minute), tick=False):
            actions.do_send_sign_in_code(phone=UNKNOWN, address="10.0.0.4")
    later = start + dt.timedelta(minutes=6)
    with time_machine.travel(later, tick=False), pytest.raises(ValidationError, match="一小时内"):
        actions.do_send_sign_in_code(phone=UNKNOWN, address="10.0.0.4")
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        actions.do_send_sign_in_code(phone=UNKNOWN, address="10.0.0.4")


def test_codes_are_throttled_per_address(personas: Personas, settings: object) -> None:
    settings.SHEQU_PORTAL_CODES_PER_ADDRESS = 3  # type: ignore[attr-defined]
    for n in range(3):
        actions.do_send_sign_in_code(phone=f"1390000200{n}", address="10.0.0.6")
    with pytest.raises(ValidationError, match="本网络"):
        actions.do_send_sign_in_code(phone="13900002009", address="10.0.0.6")
    actions.do_send_sign_in_code(phone="13900002009", address="10.0.0.7")


def test_repeated_wrong_codes_lock_the_number(personas: Personas) -> None:
    sent = actions.do_send_sign_in_code(phone=UNKNOWN, address=None)
    wrong = "000000" if sent.demo_code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(ValidationError, match="验证码错误"):
            actions.do_verify_sign_in_code(phone=UNKNOWN, code=wrong, address=None)
    with pytest.raises(ValidationError, match="暂停登录"):
        actions.do_verify_sign_in_code(phone=UNKNOWN, code=wrong, address=None)
    # even the right code is refused now, and no new code is sent
    with pytest.raises(ValidationError, match="暂停登录"):
        actions.do_verify_sign_in_code(phone=UNKNOWN, code=sent.demo_code, address=None)
    with pytest.raises(ValidationError, match="暂停登录"):
        actions.do_send_sign_in_code(phone=UNKNOWN, address=None)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        again = actions.do_send_sign_in_code(phone=UNKNOWN, address=None)
        assert actions.do_verify_sign_in_code(phone=UNKNOWN, code=again.demo_code, address=None)


def test_a_registered_number_is_matched_through_the_blind_index(
    personas: Personas, resident: Resident
) -> None:
    sent = actions.do_send_sign_in_code(phone="13972700019", address=None)
    account = actions.do_verify_sign_in_code(phone="13972700019", code=sent.demo_code, address=None)
    assert account.resident == resident and account.unit == personas.guanpo
    assert not account.limited
    assert Event.objects.filter(verb="portal.signed_in", object_id=str(account.pk)).exists()


def test_the_first_sign_in_asks_for_consent_and_records_it(sign_in: SignIn) -> None:
    c = sign_in(UNKNOWN, consent=False)
    account = account_of(UNKNOWN)
    assert not Consent.objects.exists()
    r = c.get("/my/")
    assert r.status_code == 302 and r["Location"].startswith("/privacy/")
    page = c.get("/privacy/").content.decode()
    assert "个人信息保护法" in page and "保存多久" in page and 'id="consent-form"' in page
    refused = c.post("/privacy/", {})
    assert refused.status_code == 400 and "需要您同意" in refused.content.decode()
    assert c.post("/privacy/", {"agree": "on"}).status_code == 302
    consent = Consent.objects.get(account=account)
    assert consent.version == "2026-12"
    assert Event.objects.filter(verb="portal.consented").count() == 1
    assert c.get("/my/").status_code == 200
    # a second sign-in does not ask again
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        c2 = sign_in(UNKNOWN, consent=False, client=Client(REMOTE_ADDR="10.9.0.1"))
        assert c2.get("/my/").status_code == 200


def test_bad_input_gets_field_messages_not_500(personas: Personas) -> None:
    c = Client()
    r = c.post("/signin/", {"phone": "12345"})
    assert r.status_code == 400
    text = r.content.decode()
    assert 'aria-invalid="true"' in text and 'id="id_phone_error"' in text
    assert c.get("/signin/code/").status_code == 302  # no number pending
    c.post("/signin/", {"phone": UNKNOWN})
    r = c.post("/signin/code/", {"code": "12"})
    assert r.status_code == 400 and "6 位数字" in r.content.decode()
