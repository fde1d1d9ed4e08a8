from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shequ.demo.accounts import ensure_demo_accounts
from shequ.demo.agency import ensure_demo_agency
from shequ.demo.building import ensure_demo_building, ensure_demo_resolution_links
from shequ.demo.case_history import ensure_case_history
from shequ.demo.cases import ensure_demo_cases
from shequ.demo.deliberation import ensure_demo_deliberation
from shequ.demo.disclosure import ensure_demo_disclosure
from shequ.demo.governance import ensure_demo_governance
from shequ.demo.grids import ensure_demo_grids
from shequ.demo.hall import ensure_demo_hall, ensure_demo_history, ensure_demo_ratings
from shequ.demo.insights import ensure_demo_insights
from shequ.demo.jobs import ensure_demo_jobs
from shequ.demo.mediation import ensure_demo_mediation, ensure_demo_member_resolutions
from shequ.demo.open311 import ensure_demo_open311
from shequ.demo.portal import ensure_demo_portal
from shequ.demo.residents import ensure_demo_residents
from shequ.demo.staff import ensure_demo_staff
from shequ.orgs.loading import load_divisions
from shequ.services.catalogue import ensure_catalogue


class Command(BaseCommand):
    help = "Load the Enshi demo: org tree, grids, demo logins and staff. Safe to re-run."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_divisions()
        grids = ensure_demo_grids()
        accounts = ensure_demo_accounts()
        posts = ensure_demo_staff()
        self.stdout.write(f"demo: {ensure_catalogue()} service items created")
        self.stdout.write(f"demo: {ensure_demo_residents()} residents created")
        self.stdout.write(f"demo: {ensure_demo_cases()} cases created")
        hall = ensure_demo_hall()
        self.stdout.write(f"demo: {ensure_demo_ratings()} ratings of demo cases")
        self.stdout.write(f"demo: {ensure_demo_history(hall)} history cases for the three rates")
        self.stdout.write(f"demo: {ensure_case_history()} cases of prefecture history")
        self.stdout.write(f"demo: {ensure_demo_open311()} Open311 requests filed")
        self.stdout.write(f"demo: {ensure_demo_agency()} Badong ledger months imported")
        self.stdout.write(f"demo: {ensure_demo_jobs()} resident units with a year of jobs work")
        self.stdout.write(f"demo: {ensure_demo_building()} community-building records")
        self.stdout.write(f"demo: {ensure_demo_mediation()} disputes of mediation history")
        self.stdout.write(f"demo: {ensure_demo_governance()} self-governance meetings written")
        self.stdout.write(f"demo: {ensure_demo_deliberation()} deliberation topics written")
        self.stdout.write(f"demo: {ensure_demo_disclosure()} affairs disclosures written")
        self.stdout.write(
            f"demo: {ensure_demo_resolution_links()} 一事一议 projects on resolutions"
        )
        self.stdout.write(
            f"demo: {ensure_demo_member_resolutions()} mediation members chosen by resolutions"
        )
        self.stdout.write(f"demo: {ensure_demo_portal()} portal requests filed")
        self.stdout.write(f"demo: {ensure_demo_insights()} insights rollup rows written")
        self.stdout.write(
            f"demo: {report.total_created} units, {grids} grids, {accounts} demo accounts, "
            f"{posts} staff posts created"
        )
