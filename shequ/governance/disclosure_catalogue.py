"""The standard disclosure catalogue ("1+4+X") as data: the rows the migration seeds,
which the prefecture edits in the admin afterwards.

Sources (``shared/reference/rules-wave2.md``): 《村民委员会组织法》第三十条 lists what a
village discloses (the matters decided under 第二十三/二十四条 and how they were carried
out; the family-planning scheme; relief and donated funds and goods; help given to the
government's work) and the cadence (general items at least quarterly; finances monthly
where collective transactions are frequent; major matters immediately). What the law does
not say is a setting marked unconfirmed (``confirmed=False``) with a note:

- the due day, the 20th of the first month of the next period: seen in a published
  county catalogue (每季度的首个月20日); Enshi's own catalogue was not found;
- "immediately" as five days after the decision;
- the four fixed categories of "1+4+X" (党务, 村(居)务, 财务, 服务): assumed, see
  docs/governance-disclosure.md;
- the urban items: the 2025 revision of the urban law adds 居务公开, its text unconfirmed.
"""

from __future__ import annotations

from typing import Any

VILLAGE_LAW = "《村民委员会组织法》第三十条"
URBAN_LAW = "《城市居民委员会组织法》(2025年修订,条款待核实)"
DUE_NOTE = "截止日“下一期首月20日”见于已公布的县级公开目录,恩施市目录未找到,为设置。"
EVENT_NOTE = "法律规定“随时公布”,5天为本平台设置。"
FOUR_NOTE = "“1+4+X”四类固定栏目为推定(党务、村(居)务、财务、服务),未经核实。"

# (applies_to, category, code, title, cadence, cadence_frequent, due_day, due_in_period,
#  trigger, article, confirmed, note)
STANDARD: list[tuple[Any, ...]] = [
    ("rural", "party", "v-party", "党组织建设、党员发展和党费收缴情况", "quarterly", "", 20,
     False, "", "《中国共产党党务公开条例(试行)》", False, FOUR_NOTE),
    ("rural", "affairs", "v-art24", "村民会议、村民代表会议决定的事项(第二十三、二十四条)",
     "event", "", 20, False, "art24", VILLAGE_LAW + "第一款第(一)项", True, EVENT_NOTE),
    ("rural", "affairs", "v-art24-done", "第二十三、二十四条决定事项的实施情况", "quarterly", "",
     20, False, "", VILLAGE_LAW + "第一款第(一)项", True, DUE_NOTE),
    ("rural", "affairs", "v-family", "国家计划生育政策的实施方案", "yearly", "", 20, True, "",
     VILLAGE_LAW + "第一款第(二)项", True, DUE_NOTE),
    ("rural", "affairs", "v-relief", "政府拨付和接受社会捐赠的救灾救助、补贴补助等资金物资的管理使用",
     "quarterly", "", 20, False, "", VILLAGE_LAW + "第一款第(三)项", True, DUE_NOTE),
    ("rural", "affairs", "v-assist", "村民委员会协助人民政府开展工作的情况", "quarterly", "", 20,
     False, "", VILLAGE_LAW + "第一款第(四)项", True, DUE_NOTE),
    ("rural", "finance", "v-finance", "村集体财务收支情况", "quarterly", "monthly", 20, False, "",
     VILLAGE_LAW + "第二款", True, DUE_NOTE),
    ("rural", "service", "v-service", "便民服务事项、办事流程和服务承诺", "yearly", "", 20, True,
     "", "本地规定", False, FOUR_NOTE),
    ("urban", "party", "u-party", "党组织建设、党员发展和党费收缴情况", "quarterly", "", 20,
     False, "", "《中国共产党党务公开条例(试行)》", False, FOUR_NOTE),
    ("urban", "affairs", "u-major", "居民会议、居民代表会议决定的重大事项", "event", "", 20,
     False, "major", URBAN_LAW, False, EVENT_NOTE),
    ("urban", "affairs", "u-affairs", "居务工作和决定事项的实施情况", "quarterly", "", 20, False,
     "", URBAN_LAW, False, DUE_NOTE),
    ("urban", "affairs", "u-family", "国家计划生育政策的实施方案", "yearly", "", 20, True, "",
     URBAN_LAW, False, DUE_NOTE),
    ("urban", "affairs", "u-relief", "救灾救助、补贴补助等资金物资和社会捐赠的管理使用",
     "quarterly", "", 20, False, "", URBAN_LAW, False, DUE_NOTE),
    ("urban", "finance", "u-finance", "社区财务收支情况", "quarterly", "monthly", 20, False, "",
     URBAN_LAW, False, DUE_NOTE),
    ("urban", "service", "u-service", "便民服务事项、办事流程和服务承诺", "yearly", "", 20, True,
     "", "本地规定", False, FOUR_NOTE),
]  # fmt: skip


def standard_rows() -> list[dict[str, Any]]:
    """The standard items as model field values (also used by the data migration)."""
    keys = ("applies_to", "category", "code", "title", "cadence", "cadence_frequent",
            "due_day", "due_in_period", "trigger", "article", "confirmed", "note")  # fmt: skip
    return [dict(zip(keys, row, strict=True)) | {"order": n} for n, row in enumerate(STANDARD)]


def ensure_standard_items(model: Any) -> int:
    """Insert the standard items whose code is missing (edited rows are kept)."""
    have = set(model.objects.filter(unit__isnull=True).values_list("code", flat=True))
    rows = [model(**row) for row in standard_rows() if row["code"] not in have]
    model.objects.bulk_create(rows)
    return len(rows)
