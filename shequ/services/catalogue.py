"""Loading the demo catalogue (``catalogue_data``) into the database, once."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from shequ.orgs.models import OrgUnit, UnitKind
from shequ.services.catalogue_data import ITEMS, WINDOW_TYPES, Item
from shequ.services.models import (
    HandlingLevel,
    ItemKind,
    ServiceItem,
    ServiceMaterial,
    WindowType,
)


def guide_text(item: Item, window: str) -> str:
    """The 办事指南 body: what the item is, how it goes, how long it takes."""
    places = f"社区便民服务大厅“{window}”窗口"
    if item.village:
        places += "、村级服务点"
    if item.agency:
        places += "或全程代理站点"
    steps = [f"到{places}提出申请,提交申请材料。"]
    if item.kind == ItemKind.ON_SITE:
        steps.append("工作人员一刻钟内到达现场(或接待到位),登记诉求并当场答复处理意见。")
    else:
        steps.append(
            "材料齐全的当场受理;容缺材料可签署承诺书后先行受理;"
            "材料不全的,一次性告知需补正的全部材料。"
        )
    if item.kind == ItemKind.IMMEDIATE:
        steps.append("即办件一刻钟内办结。")
    elif item.level == HandlingLevel.COMMUNITY:
        steps.append("社区在承诺时限内办结,并告知申请人结果。")
    else:
        who = item.handled_by or "上级部门"
        steps.append(f"社区受理后报{who}办理,办理结果由社区及时告知申请人。")
    lines = [item.summary, "", "办理流程:"]
    lines += [f"{n}. {step}" for n, step in enumerate(steps, 1)]
    if item.kind == ItemKind.IMMEDIATE:
        lines += ["", "办理时限:即来即办,一刻钟内办结。"]
    else:
        lines += [
            "",
            f"办理时限:法定 {item.legal} 个工作日,承诺 {item.promised} 个工作日"
            "(补正材料期间不计入)。",
        ]
    return "\n".join(lines)


@transaction.atomic
def ensure_catalogue() -> int:
    """Create the window types and items that are missing; edited rows stay as they are.
    Returns the number of items created.

    A few inserts in all (the tests make the catalogue some three hundred times a run):
    the rows and their order are those of creating them one by one."""
    prefecture = OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    have = set(WindowType.objects.values_list("code", flat=True))
    WindowType.objects.bulk_create(
        [
            WindowType(
                code=code, unit=prefecture, name=name, description=description, sort_order=order
            )
            for order, (code, name, description) in enumerate(WINDOW_TYPES, 1)
            if code not in have
        ],
        ignore_conflicts=True,  # another process made it meanwhile: theirs stays
    )
    windows = {w.code: w for w in WindowType.objects.filter(code__in=[c for c, *_ in WINDOW_TYPES])}
    existing = set(ServiceItem.objects.values_list("code", flat=True))
    todo = [(order, item) for order, item in enumerate(ITEMS, 1) if item.code not in existing]
    rows = ServiceItem.objects.bulk_create(
        [
            ServiceItem(
                unit=prefecture,
                code=item.code,
                name=item.name,
                category=item.category,
                window_type=windows[item.window],
                handling_level=item.level,
                handled_by=item.handled_by,
                kind=item.kind,
                legal_limit_days=item.legal,
                promised_limit_days=item.promised,
                legal_basis=item.basis,
                fee_yuan=Decimal(item.fee),
                fee_note=item.fee_note,
                guide=guide_text(item, windows[item.window].name),
                visits_needed=item.visits,
                agency_allowed=item.agency,
                village_point_allowed=item.village,
                public=item.public,
                certificate_title=item.certificate,
                sort_order=order,
            )
            for order, item in todo
        ]
    )
    ServiceMaterial.objects.bulk_create(
        ServiceMaterial(item=row, name=name, requirement=requirement, sort_order=n)
        for row, (_order, item) in zip(rows, todo, strict=True)
        for n, (name, requirement) in enumerate(item.materials, 1)
    )
    return len(rows)
