"""The residents' portal (居民端): sign-in accounts by mobile number, one-time codes,
privacy consents, the online requests a resident filed (each a services case on the
``online`` channel) with their photos, and callback requests for full-process agency.

A portal account is not a staff ``User``: residents never get a staff login. The portal
keeps its own signed session key; actions take the account as their actor and write the
audit log with the system as actor and the account in the snapshot.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit, User
from shequ.people.models import Resident
from shequ.services.models import Case


class Account(models.Model):
    """A mobile number that has signed in. ``resident`` is the registry's match by the
    phone's blind index; without one the account is limited (ask and follow its own
    requests, nothing of the registry)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    phone_enc = models.TextField(_("手机号(密文)"))
    phone_index = models.CharField(_("手机号索引"), max_length=64, unique=True)
    phone_masked = models.CharField(_("手机号"), max_length=11)
    key_id = models.CharField(_("加密密钥编号"), max_length=12, db_index=True)
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("登记居民"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("称呼"), max_length=50, blank=True)
    community_chosen = models.BooleanField(_("已选择社区"), default=False)
    created_at = models.DateTimeField(_("首次登录"), default=timezone.now)
    last_signed_in_at = models.DateTimeField(_("最近登录"), default=timezone.now)

    class Meta:
        verbose_name = _("居民账号")
        verbose_name_plural = _("居民账号")

    def __str__(self) -> str:
        return self.phone_masked

    @property
    def limited(self) -> bool:
        return self.resident_id is None

    @property
    def display_name(self) -> str:
        if self.resident is not None:
            return self.resident.name
        return self.name or self.phone_masked


class SignInCode(models.Model):
    """A one-time code sent by text message. Only its keyed hash is stored; it expires
    after SHEQU_PORTAL_CODE_SECONDS and dies after SHEQU_PORTAL_CODE_TRIES wrong tries.
    ``phone_index`` and ``address_index`` are keyed hashes too: the throttles count by
    them without keeping the number or the address in clear."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    phone_index = models.CharField(_("手机号索引"), max_length=64)
    address_index = models.CharField(_("地址索引"), max_length=64, blank=True)
    code_hash = models.CharField(_("验证码摘要"), max_length=128)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    failures = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    last_failed_at = models.DateTimeField(_("最近错误时间"), null=True, blank=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = _("登录验证码")
        indexes = [
            models.Index(fields=["phone_index", "-created_at"]),
            models.Index(fields=["address_index", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.phone_index[:8]} {self.created_at:%Y-%m-%d %H:%M}"


class Consent(models.Model):
    """The account's consent to a version of the privacy notice (append-only)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("居民账号"), on_delete=models.CASCADE, related_name="consents"
    )
    version = models.CharField(_("告知书版本"), max_length=20)
    given_at = models.DateTimeField(_("同意时间"), default=timezone.now)
    address_index = models.CharField(_("地址索引"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("隐私告知同意")
        verbose_name_plural = _("隐私告知同意")
        constraints = [
            models.UniqueConstraint(fields=["account", "version"], name="consent_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.version}"


class OnlineRequest(models.Model):
    """A request a resident filed on the portal: a services case on the online channel."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("居民账号"), on_delete=models.PROTECT, related_name="requests"
    )
    case = models.OneToOneField(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="online_request"
    )
    client_token = models.CharField(max_length=64, unique=True)
    address_index = models.CharField(_("地址索引"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("网上申请")
        verbose_name_plural = _("网上申请")
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self) -> str:
        return str(self.case)


class RequestPhoto(models.Model):
    """A photo of a material sent with an online request; served only through the
    portal's access check, never as a public file."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        OnlineRequest, verbose_name=_("网上申请"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("照片"), upload_to="portal/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小(字节)"))
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("材料照片")
        verbose_name_plural = _("材料照片")

    def __str__(self) -> str:
        return self.name


class ForWhom(models.TextChoices):
    SELF = "self", _("本人")
    PARENT = "parent", _("父母")
    OTHER = "other", _("其他家人")


class CallbackKind(models.TextChoices):
    AGENCY = "agency", _("全程代办")
    MEDIATION = "mediation", _("矛盾纠纷调解")


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("待回电")
    DONE = "done", _("已回电")


class CallbackRequest(models.Model):
    """A resident asks to be called back: by the community's agency station about
    full-process agency (全程代理) for themselves or a parent, or by its mediators about a
    dispute (调解). The agent registers the authorisation at the station, the mediator
    the dispute in the mediation app, as usual."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("居民账号"), on_delete=models.PROTECT, related_name="callbacks"
    )
    kind = models.CharField(
        _("类别"), max_length=10, choices=CallbackKind.choices, default=CallbackKind.AGENCY
    )
    for_whom = models.CharField(_("为谁代办"), max_length=8, choices=ForWhom.choices)
    person_name = models.CharField(_("被代办人姓名"), max_length=50)
    phone_enc = models.TextField(_("回电号码(密文)"))
    phone_masked = models.CharField(_("回电号码"), max_length=11)
    key_id = models.CharField(_("加密密钥编号"), max_length=12, db_index=True)
    note = models.TextField(_("想办的事"), blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=CallbackStatus.choices, default=CallbackStatus.OPEN
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    handled_at = models.DateTimeField(_("回电时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_note = models.TextField(_("回电情况"), blank=True)
    client_token = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("代办回电请求")
        verbose_name_plural = _("代办回电请求")
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CallbackStatus.values), name="callback_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_status_display()}"


class Appeal(models.Model):
    """A resident who does not accept the answer to a rectification of their bad
    rating (整改答复) asks for it to be reviewed by the level above."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("居民账号"), on_delete=models.PROTECT, related_name="appeals"
    )
    case = models.OneToOneField(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="portal_appeal"
    )
    reason = models.TextField(_("不认可的理由"))
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改答复复核申请")
        verbose_name_plural = _("整改答复复核申请")

    def __str__(self) -> str:
        return f"{self.case} {self.created_at:%Y-%m-%d}"
