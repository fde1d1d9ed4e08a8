"""What a community's board (社区公告栏) shows a resident, read from the apps that hold it.

The board shows what exists: the community's service hall and its hours, its agency
stations and hotline, the legal advisor and mediators posted there (a resident asks
them for mediation through the portal's own callback request), the community's recent
service figures, the resolutions its meetings passed (governance's ``resolutions_for``)
and its recent vacancy and training figures (jobs' ``jobs_figures``). The sections that
governance does not expose yet (disclosures on the law's calendar, charters and
conventions with comments on drafts, deliberation topics) are the ``PENDING`` entries
below: each names the ``figures`` function it will read, and the page shows it as
"coming" until then. To switch one on, call that function in ``board_for``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shequ.agency.models import AgencyStation
from shequ.governance.figures import ResolutionRef, resolutions_for
from shequ.governance.models import Matter
from shequ.jobs.figures import JobsFigures, jobs_figures
from shequ.orgs.models import OrgUnit, Post, Role
from shequ.services.models import DONE_CASE_STATUSES, Case, ServiceHall


@dataclass
class Pending:
    key: str
    title: Promise
    reads: str  # the figures function this section will read


# What governance and mediation do not expose yet (their apps are being built).
PENDING = [
    Pending("disclosures", _("居务公开"), "shequ.governance.figures.disclosures_for(community)"),
    Pending(
        "charters", _("居民自治章程与居规民约"), "shequ.governance.figures.charters_for(community)"
    ),
    Pending("deliberation", _("协商议事"), "shequ.governance.figures.deliberations_for(community)"),
]


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
    jobs: JobsFigures
    pending: list[Pending] = field(default_factory=lambda: list(PENDING))


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
        jobs=jobs_figures(community, today - dt.timedelta(days=90), today),
    )
