"""Background work: the worker's heartbeat (and, with the services app, the outbox)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running worker, touched on every loop; /healthz reads its age."""

    name = models.CharField(_("进程"), max_length=100, primary_key=True)
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)
    loops = models.BigIntegerField(_("循环次数"), default=0)

    class Meta:
        verbose_name = _("后台进程心跳")
        verbose_name_plural = _("后台进程心跳")

    def __str__(self) -> str:
        return self.name
