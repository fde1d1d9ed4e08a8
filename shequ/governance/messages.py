"""Texts of the messages governance sends. Placeholders are filled from the payload;
texts are rendered in Chinese whatever language the sender's browser uses
(``notify.outbox``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    "governance.committee_term_ending": _(
        "%(unit)s%(committee)s本届任期于 %(due)s 届满,请及时筹备换届选举。"
    ),
    "governance.reps_term_ending": _(
        "%(unit)s有 %(n)s 名村(居)民代表任期于 %(due)s 届满,请及时组织推选。"
    ),
}

# affairs disclosure (居务公开)
TEXTS.update(
    {
        "governance.disclosure_due": _(
            "%(unit)s的居务公开“%(item)s”(%(period)s)应于 %(due)s 前公布,请提交监督委员会审核后按时公开。"
        ),
        "governance.disclosure_overdue": _(
            "%(unit)s的居务公开“%(item)s”(%(period)s)应于 %(due)s 前公布,至今未公布,请督促。"
        ),
    }
)
