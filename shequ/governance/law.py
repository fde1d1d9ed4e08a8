"""The statutes as data: the seed rows of ``Rule`` and the lookups every check uses.

Sources: ``shequ/../shared/reference/rules-wave2.md``. Rows marked unconfirmed there are
seeded with ``confirmed=False`` and a note; the prefecture edits them in the admin and
every page that applies one says so. The 2025 revision of the urban law (in force
2026-01-01) is seeded as its own version: its new thresholds were not confirmed, so it
carries the 2018 values as unconfirmed settings until someone enters the text's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from shequ.governance.models import Basis, MeetingType, Rule, RuleKind, Statute
from shequ.orgs.models import CommunityType, OrgUnit

VILLAGE_2018 = dt.date(2018, 12, 29)
URBAN_2018 = dt.date(2018, 12, 29)
URBAN_2025 = dt.date(2026, 1, 1)
UNC_2025 = "2025年修订新门槛未经核实,暂沿用2018年数值;请按修订后原文在后台修改。"

# (statute, version, from, to, meeting_type, kind, basis, num, den, strict, article,
#  confirmed, note)
_V = (Statute.VILLAGE, "2018年修正", VILLAGE_2018, None)
_U18 = (Statute.URBAN, "2018年修正", URBAN_2018, URBAN_2025 - dt.timedelta(days=1))

_VILLAGE_ROWS: list[tuple[Any, ...]] = [
    # 村民会议
    (MeetingType.VILLAGERS, RuleKind.QUORUM, Basis.ADULTS, 1, 2, True, "第二十二条", True, ""),
    (MeetingType.VILLAGERS, RuleKind.QUORUM, Basis.HOUSEHOLDS, 2, 3, False, "第二十二条", True, ""),
    (MeetingType.VILLAGERS, RuleKind.MAJORITY, Basis.PRESENT, 1, 2, True, "第二十二条", True, ""),
    (MeetingType.VILLAGERS, RuleKind.CONVENE_REQUEST, Basis.ADULTS, 1, 10, False, "第二十一条",
     True, "“十分之一以上的村民”按年满十八周岁的村民计。"),
    (MeetingType.VILLAGERS, RuleKind.CONVENE_REQUEST, Basis.REPRESENTATIVES, 1, 3, False,
     "第二十一条", True, ""),
    (MeetingType.VILLAGERS, RuleKind.NOTICE_DAYS, Basis.NONE, 10, 1, False, "第二十一条", True, ""),
    (MeetingType.VILLAGERS, RuleKind.EVALUATION_UNFIT, Basis.PRESENT, 1, 2, True,
     "第三十三条及省级实施办法", False, "“不称职须超过到会人数一半”见于省级规定,未核实。"),
    (MeetingType.VILLAGERS, RuleKind.REQUEST_ANSWER_DAYS, Basis.NONE, 30, 1, False,
     "第二十一条", False, "法律未规定召集期限,30天为本平台设置。"),
    # 村民代表会议
    (MeetingType.VILLAGERS_REPS, RuleKind.QUORUM, Basis.MEMBERS, 2, 3, False, "第二十六条", True,
     ""),
    (MeetingType.VILLAGERS_REPS, RuleKind.MAJORITY, Basis.PRESENT, 1, 2, True, "第二十六条", True,
     ""),
    (MeetingType.VILLAGERS_REPS, RuleKind.CONVENE_REQUEST, Basis.REPRESENTATIVES, 1, 5, False,
     "第二十六条", True, ""),
    (MeetingType.VILLAGERS_REPS, RuleKind.REPS_SHARE, Basis.MEMBERS, 4, 5, False, "第二十五条",
     True, ""),
    (MeetingType.VILLAGERS_REPS, RuleKind.WOMEN_SHARE, Basis.MEMBERS, 1, 3, False, "第二十五条",
     True, ""),
    (MeetingType.VILLAGERS_REPS, RuleKind.REP_MIN_HOUSEHOLDS, Basis.NONE, 5, 1, False,
     "第二十五条", True, ""),
    (MeetingType.VILLAGERS_REPS, RuleKind.REP_MAX_HOUSEHOLDS, Basis.NONE, 15, 1, False,
     "第二十五条", True, ""),
    (MeetingType.VILLAGERS_REPS, RuleKind.EVALUATION_UNFIT, Basis.MEMBERS, 2, 3, False,
     "第三十三条及省级实施办法", False, "“三分之二以上代表”见于省级规定,未核实。"),
    (MeetingType.VILLAGERS_REPS, RuleKind.REQUEST_ANSWER_DAYS, Basis.NONE, 30, 1, False,
     "第二十六条", False, "法律未规定召集期限,30天为本平台设置。"),
    # 村民小组会议
    (MeetingType.VILLAGER_GROUP, RuleKind.QUORUM, Basis.ADULTS, 2, 3, False, "第二十八条(待核实)",
     False, "条款未经核实。"),
    (MeetingType.VILLAGER_GROUP, RuleKind.QUORUM, Basis.HOUSEHOLDS, 2, 3, False,
     "第二十八条(待核实)", False, "条款未经核实。"),
    (MeetingType.VILLAGER_GROUP, RuleKind.MAJORITY, Basis.PRESENT, 1, 2, True,
     "第二十八条(待核实)", False, "条款未经核实。"),
    # the whole statute
    ("", RuleKind.TERM_YEARS, Basis.NONE, 5, 1, False, "第十一条", True, ""),
    ("", RuleKind.RECALL_REQUEST, Basis.VOTERS, 1, 5, False, "第十六条", True, ""),
    ("", RuleKind.RECALL_REQUEST, Basis.REPRESENTATIVES, 1, 3, False, "第十六条", True, ""),
    ("", RuleKind.RECALL_VALID, Basis.VOTERS, 1, 2, True, "第十六条", True, ""),
    ("", RuleKind.RECALL_PASS, Basis.VOTES_CAST, 1, 2, True, "第十六条", True, ""),
]  # fmt: skip

_URBAN_ROWS: list[tuple[Any, ...]] = [
    # 居民会议
    (MeetingType.RESIDENTS, RuleKind.QUORUM, Basis.ADULTS, 1, 2, True, "第九条", True, ""),
    (MeetingType.RESIDENTS, RuleKind.QUORUM, Basis.HOUSEHOLDS, 1, 2, True, "第九条", True, ""),
    (MeetingType.RESIDENTS, RuleKind.MAJORITY, Basis.PRESENT, 1, 2, True, "第九条", True, ""),
    (MeetingType.RESIDENTS, RuleKind.CONVENE_REQUEST, Basis.ADULTS, 1, 5, False, "第十条", True, ""),
    (MeetingType.RESIDENTS, RuleKind.CONVENE_REQUEST, Basis.HOUSEHOLDS, 1, 5, False, "第十条",
     True, ""),
    (MeetingType.RESIDENTS, RuleKind.CONVENE_REQUEST, Basis.GROUPS, 1, 3, False, "第十条", True, ""),
    (MeetingType.RESIDENTS, RuleKind.NOTICE_DAYS, Basis.NONE, 7, 1, False, "本地规定", False,
     "法律未规定通知天数,7天为本平台设置。"),
    (MeetingType.RESIDENTS, RuleKind.EVALUATION_UNFIT, Basis.PRESENT, 1, 2, True, "本地规定",
     False, "城市社区民主评议规则未经核实。"),
    (MeetingType.RESIDENTS, RuleKind.REQUEST_ANSWER_DAYS, Basis.NONE, 30, 1, False, "第十条",
     False, "法律未规定召集期限,30天为本平台设置。"),
    # 居民代表会议 (not in the 2018 text; local practice)
    (MeetingType.RESIDENTS_REPS, RuleKind.QUORUM, Basis.MEMBERS, 2, 3, False, "本地规定", False,
     "2018年法律未规定居民代表会议,门槛参照村民代表会议,未经核实。"),
    (MeetingType.RESIDENTS_REPS, RuleKind.MAJORITY, Basis.PRESENT, 1, 2, True, "本地规定", False,
     "参照村民代表会议,未经核实。"),
    (MeetingType.RESIDENTS_REPS, RuleKind.EVALUATION_UNFIT, Basis.MEMBERS, 2, 3, False,
     "本地规定", False, "未经核实。"),
    # 居民小组会议
    (MeetingType.RESIDENT_GROUP, RuleKind.QUORUM, Basis.ADULTS, 1, 2, True, "本地规定", False,
     "未经核实。"),
    (MeetingType.RESIDENT_GROUP, RuleKind.QUORUM, Basis.HOUSEHOLDS, 1, 2, True, "本地规定",
     False, "未经核实。"),
    (MeetingType.RESIDENT_GROUP, RuleKind.MAJORITY, Basis.PRESENT, 1, 2, True, "本地规定", False,
     "未经核实。"),
    # the whole statute
    ("", RuleKind.TERM_YEARS, Basis.NONE, 5, 1, False, "第八条", True, ""),
    ("", RuleKind.RECALL_REQUEST, Basis.ADULTS, 1, 5, False, "第十条(门槛参照村委会组织法)",
     False, "城市法律仅规定居民会议可撤换成员,提议门槛未经核实。"),
    ("", RuleKind.RECALL_VALID, Basis.VOTERS, 1, 2, True, "第十条(参照)", False, "未经核实。"),
    ("", RuleKind.RECALL_PASS, Basis.VOTES_CAST, 1, 2, True, "第十条(参照)", False, "未经核实。"),
]  # fmt: skip


def seed_rows() -> list[dict[str, Any]]:
    """Every seed row as model field values (also used by the data migration)."""
    rows: list[dict[str, Any]] = []

    def add(head: tuple[Any, ...], row: tuple[Any, ...], **override: Any) -> None:
        statute, version, start, end = head
        mtype, kind, basis, num, den, strict, article, confirmed, note = row
        values = {
            "statute": str(statute),
            "version": version,
            "effective_from": start,
            "effective_to": end,
            "meeting_type": str(mtype),
            "kind": str(kind),
            "basis": str(basis),
            "num": num,
            "den": den,
            "strict": strict,
            "article": article,
            "confirmed": confirmed,
            "note": note,
        }
        values.update(override)
        rows.append(values)

    for row in _VILLAGE_ROWS:
        add(_V, row)
    for row in _URBAN_ROWS:
        add(_U18, row)
    for row in _URBAN_ROWS:
        add(
            (Statute.URBAN, "2025年修订", URBAN_2025, None),
            row,
            article=f"{row[6]}(2025年修订,条款待核实)",
            confirmed=False,
            note=UNC_2025,
        )
    # The joint meeting (两委联席会议) has no statutory quorum: no rows.
    return rows


def ensure_rules(model: Any = Rule) -> int:
    """Insert the seed rows once (a table that has rows is left as the admins keep it)."""
    if model.objects.exists():
        return 0
    model.objects.bulk_create([model(**row) for row in seed_rows()])
    return model.objects.count()


# --- lookups ---------------------------------------------------------------------------------

RURAL_TYPES = (
    MeetingType.VILLAGERS,
    MeetingType.VILLAGERS_REPS,
    MeetingType.VILLAGER_GROUP,
    MeetingType.JOINT,
)
URBAN_TYPES = (
    MeetingType.RESIDENTS,
    MeetingType.RESIDENTS_REPS,
    MeetingType.RESIDENT_GROUP,
    MeetingType.JOINT,
)
REPS_TYPES = frozenset({MeetingType.VILLAGERS_REPS, MeetingType.RESIDENTS_REPS})
GROUP_TYPES = frozenset({MeetingType.VILLAGER_GROUP, MeetingType.RESIDENT_GROUP})
# The meetings that alone may adopt a charter or convention (not delegable).
PLENARY_TYPES = frozenset({MeetingType.VILLAGERS, MeetingType.RESIDENTS})


def statute_for(unit: OrgUnit) -> str:
    """Villages live under the village law; urban and town communities under the urban."""
    return Statute.VILLAGE if unit.community_type == CommunityType.RURAL else Statute.URBAN


def meeting_types_for(unit: OrgUnit) -> tuple[str, ...]:
    if unit.community_type == CommunityType.RURAL:
        return tuple(str(t) for t in RURAL_TYPES)
    if unit.community_type in (CommunityType.URBAN, CommunityType.TOWN):
        return tuple(str(t) for t in URBAN_TYPES)
    return ()


def rules(statute: str, kind: str, day: dt.date, meeting_type: str = "") -> list[Rule]:
    """The rows of ``kind`` in force on ``day`` (alternatives: any one met suffices)."""
    rows = Rule.objects.filter(statute=statute, kind=kind, meeting_type=meeting_type)
    return [r for r in rows.order_by("pk") if r.in_force(day)]


def rules_for(unit: OrgUnit, kind: str, day: dt.date, meeting_type: str = "") -> list[Rule]:
    return rules(statute_for(unit), kind, day, meeting_type)


def number(unit: OrgUnit, kind: str, day: dt.date, meeting_type: str = "") -> Rule | None:
    """A plain-number rule (days, years) in force, or None when the law sets none."""
    found = rules_for(unit, kind, day, meeting_type)
    return found[0] if found else None


def cite(rows: list[Rule]) -> str:
    """The statute, version and articles of ``rows``, as a citation for messages."""
    if not rows:
        return _("无法定门槛")
    first = rows[0]
    articles = "、".join(dict.fromkeys(r.article for r in rows))
    text = f"{first.get_statute_display()}({first.version}){articles}"
    if any(not r.confirmed for r in rows):
        text += _("[未经核实的设置]")
    return text


@dataclass(frozen=True)
class Check:
    """One alternative of a threshold applied: ``count`` of ``base`` against ``rule``."""

    rule: Rule
    count: int
    base: int

    @property
    def met(self) -> bool:
        return self.rule.met(self.count, self.base)

    @property
    def needed(self) -> int:
        return self.rule.needed(self.base)
