"""Insights' own tables: rollups the worker keeps from what the domain apps expose, so
dashboards cost the same whatever the number of cases. Nothing else writes here."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit

# --- the three rates (三率): a monthly rollup per community ---------------------------


class RateRollup(models.Model):
    """Counts behind the three rates of one community (its grids and villages included)
    for one month, kept current by the worker. Pages and exports read only these rows,
    so their cost does not grow with the number of cases."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))
    cases = models.PositiveIntegerField(_("办件数"), default=0)
    responded = models.PositiveIntegerField(_("及时响应数"), default=0)
    resolvable = models.PositiveIntegerField(_("应办结数"), default=0)
    resolved = models.PositiveIntegerField(_("按时办结数"), default=0)
    ratings = models.PositiveIntegerField(_("评价数"), default=0)
    good_ratings = models.PositiveIntegerField(_("好评数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("三率月度汇总")
        verbose_name_plural = _("三率月度汇总")
        constraints = [
            models.UniqueConstraint(fields=["month", "unit"], name="raterollup_unique_month_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class RollupCursor(models.Model):
    """How far the worker has read the case timeline into the rollups."""

    name = models.CharField(max_length=32, unique=True)
    last_event_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} @{self.last_event_id}"
