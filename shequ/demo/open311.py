"""Demo Open311 traffic: a partner system (a county mini program) has filed a few
requests at 官坡社区 through the real action, so GET /open311/v2/requests shows them.
The partner's key is thrown away: to file requests, issue your own with
`manage.py open311_key create NAME`. Fixed client tokens make a re-run add nothing."""

from __future__ import annotations

from shequ.demo.accounts import DEMO_COMMUNITY
from shequ.open311.actions import do_file_service_request, do_issue_partner_key
from shequ.open311.models import PartnerKey
from shequ.orgs.models import OrgUnit, User
from shequ.services import actions
from shequ.services.models import Case, ServiceItem

DEMO_PARTNER = "演示:恩施市便民小程序"

_REQUESTS = [
    # (token, item, description, address_string, lat, long)
    (
        "demo-o311-1",
        "MZ-001",
        "母亲独居,想了解低保怎么申请,需要准备哪些材料。",
        "官坡社区3组",
        None,
        None,
    ),
    ("demo-o311-2", "MZ-004", "父亲今年满80岁,申领高龄津贴。", "官坡社区", 30.2951, 109.4826),
    ("demo-o311-3", "MZ-001", "家里有残疾人,咨询低保和残疾人两项补贴。", "官坡社区7组", None, None),
]


def ensure_demo_open311() -> int:
    """Returns the number of requests filed."""
    community = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    county = community.ancestors().filter(kind="county").first()
    partner = PartnerKey.objects.filter(name=DEMO_PARTNER).first()
    if partner is None:
        partner, _ = do_issue_partner_key(None, name=DEMO_PARTNER, county=county)
    filed = 0
    for n, (token, code, description, address, lat, long) in enumerate(_REQUESTS):
        if Case.objects.filter(client_token=token).exists():
            continue
        item = ServiceItem.objects.filter(code=code, public=True).first()
        if item is None:
            continue
        row = do_file_service_request(
            partner,
            unit=community,
            item=item,
            contact_name=["向女士", "谭先生", "黄女士"][n],
            contact_phone=f"1397270{n + 1:04d}",
            description=description,
            address_string=address,
            address_id=community.code or "",
            lat=lat,
            long=long,
            client_token=token,
        )
        filed += 1
        clerk = User.objects.filter(username="clerk").first()
        if n == 0 and clerk is not None:  # one already accepted: it has a due date
            actions.do_accept_case(clerk, row.case)
    return filed
