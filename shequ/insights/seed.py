"""The seed's fifteen headline figures on one page, as at a chosen day (default the seed
report's, 2015-06-30). Each comes from the owning app's own function (building's
``seed_figures``, the kernel's ``staffing``, agency's ``village_figures``, services'
``hall_windows``) and links to the page that lists its rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.agency.figures import village_figures
from shequ.building.figures import SEED_DAY, seed_figures
from shequ.orgs import staffing
from shequ.orgs.models import OrgUnit, UnitKind
from shequ.services.figures import hall_windows

BADONG = "422823000000"
BADONG_SINCE = dt.date(2013, 1, 1)
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    value: str
    numbers: tuple[Decimal | int, ...]
    url: str
    source: str


def _m(amount: Decimal) -> str:
    return f"{(amount / MILLION).quantize(Decimal('0.01'))}"


def _mq(amount: Decimal) -> Decimal:
    return (amount / MILLION).quantize(Decimal("0.01"))


def seed_page(day: dt.date = SEED_DAY) -> list[Figure]:
    prefecture = OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    b = seed_figures(day, prefecture)
    q = f"?unit={prefecture.pk}&day={day:%Y-%m-%d}"
    building = reverse("building:figures") + q
    ledger = reverse("building:ledger") + f"?unit={prefecture.pk}"
    standards = reverse("building:compliance") + q
    staff = reverse("orgs:units")
    rows = [
        Figure(
            "communities",
            _("城市、集镇社区"),
            f"{b.communities}({b.urban} 城市 / {b.town} 集镇)",
            (b.communities, b.urban, b.town),
            building,
            "building.figures.seed_figures",
        ),
        Figure(
            "county_investment",
            _("县市累计投入社区建设(百万元)"),
            _m(b.county_investment),
            (_mq(b.county_investment),),
            ledger,
            "building.figures.seed_figures",
        ),
        Figure(
            "plan_12",
            _("“十二五”州以奖代补 / 中央省补助 / 县市资金(百万元)"),
            f"{_m(b.plan_reward_subsidy)} / {_m(b.plan_central_provincial)} / {_m(b.plan_county_funds)}",
            (
                _mq(b.plan_reward_subsidy),
                _mq(b.plan_central_provincial),
                _mq(b.plan_county_funds),
            ),
            ledger,
            "building.figures.seed_figures",
        ),
        Figure(
            "rural_funds",
            _("农村社区建设资金到位(百万元):财政 + 部门帮扶 + 社会捐赠 + 自筹"),
            f"{_m(b.rural_disbursed)} = {_m(b.rural_fiscal)} + {_m(b.rural_department_aid)}"
            f" + {_m(b.rural_donations)} + {_m(b.rural_self_raised)}",
            (
                _mq(b.rural_disbursed),
                _mq(b.rural_fiscal),
                _mq(b.rural_department_aid),
                _mq(b.rural_donations),
                _mq(b.rural_self_raised),
            ),
            ledger,
            "building.figures.seed_figures",
        ),
        Figure(
            "centres",
            _("服务中心面积达标的城市、集镇社区"),
            f"{b.centres_meeting_area}(≥ {b.min_area_m2} m²)",
            (b.centres_meeting_area,),
            standards,
            "building.figures.seed_figures",
        ),
        Figure(
            "rural_halls",
            _("建有服务大厅的农村社区"),
            str(b.rural_with_hall),
            (b.rural_with_hall,),
            standards,
            "building.figures.seed_figures",
        ),
    ]
    secretaries = staffing.civil_servant_secretaries(prefecture)
    dual = staffing.dual_role_people(prefecture).count()
    multi = staffing.full_time_multi_post(prefecture).count()
    part = staffing.part_time_staff(prefecture).count()
    grid = staffing.part_time_grid_workers(prefecture).count()
    rows += [
        Figure(
            "civil_servants",
            _("公务员任社区党组织书记"),
            str(secretaries),
            (secretaries,),
            staff,
            "orgs.staffing.civil_servant_secretaries",
        ),
        Figure(
            "dual_role",
            _("书记、主任“一肩挑”"),
            str(dual),
            (dual,),
            staff,
            "orgs.staffing.dual_role_people",
        ),
        Figure(
            "multi_post",
            _("专职工作人员身兼两职及以上"),
            str(multi),
            (multi,),
            staff,
            "orgs.staffing.full_time_multi_post",
        ),
        Figure(
            "part_time",
            _("兼职工作人员(其中网格员)"),
            f"{part}({grid})",
            (part, grid),
            staff,
            "orgs.staffing.part_time_staff",
        ),
    ]
    badong = OrgUnit.objects.filter(code=BADONG).first()
    if badong is not None:
        # "since 2013": the county's ledger and the platform's own records to date, as
        # agency's county page reports it (its live matters are dated today).
        v = village_figures(badong, BADONG_SINCE, max(day, timezone.localdate()))
        a = reverse("agency:figures") + f"?unit={badong.pk}&first={BADONG_SINCE:%Y-%m-%d}"
        rate = v.completion_rate
        rows += [
            Figure(
                "badong_points",
                _("巴东县通光纤的村级服务点(办事不出村)"),
                str(v.points_with_fibre),
                (v.points_with_fibre,),
                reverse("agency:points"),
                "agency.figures.village_figures",
            ),
            Figure(
                "badong_matters",
                _("巴东县受理审批事项 / 办结率(2013年以来)"),
                f"{v.matters_accepted} / {rate if rate is not None else '—'}%",
                (v.matters_accepted, rate if rate is not None else Decimal(0)),
                a,
                "agency.figures.village_figures",
            ),
            Figure(
                "badong_commerce",
                _("巴东县商务服务(2013年以来)"),
                str(v.commercial_services),
                (v.commercial_services,),
                a,
                "agency.figures.village_figures",
            ),
            Figure(
                "badong_saved",
                _("巴东县节约群众往返费用(百万元,2013年以来)"),
                _m(v.money_saved_yuan),
                (_mq(v.money_saved_yuan),),
                a,
                "agency.figures.village_figures",
            ),
        ]
    windows = hall_windows()
    typical = Counter(windows.values()).most_common(1)[0][0] if windows else 0
    rows.append(
        Figure(
            "windows",
            _("每个社区便民服务大厅的窗口数"),
            str(typical),
            (typical,),
            reverse("services:halls"),
            "services.figures.hall_windows",
        )
    )
    return rows
