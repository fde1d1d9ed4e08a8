"""Texts of the messages deliberation sends (SMS to proposers and participants, staff
notices to the community). Rendered in Chinese (``notify.outbox``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    "governance.topic_new": _("新的协商议题:%(title)s(%(source)s提出),请及时受理。"),
    "governance.topic_declined": _(
        "【%(unit)s】您提出的协商议题“%(title)s”不予受理,理由:%(reason)s"
    ),
    "governance.topic_accepted": _("【%(unit)s】您提出的协商议题“%(title)s”已受理。"),
    "governance.topic_outcome": _(
        "【%(unit)s】协商议题“%(title)s”已形成协商结果:%(outcome)s。%(text)s"
    ),
    "governance.topic_milestone": _(
        "【%(unit)s】协商议题“%(title)s”的落实事项“%(result)s”有新进展(%(progress)s%%):%(text)s"
    ),
    "governance.topic_feedback": _("【%(unit)s】协商议题“%(title)s”落实情况反馈:%(text)s"),
}
