"""Full-process agency (全程代理) and village service points (办事不出村).

Agency and village matters are normal cases of the services app (channels ``agency`` and
``village_point``); the rows here group them, record authorisations and handovers, and
hold the points' commercial services and the county ledger's legacy tallies.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit, Post, User
from shequ.people.models import Resident
from shequ.services.models import Case, ServiceItem


class StationKind(models.TextChoices):
    CENTRAL = "central", _("全程代理中心站(社区大厅)")
    POINT = "point", _("全程代理站点(小区)")


class AgencyStation(models.Model):
    """The central station in a community hall or an agency point in a residential area."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=StationKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    hotline = models.CharField(_("社区服务热线"), max_length=20, blank=True)
    agents = models.ManyToManyField(
        Post, verbose_name=_("代办员岗位"), blank=True, related_name="agency_stations"
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("代理站点")
        verbose_name_plural = _("代理站点")
        ordering = ["unit__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="agencystation_unique_name"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(kind="central"), name="agencystation_one_central"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AuthChannel(models.TextChoices):
    STATION = "station", _("到站点登记")
    HOTLINE = "hotline", _("服务热线登记")


class AuthStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已撤销")


class Authorization(models.Model):
    """A resident's signed authorisation (授权委托) for a station to act for them."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("委托人"), on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        AgencyStation, verbose_name=_("受托站点"), on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        User, verbose_name=_("代办员"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("登记方式"), max_length=8, choices=AuthChannel.choices)
    all_items = models.BooleanField(_("全部事项"), default=False)
    items = models.ManyToManyField(ServiceItem, verbose_name=_("委托事项"), blank=True)
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("有效期至"))
    categories = models.JSONField(_("授权时的救助类别"), default=list)
    form_scan = models.FileField(_("签字授权书扫描件"), upload_to="agency/authorizations/%Y/%m/")
    family_name = models.CharField(_("家属联系人"), max_length=50, blank=True)
    family_phone_enc = models.TextField(_("家属电话(密文)"), blank=True)
    family_phone_masked = models.CharField(_("家属电话"), max_length=11, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=AuthStatus.choices, default=AuthStatus.ACTIVE
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("授权委托")
        verbose_name_plural = _("授权委托")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="authorization_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident.name} → {self.station.name}"

    def get_absolute_url(self) -> str:
        return reverse("agency:authorization", args=[self.pk])


class AgencyStatus(models.TextChoices):
    OPEN = "open", _("代办中")
    COMPLETED = "completed", _("已办结")


class AgencyCase(models.Model):
    """One request handled for an authorising resident; each item is a services case."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    authorization = models.ForeignKey(
        Authorization, verbose_name=_("授权委托"), on_delete=models.PROTECT, related_name="cases"
    )
    agent = models.ForeignKey(
        User, verbose_name=_("代办员"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("诉求摘要"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=AgencyStatus.choices, default=AgencyStatus.OPEN
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("代理件")
        verbose_name_plural = _("代理件")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{_('代理件')} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("agency:case", args=[self.pk])


class AgencyItem(models.Model):
    """A services case filed within an agency case."""

    agency_case = models.ForeignKey(
        AgencyCase, verbose_name=_("代理件"), on_delete=models.CASCADE, related_name="items"
    )
    case = models.OneToOneField(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="agency_item"
    )
    # The completion the resident and family were told of (so they are told once).
    completion_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("代理事项")
        verbose_name_plural = _("代理事项")

    def __str__(self) -> str:
        return str(self.case)


class HandoverKind(models.TextChoices):
    COLLECT_MATERIALS = "collect_materials", _("上门收取材料")
    SUBMIT_MATERIALS = "submit_materials", _("递交材料")
    COLLECT_RESULT = "collect_result", _("领取办理结果")
    RETURN_RESULT = "return_result", _("送还办理结果")
    POINT_RESULT = "point_result", _("服务点交付结果")


class Handover(models.Model):
    """A receipt (交接回执) for documents changing hands: who gave what to whom, when."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    agency_case = models.ForeignKey(
        AgencyCase,
        verbose_name=_("代理件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="handovers",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # One handover may cover several items of the agency case (none named: all of them).
    cases = models.ManyToManyField(
        Case, verbose_name=_("涉及办件"), blank=True, related_name="agency_handovers"
    )
    receipt_number = models.CharField(_("回执编号"), max_length=24, unique=True)
    kind = models.CharField(_("交接类型"), max_length=20, choices=HandoverKind.choices)
    from_party = models.CharField(_("交出方"), max_length=100)
    to_party = models.CharField(_("接收方"), max_length=100)
    documents = models.JSONField(_("交接材料"), default=list)
    at = models.DateTimeField(_("交接时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("交接回执")
        verbose_name_plural = _("交接回执")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency_case__isnull=False) | Q(case__isnull=False),
                name="handover_has_a_subject",
            )
        ]

    def __str__(self) -> str:
        return self.receipt_number

    def covered_cases(self) -> list[Case]:
        """The items this handover is about: those named, else its one case, else every
        item of its agency case."""
        named = list(self.cases.select_related("item").order_by("pk"))
        if named:
            return named
        if self.case is not None:
            return [self.case]
        if self.agency_case is not None:
            return [
                row.case
                for row in self.agency_case.items.select_related("case__item").order_by("pk")
            ]
        return []


class VillagePoint(models.Model):
    """A village service point (村级服务点) where villagers file matters without travelling."""

    unit = models.OneToOneField(
        OrgUnit, verbose_name=_("村(社区)"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    has_fibre = models.BooleanField(_("已通光纤"), default=False)
    operator = models.ForeignKey(
        Post,
        verbose_name=_("服务点操作员岗位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    fare_yuan = models.DecimalField(
        _("往返车费(元)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("留空则用县市默认值"),
    )
    lost_work_yuan = models.DecimalField(
        _("误工费(元/天)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("留空则用县市默认值"),
    )
    opened_on = models.DateField(_("开通日期"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("村级服务点")
        verbose_name_plural = _("村级服务点")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agency:point", args=[self.pk])


class CountyTravelCost(models.Model):
    """The county's default cost of one trip to the township or county seat."""

    unit = models.OneToOneField(
        OrgUnit, verbose_name=_("县市"), on_delete=models.PROTECT, related_name="+"
    )
    fare_yuan = models.DecimalField(_("往返车费(元)"), max_digits=8, decimal_places=2)
    lost_work_yuan = models.DecimalField(_("误工费(元/天)"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("县市默认办事成本")
        verbose_name_plural = _("县市默认办事成本")

    def __str__(self) -> str:
        return str(self.unit)


class RemoteMatter(models.Model):
    """An approval matter filed at a village point for a villager, with its scan."""

    point = models.ForeignKey(
        VillagePoint, verbose_name=_("服务点"), on_delete=models.PROTECT, related_name="matters"
    )
    case = models.OneToOneField(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="remote_matter"
    )
    scan = models.FileField(_("材料扫描件"), upload_to="agency/matters/%Y/%m/")
    handed_over_at = models.DateTimeField(_("结果交付时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("远程审批事项")
        verbose_name_plural = _("远程审批事项")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return str(self.case)


class CommercialKind(models.TextChoices):
    PAYMENT = "payment", _("代缴费")
    PURCHASE = "purchase", _("代购")
    SALE = "sale", _("农产品代销")
    PARCEL = "parcel", _("快递收发")
    OTHER = "other", _("其他")


class CommercialService(models.Model):
    """A commercial service at a point (payments, purchases, parcels …): type and amount."""

    point = models.ForeignKey(
        VillagePoint, verbose_name=_("服务点"), on_delete=models.PROTECT, related_name="commerce"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=CommercialKind.choices)
    amount_yuan = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2, default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("商务服务")
        verbose_name_plural = _("商务服务")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_yuan__gte=0), name="commercialservice_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_yuan}"


class LegacyTally(models.Model):
    """A month of a point's work before the platform, from the county's ledger (台账).

    Append-only figures; the figures function adds them to what the platform holds.
    """

    point = models.ForeignKey(
        VillagePoint, verbose_name=_("服务点"), on_delete=models.PROTECT, related_name="legacy"
    )
    month = models.DateField(_("月份"))
    approvals_accepted = models.PositiveIntegerField(_("受理审批事项"), default=0)
    approvals_completed = models.PositiveIntegerField(_("办结审批事项"), default=0)
    commercial_services = models.PositiveIntegerField(_("商务服务"), default=0)
    trips_saved = models.PositiveIntegerField(_("节省往返次数"), default=0)
    money_saved_yuan = models.DecimalField(
        _("节省办事成本(元)"), max_digits=12, decimal_places=2, default=0
    )
    source = models.CharField(_("来源"), max_length=100, default="县市台账")

    class Meta:
        verbose_name = _("历史台账")
        verbose_name_plural = _("历史台账")
        ordering = ["point", "month"]
        constraints = [
            models.UniqueConstraint(fields=["point", "month"], name="legacytally_one_per_month"),
            models.CheckConstraint(
                condition=Q(approvals_completed__lte=models.F("approvals_accepted")),
                name="legacytally_completed_within_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.month:%Y-%m}"
