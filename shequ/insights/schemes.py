"""Model assessment schemes, as data. The areas, weights and veto item follow the
schemes seen in the seed (points per area, base score + bonus/deduction + veto, grades
优/良/中/差; rules-wave2 "Assessment schemes seen"); the exact points and targets are
**not confirmed** by a published document — they are the editable defaults a bureau
starts from (admin: 考核方案 / 考核指标), and every sheet shows the source it used."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

D = Decimal
UNCONFIRMED = "示例方案(分值、目标值未经文件核实,可在后台修改):依据种子材料所见考核办法的结构"

# (code, name, kind, weight, measure, target, lower_is_better, parent, source)
_TOWNSHIP: list[tuple[str, str, str, str, str, str | None, bool, str, str]] = [
    ("A", "为民服务与三率", "scored", "40", "", None, False, "", "种子:三率考核"),
    ("A1", "响应率", "scored", "10", "response_rate", "95", False, "A", "服务中心三率"),
    ("A2", "办结率", "scored", "10", "resolution_rate", "95", False, "A", "服务中心三率"),
    ("A3", "满意率", "scored", "10", "satisfaction_rate", "90", False, "A", "服务中心三率"),
    ("A4", "一刻钟达标率", "scored", "5", "quarter_hour_rate", "90", False, "A", "一刻钟服务圈"),
    ("A5", "超期件占比", "scored", "5", "overdue_share", "5", True, "A", "限时办结"),
    (
        "B",
        "居民自治",
        "scored",
        "20",
        "",
        None,
        False,
        "",
        "《村民委员会组织法》《城市居民委员会组织法》",
    ),
    (
        "B1",
        "会议达法定人数比例",
        "scored",
        "8",
        "meetings_quorate",
        "100",
        False,
        "B",
        "组织法 会议规则",
    ),
    ("B2", "民主评议开展比例", "scored", "6", "evaluations_done", "100", False, "B", "民主评议"),
    ("B3", "居(村)务按时公开", "scored", "6", "", "100", False, "B", "录入:公开栏照片、公开记录"),
    ("C", "矛盾纠纷调解", "scored", "10", "", None, False, "", "《人民调解法》"),
    ("C1", "调解成功率", "scored", "10", "mediation_success", "95", False, "C", "人民调解"),
    ("D", "社区建设", "scored", "20", "", None, False, "", "种子:建设标准、资金"),
    (
        "D1",
        "城市、集镇社区达标率",
        "scored",
        "10",
        "standards_met",
        "100",
        False,
        "D",
        "≥300 m²、“13个一”",
    ),
    ("D2", "建设资金到位(万元)", "scored", "5", "funds_disbursed", "50", False, "D", "资金台账"),
    ("D3", "承诺事项完成率", "scored", "5", "pledges_completed", "100", False, "D", "十件实事"),
    ("E", "就业服务", "scored", "10", "", None, False, "", "《就业促进法》"),
    ("E1", "空岗本地录用占比", "scored", "5", "local_hires", "60", False, "E", "空岗报告"),
    ("E2", "零就业家庭当季清零率", "scored", "5", "zero_cleared", "100", False, "E", "第五十六条"),
    ("F1", "工作创新获上级表彰", "bonus", "3", "", None, False, "", "录入:表彰文件"),
    ("G1", "被上级通报批评(每次扣分)", "deduction", "5", "", "2", False, "", "录入:通报文件"),
    ("H1", "发生重大群体性事件", "veto", "0", "", None, False, "", "一票否决"),
]


def township_indicators() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for code, name, kind, weight, measure, target, lower, parent, source in _TOWNSHIP:
        rows.append(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "weight": D(weight),
                "measure": measure,
                "target": D(target) if target is not None else None,
                "lower_is_better": lower,
                "parent": parent or None,
                "source": source,
            }
        )
    return rows


TOWNSHIP_SCHEME: dict[str, Any] = {
    "name": "乡镇(街道)社区建设量化考核",
    "source": UNCONFIRMED,
    "base_score": D("0"),
    "target_name": "",
    "target_weight": None,
}
# The county bureau's score in the prefecture's target assessment of civil affairs.
COUNTY_SCHEME: dict[str, Any] = {
    "name": "县市民政局社区建设目标考核",
    "source": UNCONFIRMED,
    "base_score": D("0"),
    "target_name": "县市民政局年度目标考核",
    "target_weight": D("20"),
}
