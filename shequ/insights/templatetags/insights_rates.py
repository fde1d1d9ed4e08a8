"""Formatting of the three rates: a missing rate (no cases) shows as "—"."""

from __future__ import annotations

from django import template

from shequ.insights.rates import percent

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    return percent(value)


@register.filter
def score(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}"
