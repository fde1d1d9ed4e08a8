"""The funding ledger: entries in Decimal yuan, corrections as reversing entries, totals
by any dimension over a period and subtree, and a database that refuses edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from conftest import LICHUAN, Personas, unit
from shequ.building import ledger
from shequ.building.actions import do_record_entry, do_reverse_entry
from shequ.building.models import EntryKind, FiscalLevel, FundSource, LedgerEntry, SixBits
from shequ.orgs.models import Event, OrgUnit, User

DAY = dt.date(2015, 3, 1)


def entry(actor: User, where: OrgUnit, amount: Any, **fields: Any) -> LedgerEntry:
    fields.setdefault("level", FiscalLevel.COUNTY)
    fields.setdefault("source", FundSource.COUNTY_FUND)
    fields.setdefault("six_bits", SixBits.FISCAL)
    fields.setdefault("kind", EntryKind.ALLOCATED)
    fields.setdefault("entry_date", DAY)
    return do_record_entry(actor, unit=where, amount=amount, **fields)


def test_it_records_an_entry_with_its_event(personas: Personas) -> None:
    e = entry(personas.county, personas.guanpo, "120000.50", document_ref="恩市民〔2015〕3号")
    assert e.amount == Decimal("120000.50")
    assert e.year == 2015
    event = Event.objects.get(verb="building.entry_recorded", object_id=str(e.pk))
    assert event.actor == personas.county
    assert event.after is not None
    assert event.after["amount"] == "120000.50"


def test_a_retry_with_the_same_token_creates_nothing(personas: Personas) -> None:
    a = entry(personas.county, personas.guanpo, "10", client_token="t-1")
    b = entry(personas.county, personas.guanpo, "10", client_token="t-1")
    assert a.pk == b.pk
    assert LedgerEntry.objects.count() == 1


def test_a_reversing_entry_undoes_an_entry_and_cannot_be_repeated(personas: Personas) -> None:
    wrong = entry(personas.county, personas.guanpo, "50000")
    entry(personas.county, personas.guanpo, "5000")
    assert ledger.total(within=personas.guanpo) == Decimal("55000.00")
    reversal = do_reverse_entry(
        personas.county, wrong, reason="多录一个零", entry_date=dt.date(2015, 4, 1)
    )
    assert reversal.amount == Decimal("-50000.00")
    assert reversal.reverses == wrong
    assert reversal.source == wrong.source and reversal.kind == wrong.kind
    assert ledger.total(within=personas.guanpo) == Decimal("5000.00")
    # a period that ends before the reversal still sees the original
    assert ledger.total(within=personas.guanpo, last=dt.date(2015, 3, 31)) == Decimal("55000.00")
    with pytest.raises(ValidationError):
        do_reverse_entry(personas.county, wrong, reason="again")
    with pytest.raises(ValidationError):
        do_reverse_entry(personas.county, reversal, reason="reverse the reversal")
    with pytest.raises(ValidationError):
        do_reverse_entry(personas.county, wrong, reason="  ")
    assert LedgerEntry.objects.count() == 3


def test_totals_by_source_level_class_and_subtree(personas: Personas) -> None:
    county = personas.county
    prefecture = personas.prefecture
    guanpo, street = personas.guanpo, unit("422801001002")
    entry(county, guanpo, "100.10")
    entry(county, street, "200.20", source=FundSource.PARTY_FEE, six_bits=SixBits.PARTY_FEE)
    entry(
        prefecture,
        street,
        "300.30",
        level=FiscalLevel.PREFECTURE,
        source=FundSource.REWARD_SUBSIDY,
        six_bits=SixBits.HIGHER_HELP,
    )
    lichuan = unit(LICHUAN).children()[0].children()[0]
    entry(prefecture, lichuan, "1000", level=FiscalLevel.PREFECTURE)
    by_source = {r.key["source"]: r.amount for r in ledger.totals(by=("source",))}
    assert by_source == {
        FundSource.COUNTY_FUND: Decimal("1100.10"),
        FundSource.PARTY_FEE: Decimal("200.20"),
        FundSource.REWARD_SUBSIDY: Decimal("300.30"),
    }
    by_level = {r.key["level"]: r.amount for r in ledger.totals(by=("level",))}
    assert by_level == {
        FiscalLevel.COUNTY: Decimal("300.30"),
        FiscalLevel.PREFECTURE: Decimal("1300.30"),
    }
    by_class = {r.key["six_bits"]: r.amount for r in ledger.totals(by=("six_bits",))}
    assert by_class[SixBits.FISCAL] == Decimal("1100.10")
    assert by_class[SixBits.HIGHER_HELP] == Decimal("300.30")
    # the subtree of 舞阳坝街道 leaves 利川 out; a filter on a list of levels
    wuyangba = unit("422801001000")
    assert ledger.total(within=wuyangba) == Decimal("600.60")
    assert ledger.total(level=[FiscalLevel.COUNTY, FiscalLevel.PREFECTURE]) == Decimal("1600.60")
    by_unit = {r.key["unit"]: r.amount for r in ledger.totals(by=("unit",), within=wuyangba)}
    assert by_unit == {guanpo.pk: Decimal("100.10"), street.pk: Decimal("500.50")}
    two = ledger.totals(by=("level", "source"), within=street)
    assert [(r.key["level"], r.key["source"], r.entries) for r in two] == [
        (FiscalLevel.COUNTY, FundSource.PARTY_FEE, 1),
        (FiscalLevel.PREFECTURE, FundSource.REWARD_SUBSIDY, 1),
    ]
    assert ledger.total(first=dt.date(2016, 1, 1)) == Decimal("0.00")
    with pytest.raises(ValueError, match="dimension"):
        ledger.totals(by=("amount",))


def test_money_is_never_a_float(personas: Personas) -> None:
    for _ in range(10):
        entry(personas.county, personas.guanpo, "0.10")
    entry(personas.county, personas.guanpo, "0.20")
    result = ledger.total()
    assert isinstance(result, Decimal)
    assert result == Decimal("1.20")
    assert str(result) == "1.20"
    for row in ledger.totals(by=("source",)):
        assert isinstance(row.amount, Decimal)
    big = entry(personas.county, personas.guanpo, "987654321.99")
    assert ledger.total(within=personas.guanpo) - Decimal("1.20") == big.amount
    with pytest.raises(ValidationError) as error:
        entry(personas.county, personas.guanpo, 0.1)
    assert "amount" in error.value.message_dict
    for bad in ("1.001", "-5", "0", "abc", "NaN", "Infinity"):
        with pytest.raises(ValidationError):
            entry(personas.county, personas.guanpo, bad)


def test_the_database_refuses_edits_and_deletes(personas: Personas) -> None:
    e = entry(personas.county, personas.guanpo, "10")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=e.pk).update(amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=e.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE building_ledgerentry SET note = 'x'")
    e.refresh_from_db()
    assert e.amount == Decimal("10.00")


def test_only_county_and_prefecture_bureaus_record_funds(personas: Personas) -> None:
    for who in (personas.township, personas.clerk, personas.outsider):
        with pytest.raises(PermissionDenied):
            entry(who, personas.guanpo, "10")
    lichuan = unit(LICHUAN)
    with pytest.raises(PermissionDenied):
        entry(personas.county, lichuan, "10")
    assert not LedgerEntry.objects.exists()
