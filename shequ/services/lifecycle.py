"""The case lifecycle in one table: from which states each step may be taken, by which
roles, on which unit, for which kinds of item. The actions check it (and take the step
with a conditional UPDATE on the same states and the same handling unit), the pages and
the API offer only what it allows, and the tests walk every state × step × role.

"on" says whose roles count: the receiving community (``unit``) or the unit the case was
sent to (``handling_unit``). Because the UPDATE also requires the handling unit the
actor was checked against, a case sent up while a clerk completes it cannot be
completed by the clerk: the township completes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import pgettext_lazy

from shequ.orgs import access as org_access
from shequ.orgs.access import AnyUser
from shequ.orgs.models import OrgUnit
from shequ.services.access import CASE_ROLES, SENT_UP_ROLES
from shequ.services.models import (
    DONE_CASE_STATUSES,
    FINAL_CASE_STATUSES,
    OPEN_CASE_STATUSES,
    Case,
    CaseExtension,
    CaseQuerySet,
    CaseStatus,
    ExtensionStatus,
    ItemKind,
)

__all__ = [
    "DONE_CASE_STATUSES",
    "FINAL_CASE_STATUSES",
    "OPEN_CASE_STATUSES",
    "RULES",
    "Rule",
    "Step",
    "allowed_steps",
    "rule_for",
    "sources",
    "with_step_facts",
]


class Step(models.TextChoices):
    # the buttons' words: imperative in English, unlike the same words as a status or event
    ACCEPT = "accept", pgettext_lazy("case step", "受理")
    RETURN = "return", pgettext_lazy("case step", "退回补正")
    REFUSE = "refuse", pgettext_lazy("case step", "不予受理")
    START = "start", pgettext_lazy("case step", "开始办理")
    ARRIVE = "arrive", pgettext_lazy("case step", "到达现场")
    SEND_UP = "send_up", pgettext_lazy("case step", "报送上级")
    COMPLETE = "complete", pgettext_lazy("case step", "办结")
    CLOSE = "close", pgettext_lazy("case step", "归档")
    EXTEND = "extend", pgettext_lazy("case step", "申请延期")


S = CaseStatus
K = ItemKind
ALL_KINDS = frozenset(K.values)
LIMITED = frozenset({K.COMMITMENT, K.ON_SITE})  # items with a limit in working days


def _never_accepted(case: Case) -> bool:
    return case.accepted_at is None


def _sent_up_item(case: Case) -> bool:
    return case.item.sent_up


def _no_pending_extension(case: Case) -> bool:
    """One extension request at a time. Lists annotate ``pending_extension`` (see
    ``with_step_facts``) so this costs no query per row."""
    pending = getattr(case, "pending_extension", None)
    if pending is None:
        pending = case.extensions.filter(status=ExtensionStatus.PENDING).exists()
    return not pending


def with_step_facts(cases: CaseQuerySet) -> CaseQuerySet:
    """What ``allowed_steps`` needs to know of each case, in the list's one query."""
    pending = CaseExtension.objects.filter(case=OuterRef("pk"), status=ExtensionStatus.PENDING)
    return cases.select_related("item", "unit", "handling_unit").annotate(
        pending_extension=Exists(pending)
    )


@dataclass(frozen=True)
class Rule:
    step: Step
    sources: frozenset[str]
    roles: frozenset[str]
    on: Literal["unit", "handling_unit"] = "unit"
    kinds: frozenset[str] = ALL_KINDS
    when: Callable[[Case], bool] | None = None

    def matches(self, case: Case) -> bool:
        return (
            case.status in self.sources
            and case.item.kind in self.kinds
            and (self.when is None or self.when(case))
        )

    def unit_of(self, case: Case) -> OrgUnit:
        return case.handling_unit if self.on == "handling_unit" else case.unit


RULES: tuple[Rule, ...] = (
    Rule(Step.ACCEPT, frozenset({S.RECEIVED, S.RETURNED}), CASE_ROLES),
    Rule(Step.RETURN, frozenset({S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS}), CASE_ROLES),
    Rule(Step.REFUSE, frozenset({S.RECEIVED}), CASE_ROLES),
    # once accepted, a case back from correction can no longer be refused
    Rule(Step.REFUSE, frozenset({S.RETURNED}), CASE_ROLES, when=_never_accepted),
    Rule(
        Step.START,
        frozenset({S.ACCEPTED}),
        CASE_ROLES,
        kinds=frozenset({K.COMMITMENT, K.IMMEDIATE}),
    ),
    Rule(Step.ARRIVE, frozenset({S.ACCEPTED}), CASE_ROLES, kinds=frozenset({K.ON_SITE})),
    Rule(Step.SEND_UP, frozenset({S.ACCEPTED, S.IN_PROGRESS}), CASE_ROLES, when=_sent_up_item),
    Rule(Step.COMPLETE, frozenset({S.ACCEPTED, S.IN_PROGRESS}), CASE_ROLES),
    # an immediate item may be completed straight from registration (当场办结)
    Rule(Step.COMPLETE, frozenset({S.RECEIVED}), CASE_ROLES, kinds=frozenset({K.IMMEDIATE})),
    Rule(Step.COMPLETE, frozenset({S.SENT_UP}), SENT_UP_ROLES, on="handling_unit"),
    # the unit a case was sent to may also send it back for correction (一次性告知 back
    # to the community or village point, whose queue it returns to) or refuse it
    Rule(Step.RETURN, frozenset({S.SENT_UP}), SENT_UP_ROLES, on="handling_unit"),
    Rule(Step.REFUSE, frozenset({S.SENT_UP}), SENT_UP_ROLES, on="handling_unit"),
    Rule(Step.CLOSE, frozenset({S.COMPLETED, S.REFUSED}), CASE_ROLES),
    Rule(
        Step.EXTEND,
        frozenset({S.ACCEPTED, S.IN_PROGRESS}),
        CASE_ROLES,
        kinds=LIMITED,
        when=_no_pending_extension,
    ),
    Rule(
        Step.EXTEND,
        frozenset({S.SENT_UP}),
        CASE_ROLES,
        on="handling_unit",
        kinds=LIMITED,
        when=_no_pending_extension,
    ),
)


def sources(step: Step) -> frozenset[str]:
    """Every state from which ``step`` may be taken under some rule."""
    return frozenset().union(*(r.sources for r in RULES if r.step == step))


def rule_for(case: Case, step: str) -> Rule | None:
    """The rule under which ``step`` may be taken on ``case`` as it stands, if any."""
    return next((r for r in RULES if r.step == step and r.matches(case)), None)


def allowed_steps(case: Case, user: AnyUser | None = None) -> list[Step]:
    """The steps the case's state allows, in the table's order; with ``user``, only those
    the user's posts allow. (The actions check again, and win or lose the race.)"""
    steps: list[Step] = []
    for rule in RULES:
        if rule.step in steps or not rule.matches(case):
            continue
        if user is not None:
            unit = rule.unit_of(case)
            if not (org_access.in_scope(user, unit) and org_access.may(user, rule.roles, unit)):
                continue
        steps.append(rule.step)
    return steps
