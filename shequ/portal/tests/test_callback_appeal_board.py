"""A callback request for full-process agency, handled by the community's agent; the
appeal of a rectification answer; the board; the printable receipt."""

from __future__ import annotations

import re
from typing import Any

from conftest import Personas
from shequ.notify.models import Message
from shequ.people.models import Resident
from shequ.portal.models import Appeal, CallbackRequest
from shequ.portal.tests.conftest import SignIn
from shequ.portal.tests.test_requests import MINE, _token, submit
from shequ.services.actions import do_accept_case, do_complete_case
from shequ.services.models import Rating
from shequ.services.ratings import (
    do_fix_rectification,
    do_reply_rectification,
    do_verify_rectification,
)


def test_a_resident_asks_for_an_agency_callback_and_the_agent_calls(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    agent = personas.agent
    c = sign_in(MINE)
    page = c.get("/my/agency/").content.decode()
    token = _token(page)
    data = {
        "for_whom": "parent",
        "person_name": "向老汉",
        "phone": MINE,
        "note": "父亲腿脚不便,想办高龄津贴。",
        "client_token": token,
    }
    assert c.post("/my/agency/", data).status_code == 302
    assert c.post("/my/agency/", data).status_code == 302  # a retry files nothing new
    callback = CallbackRequest.objects.get()
    assert callback.unit == personas.guanpo and callback.phone_masked == "139****0019"
    assert Message.objects.filter(kind="portal.callback", recipient="p_agent").exists()
    staff = personas.client(agent)
    listing = staff.get("/portal-staff/callbacks/").content.decode()
    assert "向老汉" in listing and MINE in listing  # the agent who calls sees the number
    outside = personas.client(personas.lichuan_clerk)
    assert "向老汉" not in outside.get("/portal-staff/callbacks/").content.decode()
    assert (
        outside.post(f"/portal-staff/callbacks/{callback.pk}/done/", {"note": "x"}).status_code
        == 404
    )
    staff.post(f"/portal-staff/callbacks/{callback.pk}/done/", {"note": "已约周三上门登记授权。"})
    callback.refresh_from_db()
    assert callback.status == "done" and callback.handled_by == agent
    assert Message.objects.filter(kind="portal.callback_done").count() == 1


def test_a_resident_appeals_a_rectification_answer(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    c = sign_in(MINE)
    case = submit(c)
    do_accept_case(personas.clerk, case)
    do_complete_case(personas.clerk, case, result="已办结。")
    token = _token(c.get(f"/my/{case.pk}/").content.decode())
    c.post(f"/my/{case.pk}/rate/", {"grade": "1", "comment": "跑了三趟", "client_token": token})
    rect = Rating.objects.get().rectification
    assert 'id="appeal-form"' not in c.get(f"/my/{case.pk}/").content.decode()
    do_verify_rectification(personas.director, rect, note="属实")
    do_fix_rectification(personas.director, rect, note="窗口增加导办")
    do_reply_rectification(personas.director, rect, note="已向您说明并致歉")
    page = c.get(f"/my/{case.pk}/").content.decode()
    assert "已向您说明并致歉" in page and 'id="appeal-form"' in page
    assert c.post(f"/my/{case.pk}/appeal/", {"reason": ""}).status_code == 400
    assert c.post(f"/my/{case.pk}/appeal/", {"reason": "问题没有解决"}).status_code == 302
    assert Appeal.objects.get().case == case
    assert Message.objects.filter(kind="portal.appeal", recipient="p_township").exists()


def test_the_board_shows_what_exists(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    personas.legal_advisor  # noqa: B018 - posted on 官坡社区
    c = sign_in(MINE)
    page = c.get("/board/").content.decode()
    assert "官坡社区" in page and "p_legal_advisor" in page
    for key in ("disclosures", "meetings", "charters", "deliberation", "legal", "jobs"):
        assert f'id="board-{key}"' in page
    assert "即将开通" not in page  # nothing is pending since deliberation landed
    assert "暂无协商议题" in page
    anonymous = c.__class__().get(f"/board/?community={personas.guanpo.pk}")
    assert anonymous.status_code == 200
    assert c.__class__().get("/board/?community=1").status_code == 404  # the prefecture


def test_the_board_lists_the_accepted_topics_not_the_ones_still_proposed(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    from shequ.governance.deliberation_actions import do_accept_topic, do_propose_topic
    from shequ.governance.models import TopicSource

    def propose(title: str) -> Any:
        return do_propose_topic(
            personas.director, unit=personas.guanpo, title=title, description="说明",
            source=TopicSource.COMMITTEE, proposer_name="居委会", concerned="全体居民",
        )  # fmt: skip

    do_accept_topic(personas.director, propose("加装电梯"))
    propose("尚未受理的议题")
    page = sign_in(MINE).get("/board/").content.decode()
    assert "加装电梯" in page and "尚未受理的议题" not in page


def test_the_receipt_carries_the_office_signature_seal_and_status_address(
    sign_in: SignIn, resident: Resident
) -> None:
    c = sign_in(MINE)
    case = submit(c)
    page = c.get(f"/my/{case.pk}/receipt/").content.decode()
    assert "网上申请回执" in page and str(case.number) in page
    assert "经办人签字" in page and "盖章" in page
    assert re.search(rf"http://testserver/my/{case.pk}/", page)
    assert "<svg" in page  # the QR code to the status page


def test_a_resident_asks_the_mediators_to_call_back(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    mediator = personas.mediator
    c = sign_in(MINE)
    token = _token(c.get("/my/mediation/").content.decode())
    r = c.post("/my/mediation/", {"person_name": "向桂英", "phone": MINE, "client_token": token})
    assert r.status_code == 400 and "请简要说明纠纷情况" in r.content.decode()
    data = {
        "person_name": "向桂英",
        "phone": MINE,
        "note": "楼上漏水,和邻居协商不成。",
        "client_token": token,
    }
    assert c.post("/my/mediation/", data).status_code == 302
    callback = CallbackRequest.objects.get()
    assert callback.kind == "mediation"
    assert Message.objects.filter(kind="portal.mediation", recipient="p_mediator").exists()
    assert not Message.objects.filter(kind="portal.mediation", recipient="p_agent").exists()
    # the agent may not close a dispute callback; the mediator may
    agent = personas.client(personas.agent)
    agent.post(f"/portal-staff/callbacks/{callback.pk}/done/", {"note": "x"})
    callback.refresh_from_db()
    assert callback.status == "open"
    personas.client(mediator).post(
        f"/portal-staff/callbacks/{callback.pk}/done/", {"note": "已约周五到调解室。"}
    )
    callback.refresh_from_db()
    assert callback.status == "done" and callback.handled_by == mediator
