"""Formatting of the three rates: a missing rate (no cases) shows as "—"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from shequ.insights.rates import Rates, percent
from shequ.services.worklists import RATE_FIGURES, CaseFilter

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    return percent(value)


@register.filter
def score(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}"


@register.simple_tag
def cases_behind(rates: Rates, month: dt.date, rate: str) -> str:
    """The case list of the cases behind one of ``rates`` (its denominator, from where
    the list also shows those that met it and those that missed it)."""
    return CaseFilter("all", rates.unit, month=month, figure=RATE_FIGURES[rate][0]).url()


@register.filter
def is_current(report: Any, month: dt.date) -> bool:
    return bool(report.is_current(month))
