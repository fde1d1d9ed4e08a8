"""What a community's board (社区公告栏) shows a resident, read from the apps that hold it.

The board shows what exists: the community's service hall and its hours, its agency
stations and hotline, the legal advisor and mediators posted there (a resident asks
them for mediation through the portal's own callback request), the community's recent
service figures, the resolutions its meetings passed (governance's ``resolutions_for``),
the charter and convention versions open for public comment today (governance's
``charters_in_comment``; each links to the portal's page where a resident reads the
draft) and its recent vacancy and training figures (jobs' ``jobs_figures``). The
community's latest disclosures (居务公开, governance's ``disclosures_for``) link to the
portal's page where a resident reads one and questions it, and its deliberation topics
(协商议事, ``deliberations_for``) to the page where a resident follows, supports and
comments on one. A section an app does not expose yet would be a ``PENDING`` entry
below, naming the ``figures`` function it will read; the page shows it as "coming"
until that function is called in ``board_for``. None is pending now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from shequ.agency.models import AgencyStation
from shequ.governance.figures import (
    DisclosureRef,
    ResolutionRef,
    TopicRef,
    charters_in_comment,
    deliberations_for,
    disclosures_for,
    resolutions_for,
)
from shequ.governance.models import Matter
from shequ.jobs.figures import JobsFigures, jobs_figures
from shequ.orgs.models import OrgUnit, Post, Role
from shequ.services.models import DONE_CASE_STATUSES, Case, ServiceHall


@dataclass
class Pending:
    key: str
    title: Promise
    reads: str  # the figures function this section will read


# What the apps do not expose yet: nothing, since deliberation landed.
PENDING: list[Pending] = []


@dataclass(frozen=True)
class CharterDraft:
    """A charter or convention version open for public comment, as residents read it."""

    version_id: int
    community_id: int
    title: str
    kind: str
    number: int
    text: str
    comment_from: dt.date
    comment_to: dt.date

    @property
    def url(self) -> str:
        return reverse("portal:charter", args=[self.community_id, self.version_id])


def charter_drafts(community: OrgUnit, today: dt.date | None = None) -> list[CharterDraft]:
    """The community's charter and convention versions in public comment ``today``."""
    today = today or timezone.localdate()
    return [
        CharterDraft(
            version_id=v.pk,
            community_id=community.pk,
            title=v.charter.title,
            kind=v.charter.get_kind_display(),
            number=v.number,
            text=v.text,
            comment_from=v.comment_from or today,
            comment_to=v.comment_to or today,
        )
        for v in sorted(charters_in_comment(community, today), key=lambda v: (v.comment_to, v.pk))
    ]


def get_charter_draft(community: OrgUnit, version_id: int) -> CharterDraft | None:
    """One of ``charter_drafts(community)``: a version of another community, or one not
    (or no longer) open for comment, is None — the page answers 404."""
    return next((d for d in charter_drafts(community) if d.version_id == version_id), None)


@dataclass
class Board:
    community: OrgUnit
    hall: ServiceHall | None
    stations: list[AgencyStation]
    advisors: list[str]
    mediators: list[str]
    done_30_days: int
    received_30_days: int
    resolutions: list[ResolutionRef]
    charters: list[CharterDraft]
    jobs: JobsFigures
    pending: list[Pending] = field(default_factory=lambda: list(PENDING))
    disclosures: list[DisclosureRef] = field(default_factory=list)
    topics: list[TopicRef] = field(default_factory=list)


def _names(unit: OrgUnit, role: str) -> list[str]:
    posts = Post.objects.active().filter(unit=unit, role=role).select_related("user")
    return sorted({p.user.full_name or p.user.username for p in posts})


def board_for(community: OrgUnit) -> Board:
    today = timezone.localdate()
    since = timezone.now() - dt.timedelta(days=30)
    counts = Case.objects.filter(unit=community, received_at__gte=since).aggregate(
        received=Count("pk"), done=Count("pk", filter=Q(status__in=DONE_CASE_STATUSES))
    )
    return Board(
        community=community,
        hall=ServiceHall.objects.filter(unit=community).first(),
        stations=list(AgencyStation.objects.filter(unit=community, active=True)),
        advisors=_names(community, Role.LEGAL_ADVISOR),
        mediators=_names(community, Role.MEDIATOR),
        done_30_days=counts["done"] or 0,
        received_30_days=counts["received"] or 0,
        resolutions=resolutions_for(community, Matter.values)[:10],
        charters=charter_drafts(community, today),
        jobs=jobs_figures(community, today - dt.timedelta(days=90), today),
        disclosures=disclosures_for(community),
        topics=deliberations_for(community),
    )
