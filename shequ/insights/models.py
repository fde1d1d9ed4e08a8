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


# --- the domain figures: a monthly rollup per unit and key ------------------------------


class FigureRollup(models.Model):
    """One figure (``key``) of the records kept on one unit in one month, read from the
    domain apps' ``figures`` functions by the worker. Each record counts on the unit it
    sits on, so a subtree's figure is the sum of its rows (``unit.path`` prefix)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))
    key = models.CharField(_("指标"), max_length=48)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2, default=0)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("业务指标月度汇总")
        verbose_name_plural = _("业务指标月度汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "key", "unit"], name="figurerollup_unique_month_key_unit"
            )
        ]
        indexes = [models.Index(fields=["key", "month"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.key}"


# --- quantified assessment (量化考核) -------------------------------------------------


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优")
    GOOD = "good", _("良")
    FAIR = "fair", _("中")
    POOR = "poor", _("差")


class Scheme(models.Model):
    """One assessing unit's scheme for one year: the units one level down are assessed
    by its indicators. Weights, targets and grade lines are data, with their source."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("考核单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    base_score = models.DecimalField(_("基础分"), max_digits=6, decimal_places=2, default=0)
    excellent_min = models.DecimalField(_("优(≥)"), max_digits=6, decimal_places=2, default=90)
    good_min = models.DecimalField(_("良(≥)"), max_digits=6, decimal_places=2, default=80)
    fair_min = models.DecimalField(_("中(≥)"), max_digits=6, decimal_places=2, default=60)
    target_name = models.CharField(_("计入的目标考核"), max_length=100, blank=True)
    target_weight = models.DecimalField(
        _("在目标考核中的权重(分)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "name"], name="scheme_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    def grade_for(self, total: float | int | object) -> str:
        from decimal import Decimal

        value = Decimal(str(total))
        if value >= self.excellent_min:
            return Grade.EXCELLENT
        if value >= self.good_min:
            return Grade.GOOD
        if value >= self.fair_min:
            return Grade.FAIR
        return Grade.POOR


class IndicatorKind(models.TextChoices):
    SCORED = "scored", _("计分")
    BONUS = "bonus", _("加分")
    DEDUCTION = "deduction", _("扣分")
    VETO = "veto", _("一票否决")


class Indicator(models.Model):
    """A node of a scheme's indicator tree. Leaves carry a weight (points), a target and
    either a computed measure (``measure``, see ``insights.assessment.MEASURES``) or
    nothing, in which case the value is entered with evidence."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级指标"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("编号"), max_length=16)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("类型"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.SCORED
    )
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, default=0)
    measure = models.CharField(_("计算口径"), max_length=32, blank=True)
    target = models.DecimalField(
        _("满分目标值"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    lower_is_better = models.BooleanField(_("越低越好"), default=False)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("计算中")
    REVIEWED = "reviewed", _("已审核")
    OBJECTED = "objected", _("有异议")
    DECIDED = "decided", _("异议已处理")
    APPROVED = "approved", _("已批准(冻结)")


class ScoreSheet(models.Model):
    """The score of one assessed unit under one scheme. Recomputed until approved; from
    then on frozen (``frozen_at``): new data change nothing."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="sheets"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("被考核单位"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, default=0)
    grade = models.CharField(_("等次"), max_length=12, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核评分表")
        verbose_name_plural = _("考核评分表")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="scoresheet_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.unit_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("insights:sheet", args=[self.pk])

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class ScoreLine(models.Model):
    """One leaf indicator on a sheet: its value, where the value comes from, its points."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("评分表"), on_delete=models.CASCADE, related_name="lines"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, default=0)
    computed = models.BooleanField(_("系统计算"), default=False)
    source = models.CharField(_("数据来源"), max_length=300, blank=True)
    evidence = models.TextField(_("佐证材料"), blank=True)
    adjusted = models.BooleanField(_("经异议调整"), default=False)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["indicator__sort", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="scoreline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} {self.indicator_id}"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("成立")
    REJECTED = "rejected", _("不成立")


class Objection(models.Model):
    """The assessed unit's objection to one line, and the assessor's decision."""

    line = models.ForeignKey(
        ScoreLine, verbose_name=_("评分项"), on_delete=models.CASCADE, related_name="objections"
    )
    reason = models.TextField(_("异议理由"))
    claimed_value = models.DecimalField(
        _("主张数值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    decision_note = models.TextField(_("处理意见"), blank=True)
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("考核异议")
        verbose_name_plural = _("考核异议")

    def __str__(self) -> str:
        return f"{self.line_id} {self.status}"
