"""The jobs demo, on a few communities: a year of reports, referrals confirmed by the
units, the four zero-employment households (two cleared in time, one late, one still
helped), training and floating-population work; a re-run adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from shequ.demo.accounts import DEMO_COMMUNITY, ensure_demo_accounts
from shequ.demo.grids import ensure_demo_grids
from shequ.demo.jobs import demo_jobs_communities, ensure_demo_jobs
from shequ.demo.residents import ensure_demo_residents
from shequ.jobs.actions import quarter_overdue
from shequ.jobs.figures import jobs_figures
from shequ.jobs.models import (
    FloatingActivity,
    Referral,
    SchoolHelp,
    VacancyReport,
    ZeroHousehold,
    ZeroStatus,
)
from shequ.orgs.models import OrgUnit
from shequ.services.catalogue import ensure_catalogue


def test_the_jobs_demo(db: None) -> None:
    ensure_catalogue()
    ensure_demo_grids()
    ensure_demo_accounts()
    # the registry only where the demo works: the people of the 222 other communities play
    # no part in it (seekers, zero-employment households and the floating population are
    # the two communities' own) and took three quarters of the test
    ensure_demo_residents(
        per_community=60, demo_community=300, communities=demo_jobs_communities(2)
    )
    assert ensure_demo_jobs(communities_limit=2) == 4 + 2  # 官坡社区 is one of the two
    assert ensure_demo_jobs(communities_limit=2) == 0
    guanpo = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    months = VacancyReport.objects.filter(community=guanpo).values("month").distinct()
    assert months.count() == 12
    assert Referral.objects.exclude(status="referred").exists()
    spells = list(ZeroHousehold.objects.order_by("identified_on"))
    assert [s.status for s in spells] == [
        ZeroStatus.CLEARED,
        ZeroStatus.CLEARED,
        ZeroStatus.CLEARED,
        ZeroStatus.ASSISTING,
    ]
    assert [s.cleared_in_time for s in spells] == [True, True, False, False]
    today = timezone.localdate()
    assert quarter_overdue(ZeroHousehold.objects.all(), today).count() == 1
    assert FloatingActivity.objects.exists() and SchoolHelp.objects.count() == 1
    f = jobs_figures(guanpo, today - dt.timedelta(days=400), today)
    assert f.zero_identified == 4 and f.zero_cleared_in_quarter == 2
    assert f.hired > 0 and f.local_share is not None
