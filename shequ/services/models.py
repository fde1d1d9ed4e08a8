"""Public services: the working-day calendar, the service catalogue (事项目录) and cases."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit


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


class WindowType(models.Model):
    """A kind of window in a community's one-stop hall (劳动就业, 民政, 信访接待 …).

    Types are set by the prefecture (``unit``) for every hall below it; a county may add
    its own.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("设定单位"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口类型")
        verbose_name_plural = _("窗口类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceCategory(models.TextChoices):
    SOCIAL_ASSISTANCE = "social_assistance", _("社会救助")
    SOCIAL_WELFARE = "social_welfare", _("社会福利与养老")
    DISABILITY = "disability", _("残疾人服务")
    EMPLOYMENT = "employment", _("就业创业")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    FAMILY_PLANNING = "family_planning", _("计划生育")
    RESIDENCE = "residence", _("户籍居住")
    PETITION = "petition", _("信访求助")
    MEDIATION = "mediation", _("调解与法律服务")
    COMMUNITY = "community", _("社区事务与便民服务")


class HandlingLevel(models.TextChoices):
    COMMUNITY = "community", _("社区办结")
    TOWNSHIP = "township", _("报乡镇(街道)办理")
    COUNTY = "county", _("报县市部门办理")


class ItemKind(models.TextChoices):
    IMMEDIATE = "immediate", _("即办件")
    COMMITMENT = "commitment", _("承诺件")
    ON_SITE = "on_site", _("现场响应")


class ServiceItem(models.Model):
    """One matter in the service catalogue (事项目录) and its guide (办事指南).

    Limits are in working days from acceptance; an immediate item has none (it is done
    within the quarter hour). ``unit`` is the unit that publishes the item: the prefecture
    for the common catalogue.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("事项编码"), max_length=20, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=ServiceCategory.choices)
    window_type = models.ForeignKey(
        WindowType, verbose_name=_("受理窗口"), on_delete=models.PROTECT, related_name="items"
    )
    handling_level = models.CharField(_("办理层级"), max_length=10, choices=HandlingLevel.choices)
    handled_by = models.CharField(
        _("办理部门"), max_length=100, blank=True, help_text=_("报上级办理时的承办部门")
    )
    kind = models.CharField(_("办件类型"), max_length=10, choices=ItemKind.choices)
    legal_limit_days = models.PositiveSmallIntegerField(_("法定时限(工作日)"), default=0)
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限(工作日)"), default=0)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    fee_yuan = models.DecimalField(_("收费标准(元)"), max_digits=8, decimal_places=2, default=0)
    fee_note = models.CharField(_("收费说明"), max_length=200, blank=True)
    guide = models.TextField(_("办事指南"), blank=True)
    visits_needed = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    agency_allowed = models.BooleanField(_("可全程代理"), default=True)
    village_point_allowed = models.BooleanField(_("村级服务点可办"), default=False)
    public = models.BooleanField(_("可网上申请"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["sort_order", "code"]
        indexes = [models.Index(fields=["window_type", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_limit_days__lte=F("legal_limit_days")),
                name="serviceitem_promised_within_legal",
            ),
            models.CheckConstraint(
                condition=~Q(kind="immediate") | Q(legal_limit_days=0),
                name="serviceitem_immediate_has_no_limit",
            ),
            models.CheckConstraint(
                condition=Q(kind="immediate") | Q(legal_limit_days__gt=0),
                name="serviceitem_other_kinds_have_a_limit",
            ),
            models.CheckConstraint(
                condition=Q(fee_yuan__gte=0), name="serviceitem_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:item", args=[self.code])

    @property
    def sent_up(self) -> bool:
        return self.handling_level != HandlingLevel.COMMUNITY


class Requirement(models.TextChoices):
    REQUIRED = "required", _("必须提交")
    DEFERRABLE = "deferrable", _("容缺(可承诺后补)")


class ServiceMaterial(models.Model):
    """A material an item needs; a deferrable one may follow on a signed commitment."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("材料名称"), max_length=100)
    requirement = models.CharField(
        _("要求"), max_length=10, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="servicematerial_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
