"""The notification outbox and its deliveries."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    STAFF = "staff", _("工作人员站内通知")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Message(models.Model):
    """One notification in the outbox, written in the transaction of the change it reports.

    The worker claims pending rows (and rows whose claim has expired because their worker
    died), delivers them through a backend and records the outcome. Rows are never deleted
    by the worker, so failures stay visible.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    # For text messages the phone number is stored encrypted (``recipient_enc``, with the
    # people app's field keys) and ``recipient`` holds it masked; staff notices name a user.
    recipient = models.CharField(_("接收人"), max_length=100)
    recipient_enc = models.TextField(_("接收号码(密文)"), blank=True)
    kind = models.CharField(_("消息类型"), max_length=64)
    payload = models.JSONField(_("内容数据"), default=dict, blank=True)
    body = models.TextField(_("正文"))
    # Where a staff notice leads (the case, the rectification …): a path the sender gave.
    link = models.CharField(_("链接"), max_length=300, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    last_error = models.TextField(_("最近错误"), blank=True)
    claimed_by = models.CharField(_("处理进程"), max_length=100, blank=True)
    claim_token = models.CharField(_("认领令牌"), max_length=32, blank=True)
    lease_until = models.DateTimeField(_("认领到期"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    provider_ref = models.CharField(_("网关回执"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("通知消息")
        verbose_name_plural = _("通知消息")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "lease_until"]),
            models.Index(fields=["unit", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="message_unique_dedupe"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values), name="message_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        return self.recipient


class Delivery(models.Model):
    """What the log backend "sent": written in the same transaction that marks the message
    sent, so each message has at most one row (the crash test counts them). Staff notices
    are read from here too."""

    message = models.OneToOneField(
        Message, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="delivery"
    )
    delivered_at = models.DateTimeField(_("送达时间"), default=timezone.now, db_index=True)
    worker = models.CharField(_("处理进程"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")

    def __str__(self) -> str:
        return str(self.message)
