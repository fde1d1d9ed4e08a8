"""Totals of the funding ledger: the one query function pages, exports, figures and tests
share.

Sums run over whole fen (``ROUND(amount * 100)``), so the result is exact on SQLite too,
where a decimal column is summed as a floating-point number; the answer is a ``Decimal``
in yuan, two places. Reversing entries carry the negated amount, so they simply add in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import Cast, Round, TruncMonth

from shequ.building.models import ZERO, LedgerEntry
from shequ.orgs.models import OrgUnit

# What a total may be grouped by and filtered on: the ledger's dimensions.
DIMENSIONS = ("level", "source", "six_bits", "kind", "unit", "project", "year")
# A total may also be grouped by the month of the entry date (its first day).
GROUPINGS = (*DIMENSIONS, "month")
FEN = Decimal("0.01")


@dataclass(frozen=True)
class TotalRow:
    key: dict[str, Any]
    amount: Decimal
    entries: int

    @property
    def amount_wan(self) -> Decimal:
        return to_wan(self.amount)


def to_wan(amount: Decimal) -> Decimal:
    """Yuan in 万元 (10,000 yuan), as officers quote funds."""
    return (amount / Decimal(10000)).quantize(FEN)


def _filtered(
    entries: QuerySet[LedgerEntry] | None,
    *,
    within: OrgUnit | None,
    first: dt.date | None,
    last: dt.date | None,
    community_type: str | None,
    filters: dict[str, Any],
) -> QuerySet[LedgerEntry]:
    qs = entries if entries is not None else LedgerEntry.objects.all()
    if within is not None:
        qs = qs.filter(unit__path__startswith=within.path)
    if first is not None:
        qs = qs.filter(entry_date__gte=first)
    if last is not None:
        qs = qs.filter(entry_date__lte=last)
    if community_type:
        qs = qs.filter(unit__community_type=community_type)
    for name, value in filters.items():
        if name not in DIMENSIONS:
            raise ValueError(f"not a ledger dimension: {name}")
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple | set | frozenset):
            qs = qs.filter(Q(**{f"{name}__in": list(value)}))
        else:
            qs = qs.filter(Q(**{name: value}))
    return qs


def totals(
    *,
    by: Sequence[str] = (),
    entries: QuerySet[LedgerEntry] | None = None,
    within: OrgUnit | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    community_type: str | None = None,
    **filters: Any,
) -> list[TotalRow]:
    """Sums of the ledger grouped ``by`` any of ``GROUPINGS``, over a period (both ends
    included) and a subtree, filtered on any dimension (a value or a list of values).

    ``entries`` narrows the rows first (a user's scope). With ``by=()`` the answer is one
    row, the grand total (zero when nothing matches)."""
    for name in by:
        if name not in GROUPINGS:
            raise ValueError(f"not a ledger dimension: {name}")
    qs = _filtered(
        entries,
        within=within,
        first=first,
        last=last,
        community_type=community_type,
        filters=filters,
    )
    if "month" in by:
        qs = qs.annotate(month=TruncMonth("entry_date", output_field=DateField()))
    fen = Sum(Cast(Round(F("amount") * 100), BigIntegerField()))
    if not by:
        row = qs.aggregate(fen=fen, n=Count("pk"))
        return [TotalRow(key={}, amount=_yuan(row["fen"]), entries=row["n"] or 0)]
    keys = [f"{name}_id" if name in ("unit", "project") else name for name in by]
    rows = qs.order_by().values(*keys).annotate(fen=fen, n=Count("pk")).order_by(*keys)
    return [
        TotalRow(
            key={name: row[key] for name, key in zip(by, keys, strict=True)},
            amount=_yuan(row["fen"]),
            entries=row["n"],
        )
        for row in rows
    ]


def total(**kwargs: Any) -> Decimal:
    """The grand total of ``totals(**kwargs)`` (no grouping)."""
    return totals(**kwargs)[0].amount


def _yuan(fen: Any) -> Decimal:
    if fen is None:
        return ZERO
    return (Decimal(int(fen)) / 100).quantize(FEN)
