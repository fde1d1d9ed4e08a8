"""Demo cases at 官坡社区, registered and worked through the real actions by the demo
clerk, so the queue, countdown, notices and outbox show something.
Each case carries a fixed client token: running the demo again adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shequ.demo.accounts import DEMO_COMMUNITY, DEMO_TOWNSHIP
from shequ.orgs.models import OrgUnit, User
from shequ.people.models import Resident
from shequ.services import actions
from shequ.services.models import Case, ServiceItem


def ensure_demo_cases() -> int:
    community = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    township = OrgUnit.objects.get(code=DEMO_TOWNSHIP)
    clerk = User.objects.get(username="clerk")
    residents = list(Resident.objects.filter(community=community).order_by("pk")[:8])
    created = 0

    def receive(n: int, code: str, **fields: Any) -> Case | None:
        nonlocal created
        token = f"demo-case-{n}"
        if Case.objects.filter(client_token=token).exists():
            return None
        if fields.get("applicant_kind", "resident") == "resident":
            if not residents:
                return None
            fields.setdefault("applicant_kind", "resident")
            fields["resident"] = residents[n % len(residents)]
        fields.setdefault("channel", "window")
        created += 1
        return actions.do_receive_case(
            clerk,
            unit=community,
            item=ServiceItem.objects.get(code=code),
            client_token=token,
            **fields,
        )

    if case := receive(1, "LD-001"):
        actions.do_complete_case(clerk, case, result="已办理就业登记,录入就业信息系统。")
    if case := receive(2, "MZ-001", summary="丈夫去世,本人无固定收入,申请低保。"):
        actions.do_accept_case(
            clerk,
            case,
            deferred_materials=["残疾证、病历等致贫原因证明"],
            materials_due_on=timezone.localdate() + dt.timedelta(days=5),
        )
    if case := receive(3, "MZ-002", summary="家中失火,急需生活救助。"):
        actions.do_accept_case(clerk, case)
        actions.do_send_up_case(clerk, case, to_unit=township, note="已入户核实,报街道审批。")
    if case := receive(4, "SQ-001"):
        actions.do_return_case_for_correction(
            clerk, case, missing=["居住地住址证明(租赁合同、房产证明等)", "近期一寸免冠照片"]
        )
    if case := receive(5, "MZ-004", channel="agency", summary="独居老人,委托代办员办理。"):
        actions.do_accept_case(clerk, case)
        actions.do_start_case(clerk, case)
    if case := receive(
        6,
        "XF-002",
        channel="hotline",
        applicant_kind="caller",
        contact_name="李婆婆",
        contact_phone="13972700016",
        summary="楼道灯坏了,老人夜里下楼不便。",
    ):
        actions.do_accept_case(clerk, case, note="已派网格员前往。")
    receive(7, "LD-002")
    if case := receive(8, "MZ-003"):
        actions.do_refuse_case(
            clerk,
            case,
            reason="申请人有法定赡养义务人且具备赡养能力",
            legal_basis="《社会救助暂行办法》第十四条",
        )
    if case := receive(9, "JS-004"):
        actions.do_complete_case(clerk, case, result="已当场出具计划生育情况证明。")
        actions.do_close_case(clerk, case)
    if case := receive(
        10,
        "LD-007",
        applicant_kind="resident_unit",
        org_name="恩施州民族医院",
        org_credit_code="12422800MB0000187N",
        contact_name="王会计",
        contact_phone="13872700001",
    ):
        actions.do_complete_case(clerk, case, result="已登记护理员空岗位3个,推荐辖区失业人员。")
    return created
