"""Texts of the messages the jobs app sends. Placeholders are filled from the payload;
texts are rendered in Chinese whatever language the sender's browser uses."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    "jobs.remind_report": _(
        "【%(community)s】%(unit)s:请于%(due)s前报告%(month)s的空岗情况(没有空岗也请报告)%(link)s"
    ),
    "jobs.referred": _(
        "【%(community)s】已推荐您应聘%(unit)s的“%(post)s”岗位,单位将与您联系面试。"
    ),
    "jobs.referral_to_unit": _(
        "【%(community)s】社区已向贵单位“%(post)s”岗位推荐%(name)s,请面试后告知结果%(link)s"
    ),
}
