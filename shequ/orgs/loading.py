"""Loading the Enshi divisions from the National Bureau of Statistics 2023 file.

See ``data/README.md`` for the source and for the decisions this code carries out:
- the province row is skipped; the prefecture is the root of the tree;
- a village-level row whose code digits 10–12 are below 200 (residents' committee,
  社区居委会) or 400 and up (special area) becomes a community: urban under a
  subdistrict (街道), town otherwise;
- a row from 200 to 399 is a villagers' committee (村委会): it becomes a village, under a
  rural community of its own ("一村一社区"), which the prefecture may later regroup
  ("多村一社区", ``actions.do_group_villages``);
- the four statistics-only township-level units (codes 4xx) are loaded, marked
  ``statistical_only``, because their villages are real and need services;
- the civil-affairs 2025 township codes are kept beside the statistical ones
  (``mca_code``/``mca_name``); the tree keys on the statistical code.
Loading is idempotent: a unit whose code is already present is left as it is.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from shequ.orgs.models import CommunityType, OrgUnit, TownshipKind, UnitKind
from shequ.orgs.treebuild import TreeBuilder

DIVISIONS_FILE = Path(settings.BASE_DIR) / "data" / "enshi_divisions.csv"
MCA_TOWNSHIPS_FILE = Path(settings.BASE_DIR) / "data" / "enshi_townships_mca2025.csv"

_COMMITTEE_SUFFIX = re.compile(r"(居民委员会|居委会|村民委员会?|村委会)$")


@dataclass
class Division:
    code: str
    name: str
    level: str
    parent_code: str


@dataclass
class LoadReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: int = 0

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def read_divisions(path: Path = DIVISIONS_FILE) -> list[Division]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [
            Division(r["code"], r["name"].strip(), r["level"], r["parent_code"])
            for r in csv.DictReader(fh)
        ]


def short_name(official: str) -> str:
    """官坡社区居委会 → 官坡社区; 前山村委会 → 前山村; 纳水村民委员 → 纳水村."""
    match = _COMMITTEE_SUFFIX.search(official)
    if not match:
        return official
    base = official[: match.start()]
    if match.group(1).startswith("村") or official.endswith("村委会"):
        return base if base.endswith("村") else base + "村"
    return base if base.endswith("社区") else base + "社区"


def township_kind(code: str, name: str) -> str:
    if code[6] == "4":
        return TownshipKind.MANAGEMENT_AREA
    if name.endswith("街道"):
        return TownshipKind.SUBDISTRICT
    if name.endswith("镇"):
        return TownshipKind.TOWN
    return TownshipKind.TOWNSHIP


def is_villagers_committee(code: str) -> bool:
    """NBS village-level codes 200–399 are villagers' committees; 001–199 residents'
    committees; 400 and up special areas (e.g. 白水坝工业园区社区), run as communities."""
    return 200 <= int(code[9:12]) < 400


@transaction.atomic
def load_divisions(
    path: Path = DIVISIONS_FILE, mca_path: Path | None = MCA_TOWNSHIPS_FILE
) -> LoadReport:
    rows = read_divisions(path)
    report = LoadReport()
    by_code: dict[str, OrgUnit] = {
        u.code: u for u in OrgUnit.objects.exclude(code=None) if u.code is not None
    }
    builder = TreeBuilder()
    for level in ["prefecture", "county", "township", "village"]:
        for row in sorted((r for r in rows if r.level == level), key=lambda r: r.code):
            if row.code not in by_code:
                by_code[row.code] = _create(builder, row, by_code, report)
    builder.save()
    if mca_path is not None:
        report.updated += _apply_mca_codes(mca_path, by_code)
    return report


def _create(
    builder: TreeBuilder, row: Division, by_code: dict[str, OrgUnit], report: LoadReport
) -> OrgUnit:
    if row.level == "prefecture":
        report.created[UnitKind.PREFECTURE] += 1
        return builder.add_root(
            name=row.name, official_name=row.name, kind=UnitKind.PREFECTURE, code=row.code
        )
    parent = by_code[row.parent_code]
    if row.level == "county":
        report.created[UnitKind.COUNTY] += 1
        return builder.add_child(
            parent, name=row.name, official_name=row.name, kind=UnitKind.COUNTY, code=row.code
        )
    if row.level == "township":
        kind = township_kind(row.code, row.name)
        report.created[UnitKind.TOWNSHIP] += 1
        return builder.add_child(
            parent,
            name=row.name,
            official_name=row.name,
            kind=UnitKind.TOWNSHIP,
            code=row.code,
            township_kind=kind,
            statistical_only=kind == TownshipKind.MANAGEMENT_AREA,
        )
    name = short_name(row.name)
    if not is_villagers_committee(row.code):
        urban = parent.township_kind == TownshipKind.SUBDISTRICT
        report.created[UnitKind.COMMUNITY] += 1
        return builder.add_child(
            parent,
            name=name,
            official_name=row.name,
            kind=UnitKind.COMMUNITY,
            code=row.code,
            community_type=CommunityType.URBAN if urban else CommunityType.TOWN,
        )
    community = builder.add_child(
        parent, name=name, kind=UnitKind.COMMUNITY, community_type=CommunityType.RURAL
    )
    report.created[UnitKind.COMMUNITY] += 1
    report.created[UnitKind.VILLAGE] += 1
    return builder.add_child(
        community, name=name, official_name=row.name, kind=UnitKind.VILLAGE, code=row.code
    )


def _apply_mca_codes(path: Path, by_code: dict[str, OrgUnit]) -> int:
    """Record the civil-affairs 2025 code and name of each township.

    Rows whose statistical code is blank (铁炉白族乡, renamed from 铁炉乡) are matched to
    the one statistical township of the same county whose name shares its first two
    characters and that no other row claims.
    """
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    claimed = {r["nbs2023_code_same_name"] for r in rows if r["nbs2023_code_same_name"]}
    changed = 0
    for r in rows:
        nbs = r["nbs2023_code_same_name"]
        if not nbs:
            candidates = [
                u
                for c, u in by_code.items()
                if u.kind == UnitKind.TOWNSHIP
                and c.startswith(r["parent_code"][:6])
                and c not in claimed
                and not u.statistical_only
                and u.name[:2] == r["name"][:2]
            ]
            if len(candidates) != 1:
                continue
            nbs = candidates[0].code or ""
        unit = by_code.get(nbs)
        if unit is None or (unit.mca_code, unit.mca_name) == (r["code"], r["name"]):
            continue
        unit.mca_code, unit.mca_name = r["code"], r["name"]
        unit.save(update_fields=["mca_code", "mca_name"])
        changed += 1
    return changed
