"""Public services: the working-day calendar, the service catalogue (事项目录) and cases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("国务院节假日安排(chinese-calendar)")
    ADMIN = "admin", _("管理员维护")


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday rule: a holiday or an adjusted working day.

    Dates without a row follow the rule. The calendar is national, so it has no org unit
    (the one table outside the tree: it belongs to no unit's data).
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    source = models.CharField(
        _("来源"), max_length=8, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        state = _("上班") if self.is_working_day else _("休息")
        return f"{self.date.isoformat()} {state} {self.note}".strip()
