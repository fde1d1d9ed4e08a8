"""Who sees and moves deliberation (协商议事).

- staff see the topics of the units in their scope (``orgs.access.scope_q``), and a
  grid worker also the topics they filed (their post sits on a grid, below the
  community the topic belongs to);
- the procedure (accept, notice, consult, decide, results, feedback, supervision,
  moderation) is the community's: ``governance.access.GOVERNANCE_ROLES``;
- topics are proposed by those roles, the community's grid workers, the township
  (officers are in ``GOVERNANCE_ROLES``), or a resident on the portal (no staff actor);
- residents read the topics past acceptance of their community, and their own in any
  state (a declined one shows them the reason).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from shequ.governance.access import GOVERNANCE_ROLES, may_write
from shequ.governance.models import Milestone, Result, Topic, TopicComment, TopicStatus
from shequ.orgs import access
from shequ.orgs.access import AnyUser, parse_pk
from shequ.orgs.models import OrgUnit, Post, Role

PROPOSE_ROLES = GOVERNANCE_ROLES | frozenset({Role.GRID_WORKER})
# What residents do not see of other people's topics: not yet accepted, or declined.
PRIVATE_STATUSES = (TopicStatus.PROPOSED, TopicStatus.DECLINED)


def is_grid_worker_of(user: AnyUser, unit: OrgUnit) -> bool:
    """The user holds an active grid-worker post on a grid of ``unit``."""
    if not user.is_authenticated:
        return False
    return (
        Post.objects.active()
        .filter(user=user, role=Role.GRID_WORKER, unit__path__startswith=unit.path)
        .exists()
    )


def may_propose(user: AnyUser, unit: OrgUnit) -> bool:
    return may_write(user, unit) or is_grid_worker_of(user, unit)


def topics_for_user(user: AnyUser) -> QuerySet[Topic]:
    q = access.scope_q(user)
    if user.is_authenticated:
        q |= Q(filed_by=user)
    return Topic.objects.filter(q).select_related("unit", "resident_unit", "resolution")


def get_topic_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> Topic:
    try:
        topic = topics_for_user(user).get(pk=parse_pk(pk))
    except ObjectDoesNotExist:
        raise Http404 from None
    if write and not may_write(user, topic.unit):
        raise Http404
    return topic


def results_for_user(user: AnyUser) -> QuerySet[Result]:
    return Result.objects.filter(access.scope_q(user, "topic__unit")).select_related(
        "topic__unit", "post__user", "parent"
    )


def get_result_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> Result:
    try:
        result = results_for_user(user).get(pk=parse_pk(pk))
    except ObjectDoesNotExist:
        raise Http404 from None
    if write and not may_write(user, result.topic.unit):
        raise Http404
    return result


def milestones_for_user(user: AnyUser) -> QuerySet[Milestone]:
    return Milestone.objects.filter(access.scope_q(user, "result__topic__unit")).select_related(
        "result__topic__unit"
    )


def get_milestone_for_user(user: AnyUser, pk: Any) -> Milestone:
    try:
        return milestones_for_user(user).get(pk=parse_pk(pk))
    except ObjectDoesNotExist:
        raise Http404 from None


def get_comment_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> TopicComment:
    try:
        comment = TopicComment.objects.select_related("topic__unit").get(
            Q(pk=parse_pk(pk)) & access.scope_q(user, "topic__unit")
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    if write and not may_write(user, comment.topic.unit):
        raise Http404
    return comment


# --- what residents see (the portal) ------------------------------------------------------


def public_topics(community: OrgUnit) -> QuerySet[Topic]:
    return (
        Topic.objects.filter(unit=community)
        .exclude(status__in=PRIVATE_STATUSES)
        .select_related("unit", "resolution")
    )


def own_topics(key: str) -> QuerySet[Topic]:
    """A resident's own topics, by their phone's blind index."""
    if not key:
        return Topic.objects.none()
    return Topic.objects.filter(proposer_key=key).select_related("unit")


def get_public_topic(pk: Any, key: str = "") -> Topic:
    """A topic a resident may read: past acceptance, or their own."""
    q = ~Q(status__in=PRIVATE_STATUSES)
    if key:
        q |= Q(proposer_key=key)
    try:
        return Topic.objects.select_related("unit", "resolution").get(Q(pk=parse_pk(pk)) & q)
    except ObjectDoesNotExist:
        raise Http404 from None


def get_public_milestone(pk: Any) -> Milestone:
    """A milestone of a topic residents can read (its photo is shown on the portal)."""
    try:
        return Milestone.objects.select_related("result__topic").get(
            Q(pk=parse_pk(pk)) & ~Q(result__topic__status__in=PRIVATE_STATUSES)
        )
    except ObjectDoesNotExist:
        raise Http404 from None
