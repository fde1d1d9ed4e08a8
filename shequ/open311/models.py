"""Open311 GeoReport v2: partner systems' keys, and what they filed beyond the case.

A request filed through Open311 is an ordinary case (services.Case, channel "api");
the row here keeps what the standard carries and the case has no field for (location,
media, device), and marks the case as public: only these cases are listed by
GET requests, so nothing registered at a window is ever published.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit
from shequ.services.models import Case


class PartnerKey(models.Model):
    """An ``api_key`` for one partner system (a county hotline, a WeChat mini program).

    Only a SHA-256 of the key is stored; the key is shown once when it is issued. A key
    with a county may file requests in that county only.
    """

    name = models.CharField(_("合作系统"), max_length=100, unique=True)
    prefix = models.CharField(_("前缀"), max_length=16)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    county = models.ForeignKey(
        OrgUnit,
        verbose_name=_("限定县市"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "county"},
    )
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("合作系统密钥")
        verbose_name_plural = _("合作系统密钥")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> OrgUnit | None:
        """The unit the key's events are filed under."""
        return self.county


class ServiceRequest(models.Model):
    """The Open311 side of a case filed by a partner system."""

    case = models.OneToOneField(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="open311"
    )
    partner = models.ForeignKey(
        PartnerKey, verbose_name=_("合作系统"), on_delete=models.PROTECT, related_name="requests"
    )
    description = models.TextField(_("诉求描述"), max_length=4000, blank=True)
    address_string = models.CharField(_("地址"), max_length=255, blank=True)
    address_id = models.CharField(_("地址编号"), max_length=32, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    long = models.FloatField(_("经度"), null=True, blank=True)
    media_url = models.URLField(_("媒体链接"), max_length=500, blank=True)
    device_id = models.CharField(_("设备编号"), max_length=100, blank=True)
    account_id = models.CharField(_("账号编号"), max_length=100, blank=True)
    attributes = models.JSONField(_("附加属性"), default=dict, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Open311 诉求")
        verbose_name_plural = _("Open311 诉求")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, long__isnull=True)
                | models.Q(lat__gte=-90, lat__lte=90, long__gte=-180, long__lte=180),
                name="open311_request_coordinates_valid",
            )
        ]

    def __str__(self) -> str:
        return str(self.case)

    @property
    def unit(self) -> OrgUnit:
        return self.case.unit
