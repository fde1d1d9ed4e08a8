"""The portal's demo: a resident of 官坡社区 whose number is in the registry (the login
banner prints it), with the privacy consent given and two online requests filed through
the portal's own action — one accepted by the demo clerk (its reply date shows), one
completed and rated. Idempotent: fixed client tokens."""

from __future__ import annotations

from django.db import transaction

from shequ.demo.accounts import DEMO_COMMUNITY
from shequ.orgs.crypto import decrypt_or_blank
from shequ.orgs.models import User
from shequ.people.models import HouseholdMember, Resident, ResidentStatus
from shequ.portal import actions
from shequ.portal.models import OnlineRequest
from shequ.services.actions import do_accept_case, do_complete_case
from shequ.services.models import ServiceItem

# a 1×1 PNG, the "photo" of the demo's material
_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def demo_resident() -> Resident | None:
    """The first living resident of 官坡社区 with a phone who lives in a household of two
    or more (so the portal shows a household's cases)."""
    households = (
        HouseholdMember.objects.filter(household__community__code=DEMO_COMMUNITY)
        .values("household_id")
        .order_by("household_id")
    )
    for row in households[:200]:
        members = HouseholdMember.objects.filter(household_id=row["household_id"])
        if members.count() < 2:
            continue
        found = (
            Resident.objects.filter(
                pk__in=members.values("resident_id"), status=ResidentStatus.LIVING
            )
            .exclude(phone_enc="")
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    return (
        Resident.objects.filter(community__code=DEMO_COMMUNITY, status=ResidentStatus.LIVING)
        .exclude(phone_enc="")
        .order_by("pk")
        .first()
    )


def demo_phone() -> str:
    resident = demo_resident()
    return decrypt_or_blank(resident.phone_enc) if resident else ""


def ensure_demo_portal() -> int:
    """Returns how many online requests it filed (0 on a re-run)."""
    phone = demo_phone()
    if not phone:
        return 0
    from django.core.files.uploadedfile import SimpleUploadedFile

    clerk = User.objects.filter(username="clerk").first()
    filed = 0
    with transaction.atomic():
        account = actions.do_open_account(phone)
        actions.do_give_consent(account, address=None)
        for token, code, summary, done in (
            ("demo-portal-1", "SQ-001", "为在外务工回来的儿子申领居住证。", False),
            ("demo-portal-2", "MZ-001", "咨询并申请最低生活保障,家中有一位残疾老人。", True),
        ):
            if OnlineRequest.objects.filter(client_token=token).exists():
                continue
            item = ServiceItem.objects.filter(code=code).first()
            if item is None or not item.public:
                continue
            online = actions.do_submit_request(
                account,
                item=item,
                summary=summary,
                photos=[SimpleUploadedFile("户口簿.png", _PNG, content_type="image/png")],
                client_token=token,
            )
            filed += 1
            if clerk is None:
                continue
            case = online.case
            do_accept_case(clerk, case, note="网上申请,材料照片清晰。")
            if done:
                do_complete_case(clerk, case, result="已审核,材料齐全,按程序报批。")
                actions.do_rate_request(account, case, grade=5, comment="不用跑腿,很方便。")
    return filed


def banner_lines(url: str) -> list[str]:
    resident = demo_resident()
    if resident is None:
        return []
    phone = decrypt_or_blank(resident.phone_enc)
    return [
        f"  Residents' portal: {url}/  — demo resident {resident.name}, mobile {phone}",
        "    (sign in with the number; with the log backend the code is shown on the page)",
    ]
